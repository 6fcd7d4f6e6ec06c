package io.idnode.client;

import java.util.concurrent.CompletableFuture;

/**
 * A batch registration under way ({@link HandleClient#register}). It ends when every item of the input has a
 * result, or when it is cancelled (no further item is read; those in flight finish), or when reading the
 * input fails. Thread-safe.
 */
public interface BatchRegistration {

    /**
     * Completes with the summary once every item read has its result; exceptionally with the input's failure
     * (e.g. an {@link java.io.UncheckedIOException} from a file) after the items in flight have finished.
     */
    CompletableFuture<BatchSummary> completion();

    /** The counts so far. */
    BatchSummary progress();

    /** Stops reading the input; the items in flight finish and {@link #completion()} completes with the counts. */
    void cancel();
}
