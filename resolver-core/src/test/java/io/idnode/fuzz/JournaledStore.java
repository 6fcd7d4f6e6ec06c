package io.idnode.fuzz;

import io.idnode.model.HandleRecord;
import io.idnode.model.Handles;
import io.idnode.store.RecordStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RecordStore} passing every call to another, remembering the record each written handle had
 * before its first write, so that {@link #undo} can bring the store back to where it was: a fuzz target then
 * runs every input against the same records, however many an earlier input created or deleted. Handles are
 * journaled by their match key, as the stores match them. Not thread-safe: one fuzzing thread writes.
 */
final class JournaledStore implements RecordStore {
    private final RecordStore delegate;
    /** Match key -> the handle as written and its record before the first write (null: there was none). */
    private final Map<String, Before> before = new LinkedHashMap<>();

    private record Before(String handle, HandleRecord record) {
    }

    JournaledStore(RecordStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public HandleRecord get(String handle) {
        return delegate.get(handle);
    }

    @Override
    public boolean delete(String handle) {
        remember(handle);
        return delegate.delete(handle);
    }

    @Override
    public void write(List<RecordWrite> writes) {
        for (RecordWrite w : writes) {
            remember(w.handle());
        }
        delegate.write(writes);
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) {
        return delegate.list(prefix, startAfter, limit);
    }

    @Override
    public long approximateCount() {
        return delegate.approximateCount();
    }

    /** Restores every record written since the last undo, in one batch. */
    void undo() {
        List<RecordWrite> restore = new ArrayList<>(before.size());
        for (Before b : before.values()) {
            restore.add(b.record() == null ? RecordWrite.delete(b.handle()) : RecordWrite.put(b.record()));
        }
        before.clear();
        if (!restore.isEmpty()) {
            delegate.write(restore);
        }
    }

    /** The delegate is closed by its owner. */
    @Override
    public void close() {
    }

    private void remember(String handle) {
        if (handle == null || handle.isEmpty()) {
            return; // the store refuses the write itself
        }
        before.computeIfAbsent(Handles.matchKey(handle), k -> new Before(handle, delegate.get(handle)));
    }
}
