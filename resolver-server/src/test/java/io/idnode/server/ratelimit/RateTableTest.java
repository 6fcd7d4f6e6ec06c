package io.idnode.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rates per key, with a burst of one second's worth and refused events charged up to the window, time by hand. The
 * tables mix keys with a fixed seed: with a random one, two of the keys a test uses may share a 16-bit fingerprint
 * (1,000 keys competing for two slots do one run in about sixteen) and be counted as one.
 */
class RateTableTest {
    static final long SEED = 0x5eed;
    final ManualClock time = new ManualClock(0);

    RateTable newTable(int entries, long rate, int windowSeconds) {
        return new RateTable(entries, rate, windowSeconds, time, SEED);
    }

    static int admitted(RateTable table, long key, int events) {
        int n = 0;
        for (int i = 0; i < events; i++) {
            if (table.admit(key)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void admitsOneSecondsWorthAtOnceThenOneAnInterval() {
        RateTable table = newTable(1024, 10, 15);

        assertThat(admitted(table, 7, 10)).isEqualTo(10);
        assertThat(table.admit(7)).isFalse();
        // The refused event was charged a tenth of a second: after one tenth there is no room yet, after two
        // there is room for one.
        RateTable twin = newTable(1024, 10, 15);
        admitted(twin, 7, 10);
        time.advance(Duration.ofMillis(100));
        assertThat(table.admit(7)).isFalse();
        assertThat(twin.admit(7)).isTrue();
        time.advance(Duration.ofMillis(100));
        assertThat(table.admit(7)).as("the refusal a tenth ago was charged too").isFalse();
        time.advance(Duration.ofMillis(200));
        assertThat(table.admit(7)).isTrue();
        assertThat(table.admit(7)).isFalse();
    }

    @Test
    void aKeyThatKeepsSendingAboveTheRateIsRefusedUntilQuietForTheWindow() {
        RateTable table = newTable(1024, 10, 15);
        admitted(table, 7, 10);
        for (int second = 0; second < 30; second++) {
            assertThat(admitted(table, 7, 100)).as("second %d", second).isZero();
            time.advance(Duration.ofSeconds(1));
        }
        // Its debt reaches at most 15 s ahead: after 14 s of quiet (one second's burst allowed) it is answered.
        time.advance(Duration.ofSeconds(13));
        assertThat(table.admit(7)).isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(table.admit(7)).isTrue();
    }

    @Test
    void keysHaveRatesOfTheirOwn() {
        RateTable table = newTable(1024, 3, 15);
        assertThat(admitted(table, 1, 10)).isEqualTo(3);
        assertThat(admitted(table, 2, 10)).isEqualTo(3);
        assertThat(admitted(table, 1, 10)).isZero();
    }

    @Test
    void anIdleKeyGetsAFullBurstAgain() {
        RateTable table = newTable(1024, 5, 15);
        admitted(table, 9, 5);
        time.advance(Duration.ofSeconds(1));
        assertThat(admitted(table, 9, 10)).isEqualTo(5);
    }

    @Test
    void theTableIsBoundedAndANewKeyEvictsTheLeastIndebtedOfItsTwoSlots() {
        RateTable table = newTable(2, 1, 15);
        assertThat(table.entries()).isEqualTo(2);
        // Two slots: 1000 keys all compete for them; each new key finds room by evicting.
        for (long key = 0; key < 1000; key++) {
            assertThat(table.admit(key)).as("key %d, first event", key).isTrue();
        }
        // A key deep in debt survives a newcomer that evicts the other, less indebted slot.
        RateTable two = newTable(2, 1, 15);
        admitted(two, 1, 20);
        admitted(two, 2, 1);
        assertThat(two.admit(3)).isTrue();
        assertThat(two.admit(1)).as("the flooding key kept its debt").isFalse();
    }

    @Test
    void sizesAreRoundedUpToAPowerOfTwo() {
        assertThat(newTable(1000, 1, 1).entries()).isEqualTo(1024);
        assertThat(newTable(1024, 1, 1).entries()).isEqualTo(1024);
        assertThat(newTable(1, 1, 1).entries()).isEqualTo(2);
    }

    @Test
    void refusesRatesItCannotTime() {
        assertThatThrownBy(() -> new RateTable(16, 0, 1, time)).hasMessageContaining("rate must be 1..62500000");
        assertThatThrownBy(() -> new RateTable(16, RateTable.MAX_RATE + 1, 1, time))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateTable(16, 1, 0, time)).hasMessageContaining("window");
    }

    @Test
    void anEntryLeftAcrossTheWrapOfItsTimeReadsAsIdle() {
        long wrap = (1L << 48) * 16; // nanoseconds of 2^48 ticks, about 52 days
        RateTable table = newTable(1024, 2, 15);
        admitted(table, 5, 100); // 15 s of debt
        // Read 52 days minus 20 s later, the stored time lies 35 s ahead: more than any debt, so stale.
        time.advance(Duration.ofNanos(wrap - 20_000_000_000L));
        assertThat(admitted(table, 5, 3)).isEqualTo(2);
        admitted(table, 6, 100);
        // Read 52 days plus 20 s later, the stored time lies behind: idle.
        time.advance(Duration.ofNanos(wrap + 20_000_000_000L));
        assertThat(admitted(table, 6, 3)).isEqualTo(2);
    }

    @Test
    void concurrentEventsOfOneKeyAreAdmittedExactlyUpToTheBurst() throws Exception {
        RateTable table = newTable(1024, 1000, 15);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Callable<Integer> task = () -> {
                    start.await();
                    return admitted(table, 42, 1000);
                };
                counts.add(pool.submit(task));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> c : counts) {
                total += c.get(30, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(1000);
        } finally {
            pool.shutdownNow();
        }
    }
}
