package io.idnode.replication;

import io.idnode.model.HandleRecord;
import io.idnode.store.RecordStore;
import io.idnode.store.RocksDbRecordStore;
import io.idnode.store.StoreException;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A member's own copy of the records: the live RocksDB store of its state machine, which is replaced when the
 * store is rebuilt from a snapshot. Only the state machine writes to it; while it is being replaced, calls fail
 * with a {@link StoreException} (answered as a store fault, so clients try another member). Thread-safe.
 */
public final class LocalReplica implements RecordStore {
    private volatile RocksDbRecordStore current;

    /** Puts {@code next} in place (null: none) and closes the store it replaces. */
    void swap(RocksDbRecordStore next) {
        RocksDbRecordStore old = current;
        current = next;
        if (old != null) {
            old.close();
        }
    }

    /** The live store now; fails while there is none. */
    public RocksDbRecordStore current() {
        RocksDbRecordStore c = current;
        if (c == null) {
            throw new StoreException("the replica's store is being rebuilt from a snapshot, or closed");
        }
        return c;
    }

    @Override
    public HandleRecord get(String handle) {
        return current().get(handle);
    }

    /** The records of {@code handles} in one read, in order ({@link RocksDbRecordStore#getAll}). */
    public List<HandleRecord> getAll(List<String> handles) {
        return current().getAll(handles);
    }

    @Override
    public boolean delete(String handle) {
        return current().delete(handle);
    }

    @Override
    public void write(List<RecordWrite> writes) {
        current().write(writes);
    }

    @Override
    public long apply(List<RecordWrite> writes) {
        return current().apply(writes);
    }

    @Override
    public CompletionStage<Void> durable(long position) {
        return current().durable(position);
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) {
        return current().list(prefix, startAfter, limit);
    }

    @Override
    public long approximateCount() {
        return current().approximateCount();
    }

    /** Does not close the live store: its state machine does. */
    @Override
    public void close() {
    }
}
