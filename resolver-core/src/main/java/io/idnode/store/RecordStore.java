package io.idnode.store;

import io.idnode.model.HandleRecord;
import java.util.List;

/**
 * Where handle records live. Handles are matched case-insensitively (ASCII upper-case of
 * {@link io.idnode.model.Handles#lookupForm}, handle-protocol.md §4.1); the record keeps the spelling it was
 * stored with. Every method fails with {@link StoreException} on an I/O fault or a closed store; a
 * successful write is durable and visible to every later read. Implementations are thread-safe.
 */
public interface RecordStore extends AutoCloseable {

    /** The record of {@code handle}, or {@code null} if there is none. */
    HandleRecord get(String handle);

    /** Creates or replaces a whole record atomically. */
    default void put(HandleRecord record) {
        write(List.of(RecordWrite.put(record)));
    }

    /** Deletes a record; returns whether it existed. */
    boolean delete(String handle);

    /** Applies all writes atomically, in order (one write batch): all of them or none. */
    void write(List<RecordWrite> writes);

    /**
     * Up to {@code limit} handles under {@code prefix} (handles {@code prefix/...}, matched
     * case-insensitively), in key order, starting after {@code startAfter} (null or "" = from the start).
     * Returns the handles as stored.
     */
    List<String> list(String prefix, String startAfter, int limit);

    /** Number of records, estimated: exact for new handles; each implementation says how far off it may be. */
    long approximateCount();

    @Override
    void close();

    /** One write of a batch: put a record or delete a handle. */
    record RecordWrite(String handle, HandleRecord record) {
        public static RecordWrite put(HandleRecord record) {
            return new RecordWrite(record.handle(), record);
        }

        public static RecordWrite delete(String handle) {
            return new RecordWrite(handle, null);
        }

        public boolean isDelete() {
            return record == null;
        }
    }
}
