package io.idnode.server;

import io.idnode.cache.CachingRecordStore;
import io.idnode.store.RecordStore;
import io.idnode.store.RocksDbRecordStore;
import io.idnode.store.StoreException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.function.ToDoubleFunction;

/**
 * The node's store and JVM in its meter registry: the hot cache ({@value #CACHE_LOOKUPS} by {@code result},
 * hit ratio and size, from the cache's own counters), RocksDB ({@code idnode.store.*}, read from the database's
 * properties when scraped) and Micrometer's JVM binders (memory, GC, threads, class loading, CPU, uptime).
 */
final class NodeMeters implements AutoCloseable {
    /** Lookups of the hot cache, by {@code result}: {@code hit}, {@code negative-hit} (a cached "not found"), {@code miss}. */
    static final String CACHE_LOOKUPS = "idnode.cache.lookups";
    /** Share of the lookups answered from the hot cache since start, 0 to 1. */
    static final String CACHE_HIT_RATIO = "idnode.cache.hit.ratio";
    /** Records (and cached "not found") the hot cache holds. */
    static final String CACHE_SIZE = "idnode.cache.size";

    private final JvmGcMetrics gc = new JvmGcMetrics();

    private NodeMeters() {
    }

    /**
     * Registers the meters of {@code store} (the hot cache if it is one) and {@code rocks}, and of the JVM, in
     * {@code registry}; closing the result stops the GC listener.
     */
    static NodeMeters bind(MeterRegistry registry, RecordStore store, RocksDbRecordStore rocks) {
        NodeMeters meters = new NodeMeters();
        if (store instanceof CachingRecordStore cache) {
            cache(registry, cache);
        }
        if (rocks != null) { // a cluster member keeps its replica inside the member
            rocks(registry, rocks);
        }
        new JvmMemoryMetrics().bindTo(registry);
        meters.gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return meters;
    }

    private static void cache(MeterRegistry registry, CachingRecordStore cache) {
        lookups(registry, cache, "hit", s -> s.hits());
        lookups(registry, cache, "negative-hit", s -> s.negativeHits());
        lookups(registry, cache, "miss", s -> s.misses());
        Gauge.builder(CACHE_HIT_RATIO, cache, c -> {
            CachingRecordStore.Stats s = c.stats();
            long all = s.answeredFromCache() + s.misses();
            return all == 0 ? Double.NaN : (double) s.answeredFromCache() / all;
        }).description("Share of lookups answered from the hot cache").register(registry);
        Gauge.builder(CACHE_SIZE, cache, c -> c.stats().cachedRecords()).tag("kind", "record")
                .description("Entries in the hot cache").register(registry);
        Gauge.builder(CACHE_SIZE, cache, c -> c.stats().cachedMisses()).tag("kind", "not-found")
                .description("Entries in the hot cache").register(registry);
    }

    private static void lookups(MeterRegistry registry, CachingRecordStore cache, String result,
            ToDoubleFunction<CachingRecordStore.Stats> count) {
        FunctionCounter.builder(CACHE_LOOKUPS, cache, c -> count.applyAsDouble(c.stats())).tag("result", result)
                .description("Lookups of the hot cache").register(registry);
    }

    private static void rocks(MeterRegistry registry, RocksDbRecordStore rocks) {
        property(registry, rocks, "idnode.store.keys", "rocksdb.estimate-num-keys", "Estimated records in RocksDB",
                null);
        property(registry, rocks, "idnode.store.memtable", "rocksdb.cur-size-all-mem-tables",
                "Bytes of RocksDB's memtables", "bytes");
        property(registry, rocks, "idnode.store.block.cache", "rocksdb.block-cache-usage",
                "Bytes in RocksDB's block cache", "bytes");
        property(registry, rocks, "idnode.store.table.readers", "rocksdb.estimate-table-readers-mem",
                "Bytes of RocksDB's index and filter blocks", "bytes");
        property(registry, rocks, "idnode.store.compaction.pending", "rocksdb.compaction-pending",
                "1 if RocksDB has a compaction pending", null);
        property(registry, rocks, "idnode.store.compaction.pending.bytes", "rocksdb.estimate-pending-compaction-bytes",
                "Bytes RocksDB estimates compaction must rewrite", "bytes");
        property(registry, rocks, "idnode.store.compactions.running", "rocksdb.num-running-compactions",
                "Compactions running in RocksDB", null);
        property(registry, rocks, "idnode.store.live.data", "rocksdb.estimate-live-data-size",
                "Bytes of live data in RocksDB", "bytes");
    }

    private static void property(MeterRegistry registry, RocksDbRecordStore rocks, String name, String property,
            String description, String unit) {
        Gauge.builder(name, rocks, r -> {
            try {
                return r.longProperty(property);
            } catch (StoreException closed) {
                return Double.NaN;
            }
        }).description(description).baseUnit(unit).register(registry);
    }

    @Override
    public void close() {
        gc.close();
    }
}
