package io.idnode.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A bound in bytes: reservations that fit are granted, the rest refused and counted, releases give back. */
class MemoryBudgetTest {

    @Test
    void reservationsUpToTheLimitAreGrantedAndTheNextIsRefused() {
        MemoryBudget budget = new MemoryBudget("challenge-memory", 100);

        assertThat(budget.tryReserve(60)).isTrue();
        assertThat(budget.tryReserve(40)).isTrue();
        assertThat(budget.tryReserve(1)).isFalse();

        assertThat(budget.used()).isEqualTo(100);
        assertThat(budget.refused()).isEqualTo(1);
        assertThat(budget).hasToString("challenge-memory 100/100 bytes");
    }

    @Test
    void releasedBytesCanBeReservedAgain() {
        MemoryBudget budget = new MemoryBudget("queue-memory", 100);
        budget.tryReserve(100);

        budget.release(30);

        assertThat(budget.tryReserve(31)).isFalse();
        assertThat(budget.tryReserve(30)).isTrue();
        assertThat(budget.used()).isEqualTo(100);
    }

    @Test
    void releasingMoreThanWasReservedIsADefect() {
        MemoryBudget budget = new MemoryBudget("queue-memory", 100);
        budget.tryReserve(10);

        assertThatThrownBy(() -> budget.release(11)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("queue-memory");
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new MemoryBudget("x-memory", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x-memory");
        assertThatThrownBy(() -> new MemoryBudget("x-memory", 1).tryReserve(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentReservationsNeverPassTheLimit() throws Exception {
        MemoryBudget budget = new MemoryBudget("tcp-frame-memory", 1000);
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    if (budget.tryReserve(7)) {
                        granted.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(10_000);
        }

        assertThat(granted.get()).isEqualTo(1000 / 7);
        assertThat(budget.used()).isEqualTo(1000 / 7 * 7);
        assertThat(budget.refused()).isEqualTo(4000 - 1000 / 7);
    }
}
