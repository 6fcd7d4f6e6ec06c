package io.idnode.store;

import io.idnode.model.HandleRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link RecordStore} in memory, with the semantics of {@link RocksDbRecordStore} (same keys, same order,
 * same checks) but nothing kept after {@link #close()}. For tests of the units built on a store.
 */
public final class InMemoryRecordStore implements RecordStore {
    private final ConcurrentSkipListMap<byte[], HandleRecord> records = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
    // Readers share, batches are exclusive: a reader never sees half of a batch.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    @Override
    public HandleRecord get(String handle) {
        byte[] key = KeyLayout.recordKey(handle);
        Lock l = lock.readLock();
        l.lock();
        try {
            ensureOpen("get");
            return records.get(key);
        } finally {
            l.unlock();
        }
    }

    @Override
    public boolean delete(String handle) {
        byte[] key = KeyLayout.recordKey(handle);
        Lock l = lock.writeLock();
        l.lock();
        try {
            ensureOpen("delete");
            return records.remove(key) != null;
        } finally {
            l.unlock();
        }
    }

    @Override
    public void write(List<RecordWrite> writes) {
        Objects.requireNonNull(writes, "writes");
        byte[][] keys = new byte[writes.size()][];
        for (int i = 0; i < writes.size(); i++) {
            RecordWrite w = Objects.requireNonNull(writes.get(i), "write");
            RocksDbRecordStore.checkWrite(w, i);
            keys[i] = KeyLayout.recordKey(w.handle());
        }
        Lock l = lock.writeLock();
        l.lock();
        try {
            ensureOpen("write");
            for (int i = 0; i < writes.size(); i++) {
                RecordWrite w = writes.get(i);
                if (w.isDelete()) {
                    records.remove(keys[i]);
                } else {
                    records.put(keys[i], w.record());
                }
            }
        } finally {
            l.unlock();
        }
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        byte[] lower = KeyLayout.prefixLowerBound(prefix);
        if (startAfter != null && !startAfter.isEmpty()) {
            byte[] after = KeyLayout.successor(KeyLayout.recordKey(startAfter));
            if (Arrays.compareUnsigned(after, lower) > 0) {
                lower = after;
            }
        }
        byte[] upper = KeyLayout.prefixUpperBound(prefix);
        List<String> handles = new ArrayList<>();
        Lock l = lock.readLock();
        l.lock();
        try {
            ensureOpen("list");
            if (Arrays.compareUnsigned(lower, upper) >= 0) {
                return handles;
            }
            NavigableMap<byte[], HandleRecord> range = records.subMap(lower, true, upper, false);
            for (Map.Entry<byte[], HandleRecord> e : range.entrySet()) {
                if (handles.size() >= limit) {
                    break;
                }
                handles.add(e.getValue().handle());
            }
            return handles;
        } finally {
            l.unlock();
        }
    }

    /** Exact. */
    @Override
    public long approximateCount() {
        ensureOpen("approximateCount");
        return records.size();
    }

    /** Drops every record; later calls fail with {@link StoreException}. Idempotent. */
    @Override
    public void close() {
        Lock l = lock.writeLock();
        l.lock();
        try {
            closed = true;
            records.clear();
        } finally {
            l.unlock();
        }
    }

    private void ensureOpen(String operation) {
        if (closed) {
            throw new StoreException("in-memory record store is closed (" + operation + ")");
        }
    }
}
