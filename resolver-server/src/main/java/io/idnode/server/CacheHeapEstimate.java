package io.idnode.server;

import java.util.Optional;

/**
 * Whether a full hot cache fits the heap. The heap is set apart from the node's settings (in bin/jvm.options),
 * so a large {@code cache} with the default heap would only show later, as collector pressure or an
 * out-of-memory exit; the node warns at start instead.
 */
final class CacheHeapEstimate {
    /** Heap a cached record of a few values takes, measured (`GC.class_histogram`, 3-value records): ≈ 1 KB. */
    static final long CACHED_RECORD_HEAP_BYTES = 1_100;
    /** Share of the heap the hot cache may fill and leave the collector room for the young generation. */
    static final double CACHE_HEAP_SHARE = 0.6;

    private CacheHeapEstimate() {
    }

    /** A warning naming the heap needed when {@code cacheRecords} would not fit in {@code maxHeapBytes}. */
    static Optional<String> warning(long cacheRecords, long maxHeapBytes) {
        long needed = cacheRecords * CACHED_RECORD_HEAP_BYTES;
        if (needed <= maxHeapBytes * CACHE_HEAP_SHARE) {
            return Optional.empty();
        }
        long mib = 1 << 20;
        return Optional.of(String.format("a full hot cache of %d records needs about %d MiB of heap, more than %.0f %%"
                + " of the %d MiB heap: raise the heap (IDNODE_JAVA_OPTS=-Xmx%dm) or lower --cache", cacheRecords,
                needed / mib, CACHE_HEAP_SHARE * 100, maxHeapBytes / mib,
                (long) Math.ceil(needed / CACHE_HEAP_SHARE / mib)));
    }
}
