package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A batch registration of numbered items {@code PREFIX/STEM-00000} on, each with a URL and an HS_ADMIN of the
 * prefix's administrator, 64 in flight, its results counted as they come: what the tests that disturb the nodes
 * in the middle of a batch share.
 */
final class NumberedBatch {
    private final String stem;
    private final int count;
    private final AtomicLong results = new AtomicLong();
    private final List<RegistrationResult> failures = new CopyOnWriteArrayList<>();
    private final CountDownLatch reached;

    /** {@code count} items named {@code stem}; {@link #awaitResults} returns after {@code signalAfter} results. */
    NumberedBatch(String stem, int count, int signalAfter) {
        this.stem = stem;
        this.count = count;
        this.reached = new CountDownLatch(signalAfter);
    }

    String handle(int i) {
        return PREFIX + String.format("/%s-%05d", stem, i);
    }

    String url(int i) {
        return "https://example.com/" + stem.toLowerCase(java.util.Locale.ROOT) + "/" + i;
    }

    /** Every item's handle. */
    Set<String> handles() {
        Set<String> all = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            all.add(handle(i));
        }
        return all;
    }

    private Iterator<Registration> items() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Registration next() {
                int i = next++;
                return Registration.of(handle(i), Values.url(1, url(i)),
                        Values.admin(100, ADMIN, AdminPermissions.ALL));
            }
        };
    }

    /** Waits until the number of results given at construction has come. */
    void awaitResults() throws InterruptedException {
        reached.await();
    }

    /** Results so far. */
    long results() {
        return results.get();
    }

    /** Registers every item through {@code client}; returns the summary once all are done, within {@code bound}. */
    BatchSummary register(HandleClient client, Duration bound) throws Exception {
        BatchOptions options = BatchOptions.defaults().withMaxInFlight(64).withOnResult(r -> {
            results.incrementAndGet();
            if (!r.registered()) {
                failures.add(r);
            }
            reached.countDown();
        });
        return client.register(items(), options).completion().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every item registered once: created, or found registered when the reply to its create was lost. */
    void assertEveryItemRegistered(BatchSummary summary) {
        assertThat(failures).isEmpty();
        assertThat(summary.created() + summary.alreadyRegistered()).isEqualTo(count);
        assertThat(summary.conflicts()).isZero();
        assertThat(summary.failed()).isZero();
    }
}
