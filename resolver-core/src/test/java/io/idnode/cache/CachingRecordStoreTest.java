package io.idnode.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.codec.ValueCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.store.RecordStore;
import io.idnode.store.StoreException;
import io.idnode.store.TestRecords;
import io.idnode.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachingRecordStoreTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final CountingStore backing = new CountingStore();
    private CachingRecordStore cache;

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    private CachingRecordStore cache(CacheSettings.Builder settings) {
        cache = new CachingRecordStore(backing,
                settings.ticker(clock).clock(clock).build());
        return cache;
    }

    /** Caching on the first miss, so that each test below sees a record cached by one read. */
    private static CacheSettings.Builder firstMiss() {
        return CacheSettings.builder().cacheOnSecondMiss(false);
    }

    private CachingRecordStore cache() {
        return cache(firstMiss());
    }

    @Test
    void servesRepeatedReadsFromTheCache() {
        backing.put(TestRecords.url("88.100.1/HOT", "https://hot"));
        CachingRecordStore c = cache();

        HandleRecord first = c.get("88.100.1/hot");
        HandleRecord second = c.get("88.100.1/HOT");
        HandleRecord third = c.get("88.100.1/Hot");

        assertThat(first.handle()).isEqualTo("88.100.1/HOT");
        assertThat(second).isSameAs(first);
        assertThat(third).isSameAs(first);
        assertThat(backing.reads).hasValue(1);
        assertThat(c.stats().hits()).isEqualTo(2);
        assertThat(c.stats().misses()).isEqualTo(1);
    }

    @Test
    void byDefaultARecordIsCachedOnItsSecondMiss() {
        backing.put(TestRecords.url("88.100.1/TWICE", "https://twice"));
        CachingRecordStore c = cache(CacheSettings.builder());

        HandleRecord first = c.get("88.100.1/TWICE");
        assertThat(backing.reads).hasValue(1);
        assertThat(c.stats().cachedRecords()).isZero();

        HandleRecord second = c.get("88.100.1/twice");
        HandleRecord third = c.get("88.100.1/TWICE");

        assertThat(first.handle()).isEqualTo("88.100.1/TWICE");
        assertThat(second).isEqualTo(first);
        assertThat(third).isSameAs(second);
        assertThat(backing.reads).hasValue(2);
        assertThat(c.stats().hits()).isEqualTo(1);
        assertThat(c.stats().misses()).isEqualTo(2);
    }

    @Test
    void keysAskedOnceDoNotDisplaceCachedRecords() {
        for (int i = 0; i < 2_000; i++) {
            backing.put(TestRecords.url("88.100.1/S" + i, "https://s/" + i));
        }
        CachingRecordStore c = cache(CacheSettings.builder().maximumSize(50));
        for (int i = 0; i < 20; i++) { // twenty hot records, each cached on its second read
            c.get("88.100.1/S" + i);
            c.get("88.100.1/S" + i);
        }
        int readsBefore = backing.reads.get();

        for (int i = 20; i < 2_000; i++) { // a scan: every other key once
            assertThat(c.get("88.100.1/S" + i).handle()).isEqualTo("88.100.1/S" + i);
        }

        assertThat(backing.reads.get() - readsBefore).isEqualTo(1_980);
        int readsAfterScan = backing.reads.get();
        for (int i = 0; i < 20; i++) {
            c.get("88.100.1/S" + i);
        }
        assertThat(backing.reads).hasValue(readsAfterScan); // all twenty still cached
    }

    @Test
    void aWriteStillReplacesARecordCachedOnItsSecondMiss() {
        backing.put(TestRecords.url("88.100.1/W2", "https://old"));
        CachingRecordStore c = cache(CacheSettings.builder());
        c.get("88.100.1/W2");
        c.get("88.100.1/W2");
        assertThat(c.stats().cachedRecords()).isEqualTo(1);

        c.write(List.of(RecordStore.RecordWrite.put(TestRecords.url("88.100.1/W2", "https://new"))));

        assertThat(c.get("88.100.1/W2").values().get(0).dataAsString()).isEqualTo("https://new");
        assertThat(c.get("88.100.1/W2").values().get(0).dataAsString()).isEqualTo("https://new");
    }

    @Test
    void writeThroughTheCacheReplacesTheCachedRecord() {
        CachingRecordStore c = cache();
        c.put(TestRecords.url("88.100.1/W", "https://old"));
        assertThat(c.get("88.100.1/W").values().get(0).dataAsString()).isEqualTo("https://old");

        c.write(List.of(RecordStore.RecordWrite.put(TestRecords.url("88.100.1/w", "https://new"))));

        assertThat(c.get("88.100.1/W").values().get(0).dataAsString()).isEqualTo("https://new");
    }

    @Test
    void deleteThroughTheCacheMakesTheRecordNotFound() {
        CachingRecordStore c = cache();
        c.put(TestRecords.url("88.100.1/D", "https://d"));
        assertThat(c.get("88.100.1/D")).isNotNull();

        assertThat(c.delete("88.100.1/d")).isTrue();

        assertThat(c.get("88.100.1/D")).isNull();
    }

    @Test
    void batchDeleteThroughTheCacheMakesTheRecordNotFound() {
        CachingRecordStore c = cache();
        c.put(TestRecords.url("88.100.1/D", "https://d"));
        assertThat(c.get("88.100.1/D")).isNotNull();

        c.write(List.of(RecordStore.RecordWrite.delete("88.100.1/D")));

        assertThat(c.get("88.100.1/D")).isNull();
    }

    @Test
    void cachedNotFoundDisappearsAfterAPut() {
        CachingRecordStore c = cache();
        assertThat(c.get("88.100.1/NEW")).isNull();
        assertThat(c.get("88.100.1/new")).isNull();
        assertThat(backing.reads).hasValue(1);
        assertThat(c.stats().negativeHits()).isEqualTo(1);

        c.put(TestRecords.url("88.100.1/New", "https://new"));

        assertThat(c.get("88.100.1/NEW").handle()).isEqualTo("88.100.1/New");
    }

    @Test
    void slashLessHandleSharesTheEntryOfItsPrefixHandle() {
        backing.put(TestRecords.url("0.NA/88.100.1", "https://prefix"));
        CachingRecordStore c = cache();

        c.get("88.100.1");
        c.get("0.na/88.100.1");
        c.delete("0.NA/88.100.1");

        assertThat(backing.reads).hasValue(1);
        assertThat(c.get("88.100.1")).isNull();
    }

    @Test
    void failedWriteStillInvalidates() {
        CachingRecordStore c = cache();
        c.put(TestRecords.url("88.100.1/F", "https://old"));
        c.get("88.100.1/F");
        assertThat(c.get("88.100.1/G")).isNull();
        backing.failAfterWrite = true;

        assertThatThrownBy(() -> c.write(List.of(
                RecordStore.RecordWrite.put(TestRecords.url("88.100.1/F", "https://new")),
                RecordStore.RecordWrite.put(TestRecords.url("88.100.1/G", "https://g")))))
                .isInstanceOf(StoreException.class);

        assertThat(c.get("88.100.1/F").values().get(0).dataAsString()).isEqualTo("https://new");
        assertThat(c.get("88.100.1/G")).isNotNull();
    }

    @Test
    void failedDeleteStillInvalidates() {
        CachingRecordStore c = cache();
        c.put(TestRecords.url("88.100.1/F", "https://f"));
        c.get("88.100.1/F");
        backing.failAfterWrite = true;

        assertThatThrownBy(() -> c.delete("88.100.1/F")).isInstanceOf(StoreException.class);

        assertThat(c.get("88.100.1/F")).isNull();
    }

    @Test
    void recordLivesForItsSmallestTtl() {
        backing.put(TestRecords.withTtls("88.100.1/T", 100, 30, 60));
        CachingRecordStore c = cache(firstMiss().minTtl(Duration.ofSeconds(1)).maxTtl(Duration.ofHours(1)));

        assertLifetime(c, "88.100.1/T", Duration.ofSeconds(30));
    }

    @Test
    void longTtlIsClampedToMaxTtl() {
        backing.put(TestRecords.withTtls("88.100.1/LONG", 86_400));
        CachingRecordStore c = cache(firstMiss().minTtl(Duration.ofSeconds(10)).maxTtl(Duration.ofSeconds(60)));

        assertLifetime(c, "88.100.1/LONG", Duration.ofSeconds(60));
    }

    @Test
    void shortTtlIsClampedToMinTtl() {
        backing.put(TestRecords.withTtls("88.100.1/SHORT", 0, 3));
        CachingRecordStore c = cache(firstMiss().minTtl(Duration.ofSeconds(10)).maxTtl(Duration.ofSeconds(60)));

        assertLifetime(c, "88.100.1/SHORT", Duration.ofSeconds(10));
    }

    @Test
    void absoluteTtlCountsUntilItsExpiry() {
        HandleValue expiring = HandleValue.builder(1, "URL").ttl(HandleValue.TTL_ABSOLUTE, (int) NOW.getEpochSecond() + 45)
                .data("https://a").build();
        HandleValue lasting = HandleValue.builder(2, "URL").data("https://b").build();
        backing.put(HandleRecord.of("88.100.1/ABS", List.of(lasting, expiring)));
        CachingRecordStore c = cache(firstMiss().minTtl(Duration.ofSeconds(1)).maxTtl(Duration.ofHours(1)));

        assertLifetime(c, "88.100.1/ABS", Duration.ofSeconds(45));
    }

    @Test
    void pastAbsoluteTtlGetsMinTtl() {
        HandleValue expired = HandleValue.builder(1, "URL").ttl(HandleValue.TTL_ABSOLUTE, (int) NOW.getEpochSecond() - 100)
                .data("https://a").build();
        backing.put(HandleRecord.of("88.100.1/PAST", List.of(expired)));
        CachingRecordStore c = cache(firstMiss().minTtl(Duration.ofSeconds(2)).maxTtl(Duration.ofHours(1)));

        assertLifetime(c, "88.100.1/PAST", Duration.ofSeconds(2));
    }

    @Test
    void recordWithoutValuesGetsMaxTtl() {
        backing.put(HandleRecord.of("88.100.1/EMPTY", List.of()));
        CachingRecordStore c = cache(firstMiss().minTtl(Duration.ofSeconds(2)).maxTtl(Duration.ofSeconds(20)));

        assertLifetime(c, "88.100.1/EMPTY", Duration.ofSeconds(20));
    }

    @Test
    void readsDoNotExtendTheLifetime() {
        backing.put(TestRecords.withTtls("88.100.1/R", 30));
        CachingRecordStore c = cache(firstMiss().minTtl(Duration.ofSeconds(1)).maxTtl(Duration.ofHours(1)));
        c.get("88.100.1/R");

        for (int i = 0; i < 29; i++) {
            clock.advance(Duration.ofSeconds(1));
            c.get("88.100.1/R");
        }
        assertThat(backing.reads).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        c.get("88.100.1/R");

        assertThat(backing.reads).hasValue(2);
    }

    @Test
    void notFoundExpiresAfterTheNegativeTtl() {
        CachingRecordStore c = cache(firstMiss().negativeTtl(Duration.ofSeconds(5)));
        assertThat(c.get("88.100.1/MISSING")).isNull();

        clock.advance(Duration.ofSeconds(5).minusMillis(1));
        assertThat(c.get("88.100.1/MISSING")).isNull();
        assertThat(backing.reads).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(c.get("88.100.1/MISSING")).isNull();
        assertThat(backing.reads).hasValue(2);
    }

    @Test
    void recordAddedBehindTheCacheIsSeenOnceTheNotFoundExpires() {
        CachingRecordStore c = cache(firstMiss().negativeTtl(Duration.ofSeconds(5)));
        assertThat(c.get("88.100.1/LATE")).isNull();
        backing.put(TestRecords.url("88.100.1/LATE", "https://late"));

        assertThat(c.get("88.100.1/LATE")).isNull();
        clock.advance(Duration.ofSeconds(5));

        assertThat(c.get("88.100.1/LATE")).isNotNull();
    }

    @Test
    void zeroNegativeTtlDisablesNegativeCaching() {
        CachingRecordStore c = cache(firstMiss().negativeTtl(Duration.ZERO));

        c.get("88.100.1/MISSING");
        c.get("88.100.1/MISSING");

        assertThat(backing.reads).hasValue(2);
        assertThat(c.stats().negativeHits()).isZero();
    }

    @Test
    void weightBoundedCacheServesRecords() {
        CachingRecordStore c = cache(firstMiss().maximumWeight(10_000));
        for (int i = 0; i < 50; i++) {
            c.put(TestRecords.unusual("88.100.1/heavy-" + i));
        }

        for (int i = 0; i < 50; i++) {
            assertThat(c.get("88.100.1/HEAVY-" + i).handle()).isEqualTo("88.100.1/heavy-" + i);
        }
        assertThat(c.settings().maximumSize()).isEqualTo(-1);
    }

    @Test
    void weightGrowsWithTheEncodedSize() {
        HandleRecord small = TestRecords.url("88.100.1/S", "https://s");
        HandleRecord large = TestRecords.unusual("88.100.1/S");
        int encoded = large.values().stream().mapToInt(ValueCodec::encodedLength).sum();

        assertThat(CachingRecordStore.weigh("88.100.1/S", large)).isGreaterThan(encoded);
        assertThat(CachingRecordStore.weigh("88.100.1/S", large)).isGreaterThan(CachingRecordStore.weigh("88.100.1/S", small));
    }

    @Test
    void evictsOnTheReadingThreadWithoutBackgroundUpkeep() {
        for (int i = 0; i < 200; i++) {
            backing.put(TestRecords.url("88.100.1/E" + i, "https://e/" + i));
        }
        CachingRecordStore c = cache(firstMiss().maximumSize(20));

        for (int i = 0; i < 200; i++) {
            c.get("88.100.1/E" + i);
        }

        // Upkeep runs on the calling thread, so the bound holds as soon as the reads return.
        assertThat(c.stats().cachedRecords()).isEqualTo(20);
        assertThat(c.stats().misses()).isEqualTo(200);
    }

    @Test
    void listAndCountGoToTheUnderlyingStore() {
        CachingRecordStore c = cache();
        backing.put(TestRecords.url("88.100.1/B", "https://b"));
        backing.put(TestRecords.url("88.100.1/A", "https://a"));

        assertThat(c.list("88.100.1", null, 10)).containsExactly("88.100.1/A", "88.100.1/B");
        assertThat(c.approximateCount()).isEqualTo(2);
        assertThat(backing.reads).hasValue(0);
    }

    @Test
    void closedCacheRefusesEvenCachedRecords() {
        CachingRecordStore c = cache();
        c.put(TestRecords.url("88.100.1/C", "https://c"));
        c.get("88.100.1/C");

        c.close();

        assertThatThrownBy(() -> c.get("88.100.1/C")).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> backing.get("88.100.1/C")).isInstanceOf(StoreException.class);
    }

    /**
     * A read that fetched the old record before a write must not put it in the cache after the write has
     * invalidated the handle: the write's invalidation waits for the read in flight.
     */
    @Test
    void readInFlightDuringAWriteDoesNotLeaveTheOldRecordCached() throws Exception {
        backing.put(TestRecords.url("88.100.1/RACE", "https://old"));
        CachingRecordStore c = cache();
        CountDownLatch fetched = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        backing.afterRead = () -> {
            fetched.countDown();
            await(release);
        };

        CompletableFuture<HandleRecord> reader = CompletableFuture.supplyAsync(() -> c.get("88.100.1/RACE"));
        await(fetched);
        backing.afterRead = null;
        CountDownLatch written = new CountDownLatch(1);
        backing.afterWrite = written::countDown;
        Thread writer = new Thread(() -> c.put(TestRecords.url("88.100.1/RACE", "https://new")));
        writer.start();
        await(written);
        // Let the writer reach its invalidation (blocked behind the read) or finish, then let the read go on.
        while (writer.getState() == Thread.State.RUNNABLE || writer.getState() == Thread.State.NEW) {
            Thread.onSpinWait();
        }
        release.countDown();
        writer.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(reader.get(30, TimeUnit.SECONDS).values().get(0).dataAsString()).isEqualTo("https://old");
        assertThat(writer.isAlive()).isFalse();
        assertThat(c.get("88.100.1/RACE").values().get(0).dataAsString()).isEqualTo("https://new");
    }

    private void assertLifetime(CachingRecordStore c, String handle, Duration lifetime) {
        assertThat(c.get(handle)).isNotNull();
        int before = backing.reads.get();

        clock.advance(lifetime.minusMillis(1));
        assertThat(c.get(handle)).isNotNull();
        assertThat(backing.reads.get()).as("read again before %s", lifetime).isEqualTo(before);

        clock.advance(Duration.ofMillis(1));
        assertThat(c.get(handle)).isNotNull();
        assertThat(backing.reads.get()).as("not read again after %s", lifetime).isEqualTo(before + 1);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** An in-memory store that counts reads and can fail or pause around its operations. */
    static final class CountingStore implements RecordStore {
        private final InMemoryRecordStore store = new InMemoryRecordStore();
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean failAfterWrite;
        volatile Runnable afterRead;
        volatile Runnable afterWrite;

        @Override
        public HandleRecord get(String handle) {
            reads.incrementAndGet();
            HandleRecord r = store.get(handle);
            Runnable hook = afterRead;
            if (hook != null) {
                hook.run();
            }
            return r;
        }

        @Override
        public boolean delete(String handle) {
            boolean existed = store.delete(handle);
            afterWrite();
            return existed;
        }

        @Override
        public void write(List<RecordWrite> writes) {
            store.write(writes);
            afterWrite();
        }

        private void afterWrite() {
            Runnable hook = afterWrite;
            if (hook != null) {
                hook.run();
            }
            if (failAfterWrite) {
                throw new StoreException("simulated failure after the write reached the disk");
            }
        }

        @Override
        public List<String> list(String prefix, String startAfter, int limit) {
            return store.list(prefix, startAfter, limit);
        }

        @Override
        public long approximateCount() {
            return store.approximateCount();
        }

        @Override
        public void close() {
            store.close();
        }
    }

    @Test
    void aFirstMissAnsweredBeforeAWriteLeavesNoStaleNotFound() throws Exception {
        InMemoryRecordStore backing = new InMemoryRecordStore();
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        RecordStore slowReads = new RecordStore() {
            @Override
            public HandleRecord get(String handle) {
                HandleRecord r = backing.get(handle);
                if (Thread.currentThread().getName().equals("first-miss")) {
                    answered.countDown();
                    try {
                        written.await(10, TimeUnit.SECONDS); // the store's answer arrives after the write
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return r;
            }

            @Override
            public boolean delete(String handle) {
                return backing.delete(handle);
            }

            @Override
            public void write(List<RecordWrite> writes) {
                backing.write(writes);
            }

            @Override
            public List<String> list(String prefix, String startAfter, int limit) {
                return backing.list(prefix, startAfter, limit);
            }

            @Override
            public long approximateCount() {
                return backing.approximateCount();
            }

            @Override
            public void close() {
                backing.close();
            }
        };
        try (CachingRecordStore cache = new CachingRecordStore(slowReads, CacheSettings.defaults())) {
            CompletableFuture<HandleRecord> first = new CompletableFuture<>();
            Thread reader = new Thread(() -> first.complete(cache.get("88.100.1/LATE")), "first-miss");
            reader.start();
            assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
            HandleRecord record = TestRecords.url("88.100.1/LATE", "https://late");
            cache.put(record);
            written.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).as("answered before the write").isNull();
            assertThat(cache.get("88.100.1/LATE")).isEqualTo(record);
        }
    }

}
