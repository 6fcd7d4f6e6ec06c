package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.client.RegistrationResult.Status;
import io.idnode.server.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch registration: from an iterator, a publisher and a JSON Lines file; a result per item at its position;
 * records already there with the same values counted as done, with other values as conflicts; bad lines
 * reported with their line numbers; never more creates outstanding, nor more input read ahead, than allowed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
class BatchTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)));

    @TempDir
    static Path temp;

    static HandleClient client;

    @BeforeAll
    static void connect() throws Exception {
        client = TestClients.of(NODE).identity(TestClients.admin(NODE)).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static Registration item(String name, String url) {
        return Registration.of(PREFIX + "/" + name, Values.url(1, url), Values.admin(100, ADMIN, AdminPermissions.ALL));
    }

    @Test
    void aRerunCountsWhatIsThereAsDoneAndReportsConflicts() throws Exception {
        List<Registration> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(item("RERUN-" + i, "https://example.com/r/" + i));
        }
        BatchSummary first = client.register(items.iterator(), BatchOptions.defaults()).completion().get();
        assertThat(first.created()).isEqualTo(50);
        assertThat(first.total()).isEqualTo(50);

        List<Registration> again = new ArrayList<>(items);
        again.set(7, item("RERUN-7", "https://example.com/other"));
        again.add(item("RERUN-NEW", "https://example.com/new"));
        List<RegistrationResult> results = Collections.synchronizedList(new ArrayList<>());
        BatchSummary second = client.register(again.iterator(), BatchOptions.defaults().withOnResult(results::add))
                .completion().get();

        assertThat(second).extracting(BatchSummary::created, BatchSummary::alreadyRegistered, BatchSummary::conflicts,
                BatchSummary::failed).containsExactly(1L, 49L, 1L, 0L);
        assertThat(results).hasSize(51);
        RegistrationResult conflict = results.stream().filter(r -> r.status() == Status.CONFLICT).findFirst().orElseThrow();
        assertThat(conflict.position()).isEqualTo(7);
        assertThat(conflict.handle()).isEqualTo(PREFIX + "/RERUN-7");
        assertThat(conflict.error()).isInstanceOf(ConflictException.class);
        assertThat(client.blocking().resolve(PREFIX + "/RERUN-7").firstText("URL")).contains("https://example.com/r/7");
        assertThat(results.stream().filter(r -> r.status() == Status.CREATED).findFirst().orElseThrow().position())
                .isEqualTo(50);
    }

    @Test
    void overwritingReplacesExistingRecords() throws Exception {
        client.register(List.of(item("OVER-1", "https://example.com/old")).iterator(), BatchOptions.defaults())
                .completion().get();
        BatchSummary s = client.register(List.of(item("OVER-1", "https://example.com/new")).iterator(),
                BatchOptions.defaults().withIfExists(IfExists.OVERWRITE)).completion().get();
        assertThat(s.created()).isOne();
        assertThat(client.blocking().resolve(PREFIX + "/OVER-1").firstText("URL")).contains("https://example.com/new");
    }

    @Test
    void aJsonLinesFileIsRegisteredAndItsBadLinesNamed() throws Exception {
        Path file = temp.resolve("records.jsonl");
        Files.write(file, List.of(
                "{\"handle\":\"" + PREFIX + "/FILE-1\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":\"https://e/1\"}]}",
                "",
                "{\"handle\":\"" + PREFIX + "/FILE-2\",\"values\":[]}",
                "not json",
                "{\"handle\":\"" + PREFIX + "/FILE-3\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":\"https://e/3\"}]}"));
        List<RegistrationResult> results = Collections.synchronizedList(new ArrayList<>());
        BatchSummary s = client.register(file, BatchOptions.defaults().withOnResult(results::add)).completion().get();

        assertThat(s.created()).isEqualTo(2);
        assertThat(s.failed()).isEqualTo(2);
        assertThat(results).filteredOn(r -> r.status() == Status.FAILED).extracting(RegistrationResult::position)
                .containsExactlyInAnyOrder(2L, 3L);
        assertThat(results).filteredOn(r -> r.position() == 3).singleElement().satisfies(r -> {
            assertThat(r.handle()).isNull();
            assertThat(r.error()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 4");
        });
        assertThat(results).filteredOn(r -> r.registered()).extracting(RegistrationResult::position)
                .containsExactlyInAnyOrder(0L, 4L);
        assertThat(client.blocking().resolve(PREFIX + "/FILE-3").firstText("URL")).contains("https://e/3");
    }

    @Test
    void anIteratorIsReadNoFurtherAheadThanTheCreatesInFlight() throws Exception {
        int window = 8;
        AtomicLong read = new AtomicLong();
        AtomicLong mostAhead = new AtomicLong();
        AtomicReference<BatchRegistration> batch = new AtomicReference<>();
        Iterator<Registration> input = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return read.get() < 300;
            }

            @Override
            public Registration next() {
                long n = read.incrementAndGet();
                BatchRegistration b;
                while ((b = batch.get()) == null) {
                    Thread.onSpinWait(); // the reader starts before register() returns the batch
                }
                long done = b.progress().total();
                mostAhead.accumulateAndGet(n - done, Math::max);
                return item("WINDOW-" + n, "https://example.com/w/" + n);
            }
        };
        BatchRegistration registration = client.register(input, BatchOptions.defaults().withMaxInFlight(window));
        batch.set(registration);
        BatchSummary s = registration.completion().get();
        assertThat(s.created()).isEqualTo(300);
        assertThat(mostAhead.get()).isBetween(1L, (long) window);
    }

    @Test
    void aPublisherIsAskedForOneMoreAsEachCreateCompletes() throws Exception {
        AtomicLong firstRequest = new AtomicLong();
        AtomicLong requested = new AtomicLong();
        AtomicLong delivered = new AtomicLong();
        AtomicInteger mostOutstanding = new AtomicInteger();
        // The publisher signals onSubscribe once register() has returned the batch (as one with a thread of its own
        // may), so that every item is delivered with the batch's progress at hand.
        AtomicReference<Flow.Subscriber<? super Registration>> subscribed = new AtomicReference<>();
        Flow.Publisher<Registration> publisher = subscribed::set;
        BatchRegistration batch = client.register(publisher, BatchOptions.defaults().withMaxInFlight(16));
        Flow.Subscriber<? super Registration> subscriber = subscribed.get();
        subscriber.onSubscribe(new Flow.Subscription() {
            private boolean finished;

            @Override
            public synchronized void request(long n) {
                firstRequest.compareAndSet(0, n);
                requested.addAndGet(n);
                while (!finished && delivered.get() < requested.get()) {
                    if (delivered.get() == 200) {
                        finished = true;
                        subscriber.onComplete();
                        return;
                    }
                    long i = delivered.incrementAndGet();
                    long done = batch.progress().total(); // counted before a place frees
                    mostOutstanding.accumulateAndGet((int) (i - done), Math::max);
                    subscriber.onNext(item("PUB-" + i, "https://example.com/p/" + i));
                }
            }

            @Override
            public void cancel() {
            }
        });
        BatchSummary s = batch.completion().get();
        assertThat(s.created()).isEqualTo(200);
        assertThat(firstRequest.get()).as("as many at first as may be outstanding").isEqualTo(16);
        assertThat(requested.get()).as("16 at first, one more per completed create").isEqualTo(16 + 200);
        assertThat(mostOutstanding.get()).as("never more outstanding than allowed").isBetween(1, 16);
    }

    @Test
    void aFailingInputEndsTheBatchWithItsErrorOnceTheItemsInFlightAreDone() {
        Iterator<Registration> broken = new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Registration next() {
                if (++n > 3) {
                    throw new IllegalStateException("input broke at item " + n);
                }
                return item("BROKEN-" + n, "https://example.com/b/" + n);
            }
        };
        BatchRegistration batch = client.register(broken, BatchOptions.defaults());
        assertThatThrownBy(() -> batch.completion().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("input broke at item 4");
        assertThat(batch.progress().created()).isEqualTo(3);
    }

    @Test
    void manyCreatesInFlightInOneSessionAllGoThrough() throws Exception {
        // Each connection's session's counters reach the node in order however many are in flight (its window is
        // 64, §6.5): 512 in flight, three times over.
        Iterator<Registration> items = java.util.stream.IntStream.range(0, 1536)
                .mapToObj(i -> item("MANY-" + i, "https://example.com/m/" + i)).iterator();
        BatchSummary s = client.register(items, BatchOptions.defaults().withMaxInFlight(512)).completion().get();
        assertThat(s).extracting(BatchSummary::created, BatchSummary::failed).containsExactly(1536L, 0L);
    }

    @Test
    void maxInFlightIsChecked() {
        assertThatThrownBy(() -> BatchOptions.defaults().withMaxInFlight(0)).isInstanceOfSatisfying(
                InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo("maxInFlight"));
    }
}
