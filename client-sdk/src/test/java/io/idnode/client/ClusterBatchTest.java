package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleRecord;
import io.idnode.server.ClusterProcesses;
import io.idnode.server.Node;
import io.idnode.server.NodeProcess;
import io.idnode.store.RocksDbRecordStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members of a replicated service, each {@code Main serve --cluster} in a JVM of its own on loopback ports;
 * the SDK knows them by their site files and finds the service in the prefix record (every member's HS_SITE).
 * In the middle of a batch registration something happens to the members; the batch completes with every item
 * registered once, each member lists exactly the batch's identifiers and resolves them, and the three stores are
 * equal record by record.
 */
class ClusterBatchTest {
    static final int ITEMS = 3_000;
    static final int DISTURB_AFTER = 1_000;

    @TempDir
    Path temp;

    private ClusterProcesses cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What happens to the members in the middle of the batch; returns what to print of it. */
    private interface Disturbance {
        String apply(ClusterProcesses members) throws Exception;
    }

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void aBatchThroughTheSdkSurvivesTheLeaderBeingKilled() throws Exception {
        cluster = new ClusterProcesses(temp, PREFIX, "--threads", "1", "--cache", "1000", "--block-cache", "8",
                "--tcp-session-in-flight", "128");
        cluster.startAll();
        batchSurvives(members -> {
            int leader = members.leader();
            members.member(leader).kill();
            NodeProcess again = members.start(leader);
            again.awaitJoined(ClusterProcesses.START);
            return "member " + members.id(leader) + " (the leader) killed and restarted";
        });
    }

    /**
     * Registers {@link #ITEMS} items through the service, applying {@code disturbance} after {@link
     * #DISTURB_AFTER} results, then checks the outcome at every member and in their stores; returns what the
     * disturbance said.
     */
    private String batchSurvives(Disturbance disturbance) throws Exception {
        PrivateKeyIdentity identity = Identity.fromPemFile(ADMIN, cluster.data(0).resolve(Node.KEYS_DIR)
                .resolve("admin.pem"));
        HandleClient.Builder builder = HandleClient.builder().identity(identity)
                .operationTimeout(Duration.ofSeconds(120)).requestTimeout(Duration.ofSeconds(10))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(500));
        for (int i = 0; i < 3; i++) {
            builder.siteFile(Node.siteFile(cluster.data(i)));
        }
        NumberedBatch batch = new NumberedBatch("CLUSTER", ITEMS, DISTURB_AFTER);
        AtomicLong resultsAtDisturbance = new AtomicLong(-1);
        String[] said = new String[1];
        CompletableFuture<Void> disturbed = CompletableFuture.runAsync(() -> {
            try {
                batch.awaitResults();
                resultsAtDisturbance.set(batch.results());
                said[0] = disturbance.apply(cluster);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            try (HandleClient client = builder.build()) {
                BatchSummary summary = batch.register(client, Duration.ofSeconds(300));
                disturbed.get(200, TimeUnit.SECONDS);
                batch.assertEveryItemRegistered(summary);
                assertThat(resultsAtDisturbance.get()).as("disturbed in the middle of the batch")
                        .isBetween((long) DISTURB_AFTER, (long) ITEMS - 1);
                System.out.printf("%s after %d of %d results; %d created, %d found already registered (a reply"
                        + " lost)%n", said[0], resultsAtDisturbance.get(), ITEMS, summary.created(),
                        summary.alreadyRegistered());
            }
            // Each member, asked alone, lists exactly the batch's identifiers once it has applied the log.
            Set<String> expected = batch.handles();
            for (int i = 0; i < 3; i++) {
                try (HandleClient alone = HandleClient.builder().node("127.0.0.1:" + cluster.member(i).port())
                        .prefixLookup(false).identity(identity).build()) {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    List<String> listed = alone.listHandles(PREFIX).get(60, TimeUnit.SECONDS);
                    while (listed.size() < ITEMS && System.nanoTime() < end) {
                        Thread.sleep(200);
                        listed = alone.listHandles(PREFIX).get(60, TimeUnit.SECONDS);
                    }
                    assertThat(listed).as("handles listed by member " + cluster.id(i)).doesNotHaveDuplicates()
                            .containsExactlyInAnyOrderElementsOf(expected);
                    for (int k = i; k < ITEMS; k += 499) {
                        assertThat(alone.blocking().resolve(batch.handle(k)).firstText("URL"))
                                .as(batch.handle(k) + " at " + cluster.id(i)).contains(batch.url(k));
                    }
                }
            }
            String said0 = said[0];
            for (int i = 0; i < 3; i++) {
                assertThat(cluster.member(i).stop().exit()).isEqualTo(143); // SIGTERM, after the graceful stop
            }
            List<List<HandleRecord>> stores = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                try (RocksDbRecordStore store = RocksDbRecordStore.open(cluster.data(i).resolve(Node.STORE_DIR))) {
                    List<HandleRecord> all = new ArrayList<>();
                    for (String h : store.list(PREFIX, null, 10 * ITEMS)) {
                        all.add(store.get(h));
                    }
                    stores.add(all);
                }
            }
            assertThat(stores.get(0)).hasSize(ITEMS);
            assertThat(stores.get(1)).isEqualTo(stores.get(0));
            assertThat(stores.get(2)).isEqualTo(stores.get(0));
            return said0;
        } catch (Exception | AssertionError e) {
            cluster.printLastLines(80);
            throw e;
        }
    }
}
