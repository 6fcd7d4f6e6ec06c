package io.idnode.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.idnode.codec.ValueCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.store.RecordStore;
import io.idnode.store.StoreException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A {@link RecordStore} that keeps hot records of another store in a Caffeine cache, by default from their
 * second recent miss on ({@link CacheSettings#cacheOnSecondMiss()}). A record lives as long
 * as the smallest TTL among its values, clamped to the configured bounds ({@link CacheSettings}); "not
 * found" is cached apart for a short time. Writes and deletes go to the underlying store and then drop the
 * affected handles from both caches (also when the write fails, since its outcome is then unknown); while
 * a write is under way, reads of its handles go to the underlying store, so a batch is seen whole. An
 * {@link #apply}'d write is dropped once the underlying store shows it, not once it is durable: the cache
 * shows what the store shows. {@link #list} and {@link #approximateCount} are not cached.
 */
public final class CachingRecordStore implements RecordStore {
    /** Weight added to a record's encoded bytes for the objects that hold them. */
    static final int RECORD_OVERHEAD_WEIGHT = 64;
    /** Weight of a record of a few small values, to size by weight what is sized by record count. */
    static final int TYPICAL_RECORD_WEIGHT = 512;
    /**
     * Where the caches do their upkeep (draining the read buffers, eviction, expiry): on the reading thread.
     * Caffeine's default hands it to the common fork-join pool, which costs every event loop a thread wake-up
     * and a contended eviction lock many times a second (a fifth of the node's CPU under load, profiled).
     */
    private static final Executor SAME_THREAD = Runnable::run;

    private final RecordStore delegate;
    private final CacheSettings settings;
    private final Cache<String, HandleRecord> records;
    private final Cache<String, Boolean> misses;
    // Keys missed recently, when records are cached on their second miss; else null.
    private final RecentKeys recentMisses;
    // Created once, so a miss does not allocate a lambda.
    private final Function<String, HandleRecord> loader = this::load;
    // Writes begun so far, for the first-miss path's check.
    private final java.util.concurrent.atomic.AtomicLong writesBegun = new java.util.concurrent.atomic.AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder negativeHits = new LongAdder();
    private final LongAdder loads = new LongAdder();
    // Handles being written, with how many writes of each are under way; writesInFlight lets a read skip the
    // map lookup when nothing is being written (the usual case).
    private final AtomicInteger writesInFlight = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> keysInFlight = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Caches the records of {@code delegate}, which this store closes when it is closed. */
    public CachingRecordStore(RecordStore delegate, CacheSettings settings) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.settings = Objects.requireNonNull(settings, "settings");
        Caffeine<String, HandleRecord> b = Caffeine.newBuilder().ticker(settings.ticker())
                .executor(SAME_THREAD)
                .expireAfter(new RecordExpiry(settings));
        if (settings.maximumWeight() >= 0) {
            b.maximumWeight(settings.maximumWeight()).weigher(CachingRecordStore::weigh);
        } else {
            b.maximumSize(settings.maximumSize());
        }
        this.records = b.build();
        this.recentMisses = settings.cacheOnSecondMiss()
                ? new RecentKeys(settings.maximumSize() > 0 ? settings.maximumSize()
                        : settings.maximumWeight() / TYPICAL_RECORD_WEIGHT)
                : null;
        this.misses = settings.negativeCaching()
                ? Caffeine.newBuilder()
                        .ticker(settings.ticker())
                        .executor(SAME_THREAD)
                        .maximumSize(settings.negativeMaximumSize())
                        .expireAfterWrite(settings.negativeTtl())
                        .<String, Boolean>build()
                : null;
    }

    /** Caches the records of {@code delegate} with {@link CacheSettings#defaults()}. */
    public CachingRecordStore(RecordStore delegate) {
        this(delegate, CacheSettings.defaults());
    }

    /** The settings in force. */
    public CacheSettings settings() {
        return settings;
    }

    /** The store this one caches. */
    public RecordStore delegate() {
        return delegate;
    }

    /** {@inheritDoc} A cache hit costs one match-key computation and one Caffeine lookup. */
    @Override
    public HandleRecord get(String handle) {
        if (closed) {
            throw closedException("get");
        }
        String key = Handles.matchKey(handle);
        if (writesInFlight.get() != 0 && keysInFlight.containsKey(key)) {
            // Between the store applying a batch and this cache dropping its records, the cache may still
            // hold an old record while the store has the new one; reading the store keeps a batch whole.
            loads.increment();
            return delegate.get(key);
        }
        HandleRecord record = records.getIfPresent(key);
        if (record != null) {
            hits.increment();
            return record;
        }
        if (misses != null && misses.getIfPresent(key) != null) {
            negativeHits.increment();
            return null;
        }
        if (recentMisses != null && !recentMisses.seenBefore(key)) {
            return loadFirstMiss(key);
        }
        // Loading inside Caffeine's compute makes a concurrent invalidation of this key wait for the load,
        // so a record read before a write cannot be cached after the write has invalidated it.
        return records.get(key, loader);
    }

    @Override
    public boolean delete(String handle) {
        if (closed) {
            throw closedException("delete");
        }
        List<String> keys = List.of(Handles.matchKey(handle));
        begin(keys);
        try {
            return delegate.delete(handle);
        } finally {
            invalidateAndEnd(keys);
        }
    }

    @Override
    public void write(List<RecordWrite> writes) {
        if (closed) {
            throw closedException("write");
        }
        List<String> keys = keysOf(writes);
        begin(keys);
        try {
            delegate.write(writes);
        } finally {
            invalidateAndEnd(keys);
        }
    }

    @Override
    public long apply(List<RecordWrite> writes) {
        if (closed) {
            throw closedException("apply");
        }
        List<String> keys = keysOf(writes);
        begin(keys);
        try {
            return delegate.apply(writes);
        } finally {
            invalidateAndEnd(keys);
        }
    }

    @Override
    public CompletionStage<Void> durable(long position) {
        return delegate.durable(position);
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) {
        if (closed) {
            throw closedException("list");
        }
        return delegate.list(prefix, startAfter, limit);
    }

    @Override
    public long approximateCount() {
        if (closed) {
            throw closedException("approximateCount");
        }
        return delegate.approximateCount();
    }

    /** Drops every cached entry (e.g. after the underlying store was changed behind this one's back). */
    public void invalidateAll() {
        records.invalidateAll();
        if (misses != null) {
            misses.invalidateAll();
        }
    }

    /** Counters since creation, for metrics. */
    public Stats stats() {
        return new Stats(hits.sum(), negativeHits.sum(), loads.sum(), records.estimatedSize(),
                misses == null ? 0 : misses.estimatedSize());
    }

    /** Empties the caches and closes the underlying store. Idempotent. */
    @Override
    public void close() {
        closed = true;
        invalidateAll();
        delegate.close();
    }

    /**
     * A first miss: answered from the store, the record not cached. Its "not found" is loaded outside Caffeine's
     * compute, so a write of the key may apply and invalidate between the store's answer and the negative entry:
     * the entry is dropped again if a write began meanwhile, and a write already begun bypasses the cache.
     */
    private HandleRecord loadFirstMiss(String key) {
        long begun = writesBegun.get();
        if (keysInFlight.containsKey(key)) {
            loads.increment();
            return delegate.get(key);
        }
        HandleRecord record = load(key);
        if (record == null && misses != null && writesBegun.get() != begun) {
            misses.invalidate(key);
        }
        return record;
    }

    private HandleRecord load(String key) {
        loads.increment();
        // The match key is its own match key, so the underlying store does not derive it again.
        HandleRecord record = delegate.get(key);
        if (record == null && misses != null) {
            misses.put(key, Boolean.TRUE);
        }
        return record;
    }

    /** The match keys of the handles {@code writes} name (a malformed write fails in the underlying store). */
    private static List<String> keysOf(List<RecordWrite> writes) {
        List<String> keys = new ArrayList<>(writes.size());
        for (RecordWrite w : writes) {
            if (w != null && w.handle() != null) {
                keys.add(Handles.matchKey(w.handle()));
            }
        }
        return keys;
    }

    /** Marks {@code keys} as being written: until {@link #invalidateAndEnd}, reads of them bypass the cache. */
    private void begin(List<String> keys) {
        for (String key : keys) {
            keysInFlight.merge(key, 1, Integer::sum);
        }
        writesInFlight.incrementAndGet();
        writesBegun.incrementAndGet();
    }

    /** Drops {@code keys} from both caches, then ends their write. */
    private void invalidateAndEnd(List<String> keys) {
        try {
            // Records first: this waits for a load of a key in flight, whose "not found" is then dropped next.
            records.invalidateAll(keys);
            if (misses != null) {
                misses.invalidateAll(keys);
            }
        } finally {
            writesInFlight.decrementAndGet();
            for (String key : keys) {
                keysInFlight.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    private StoreException closedException(String operation) {
        return new StoreException("caching record store over " + delegate + " is closed (" + operation + ")");
    }

    /** Approximate memory of a cached record: its encoded values and handle plus a fixed overhead. */
    static int weigh(String key, HandleRecord record) {
        long weight = RECORD_OVERHEAD_WEIGHT + 2L * (key.length() + record.handle().length());
        for (HandleValue v : record.values()) {
            weight += ValueCodec.encodedLength(v) + RECORD_OVERHEAD_WEIGHT;
        }
        return (int) Math.min(weight, Integer.MAX_VALUE);
    }

    /**
     * How long a record is cached, in nanoseconds: the smallest TTL among its values (absolute TTLs as the
     * seconds left until their Unix time, handle-protocol.md §5.1), clamped to [minTtl, maxTtl]; a record
     * without values gets maxTtl.
     */
    static long lifetimeNanos(HandleRecord record, long minNanos, long maxNanos, Clock clock) {
        long seconds = Long.MAX_VALUE;
        long nowSeconds = Long.MIN_VALUE;
        for (HandleValue v : record.values()) {
            long ttl;
            if (v.ttlType() == HandleValue.TTL_ABSOLUTE) {
                if (nowSeconds == Long.MIN_VALUE) {
                    nowSeconds = Math.floorDiv(clock.millis(), 1000L);
                }
                ttl = v.ttl() - nowSeconds;
            } else {
                ttl = v.ttl();
            }
            seconds = Math.min(seconds, ttl);
        }
        if (seconds == Long.MAX_VALUE) {
            return maxNanos;
        }
        // |seconds| < 2^33, so the product cannot overflow.
        long nanos = Math.max(seconds, 0L) * 1_000_000_000L;
        return Math.max(minNanos, Math.min(maxNanos, nanos));
    }

    /** Hit and miss counts of a {@link CachingRecordStore}. */
    public record Stats(long hits, long negativeHits, long loads, long cachedRecords, long cachedMisses) {
        /** Lookups answered from the cache (records and "not found"). */
        public long answeredFromCache() {
            return hits + negativeHits;
        }

        /** Lookups that went to the underlying store. */
        public long misses() {
            return loads;
        }
    }

    /** Per-record lifetime from the values' TTLs; a read does not extend it. */
    private static final class RecordExpiry implements Expiry<String, HandleRecord> {
        private final long minNanos;
        private final long maxNanos;
        private final Clock clock;

        RecordExpiry(CacheSettings settings) {
            this.minNanos = settings.minTtl().toNanos();
            this.maxNanos = settings.maxTtl().toNanos();
            this.clock = settings.clock();
        }

        @Override
        public long expireAfterCreate(String key, HandleRecord record, long currentTime) {
            return lifetimeNanos(record, minNanos, maxNanos, clock);
        }

        @Override
        public long expireAfterUpdate(String key, HandleRecord record, long currentTime, long currentDuration) {
            return lifetimeNanos(record, minNanos, maxNanos, clock);
        }

        @Override
        public long expireAfterRead(String key, HandleRecord record, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
