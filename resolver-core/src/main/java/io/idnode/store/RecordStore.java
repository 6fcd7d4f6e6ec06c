package io.idnode.store;

import io.idnode.model.HandleRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where handle records live. Handles are matched case-insensitively (ASCII upper-case of
 * {@link io.idnode.model.Handles#lookupForm}, handle-protocol.md §4.1); the record keeps the spelling it was
 * stored with. Every method fails with {@link StoreException} on an I/O fault or a closed store; a
 * successful write is durable and visible to every later read. Writers that should not each wait for their
 * own sync {@link #apply} their writes and wait for {@link #durable} later, outside their locks, so that one
 * sync covers many writes (group commit); such a write is visible before it is durable. Implementations are
 * thread-safe.
 */
public interface RecordStore extends AutoCloseable {

    /** The record of {@code handle}, or {@code null} if there is none. */
    HandleRecord get(String handle);

    /**
     * The record of {@code handle} (or null) no older than any write acknowledged before the call: what an
     * authoritative request (AT, handle-protocol.md §2.2) is answered from. A replicated store first learns
     * how far its group has committed and waits until it has applied that far (Raft read index); the stage
     * fails with {@link StoreException} when it cannot learn it in time. The default reads at once: a store
     * that acknowledges only what it shows is always current.
     */
    default CompletionStage<HandleRecord> getLinearizable(String handle) {
        return CompletableFuture.completedStage(get(handle));
    }

    /** Creates or replaces a whole record atomically. */
    default void put(HandleRecord record) {
        write(List.of(RecordWrite.put(record)));
    }

    /** Deletes a record; returns whether it existed. */
    boolean delete(String handle);

    /** Applies all writes atomically, in order (one write batch): all of them or none; durable on return. */
    void write(List<RecordWrite> writes);

    /**
     * Applies all writes atomically, in order, as {@link #write} does, but returns once they are visible to
     * every later read, possibly before they are durable: their commit position, which {@link #durable} turns
     * into the moment they are on disk. An empty list applies nothing and returns the position of every write
     * applied so far. The default writes durably at once.
     */
    default long apply(List<RecordWrite> writes) {
        write(writes);
        return 0;
    }

    /**
     * Completes once every write applied up to {@code position} (from {@link #apply}) is durable, or fails
     * with {@link StoreException} when that cannot be known: the writes may or may not have been kept. It may
     * sync on the calling thread and complete other callers' stages there, so call it holding no lock a writer
     * needs. The default completes at once, its writes being durable already.
     */
    default CompletionStage<Void> durable(long position) {
        return CompletableFuture.completedStage(null);
    }

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
