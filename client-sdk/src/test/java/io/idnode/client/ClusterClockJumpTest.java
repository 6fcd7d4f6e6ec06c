package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static io.idnode.client.TestClients.PREFIX_HANDLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleRecord;
import io.idnode.model.ValueReference;
import io.idnode.replication.ClusterMember;
import io.idnode.server.ClusterProcesses;
import io.idnode.server.Node;
import io.idnode.server.NodeConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members of a replicated service in this JVM, each node on a wall clock of its own; in the middle of a
 * batch registration through the SDK the leader's clock jumps an hour ahead and a follower's an hour back, as a
 * badly set time server does. Raft's timing reads the monotonic clock, the nodes' wall clocks stamp values and
 * time sessions: the batch completes with every item registered once and the three replicas hold the same
 * records, their timestamps those of the member that took each create.
 */
class ClusterClockJumpTest {
    static final int ITEMS = 2_000;
    static final int JUMP_AFTER = 600;

    @TempDir
    Path temp;

    private final List<Node> nodes = new ArrayList<>();

    /** The system's clock moved by an offset that a test changes at will. */
    static final class JumpingClock extends Clock {
        final AtomicLong offsetMillis = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plusMillis(offsetMillis.get());
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void createsGoOnWhileTheMembersClocksJump() throws Exception {
        ClusterProcesses files = new ClusterProcesses(temp, PREFIX);
        JumpingClock[] clocks = new JumpingClock[3];
        List<CompletableFuture<Node>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clocks[i] = new JumpingClock();
            NodeConfig config = NodeConfig.builder().dataDir(files.data(i)).eventLoops(1).http(false)
                    .cacheMaxRecords(10_000).admins(List.of(new ValueReference(PREFIX_HANDLE, 300)))
                    .cluster(files.clusterFile(), files.id(i)).clock(clocks[i]).build();
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Node.start(config);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Node> f : starting) {
            nodes.add(f.get(120, TimeUnit.SECONDS));
        }
        for (Node n : nodes) {
            awaitJoined(n);
        }

        PrivateKeyIdentity identity = Identity.fromPemFile(ADMIN, files.data(0).resolve(Node.KEYS_DIR)
                .resolve("admin.pem"));
        HandleClient.Builder builder = HandleClient.builder().identity(identity)
                .operationTimeout(Duration.ofSeconds(120)).requestTimeout(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            builder.siteFile(Node.siteFile(files.data(i)));
        }
        NumberedBatch batch = new NumberedBatch("CLOCK", ITEMS, JUMP_AFTER);
        int[] jumped = new int[2];
        long[] termsAtJump = new long[3];
        CompletableFuture<Void> jump = CompletableFuture.runAsync(() -> {
            try {
                batch.awaitResults();
                jumped[0] = leader();
                jumped[1] = (jumped[0] + 1) % 3;
                for (int i = 0; i < 3; i++) {
                    termsAtJump[i] = division(i).getCurrentTerm();
                }
                clocks[jumped[0]].offsetMillis.set(TimeUnit.HOURS.toMillis(1));
                clocks[jumped[1]].offsetMillis.set(-TimeUnit.HOURS.toMillis(1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (HandleClient client = builder.build()) {
            batch.assertEveryItemRegistered(batch.register(client, Duration.ofSeconds(240)));
        }
        jump.get(60, TimeUnit.SECONDS);
        System.out.printf("member %s (the leader) an hour ahead, %s an hour back after %d of %d results; terms %s"
                + " at the jump, %s at the end%n", files.id(jumped[0]), files.id(jumped[1]), JUMP_AFTER, ITEMS,
                java.util.Arrays.toString(termsAtJump), java.util.Arrays.toString(new long[] {
                        division(0).getCurrentTerm(), division(1).getCurrentTerm(), division(2).getCurrentTerm()}));

        // Every replica holds every item once, the same records; the clocks' jumps show in the timestamps.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (nodes.stream().anyMatch(n -> n.member().orElseThrow().replica().list(PREFIX, null, 10 * ITEMS)
                .size() < ITEMS) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        List<List<HandleRecord>> replicas = new ArrayList<>();
        for (Node n : nodes) {
            var replica = n.member().orElseThrow().replica();
            List<HandleRecord> all = new ArrayList<>();
            for (String h : replica.list(PREFIX, null, 10 * ITEMS)) {
                all.add(replica.get(h));
            }
            replicas.add(all);
        }
        assertThat(replicas.get(0)).hasSize(ITEMS);
        assertThat(replicas.get(1)).isEqualTo(replicas.get(0));
        assertThat(replicas.get(2)).isEqualTo(replicas.get(0));
        long now = System.currentTimeMillis() / 1000;
        assertThat(replicas.get(0).stream().mapToLong(r -> r.values().get(0).timestamp()))
                .allMatch(t -> t > now - 2 * 3600 && t < now + 2 * 3600);
        // A create taken by each jumped member carries its clock, on every replica.
        long[] offsets = {3600, -3600};
        for (int k = 0; k < 2; k++) {
            String handle = PREFIX + "/CLOCK-AT-" + files.id(jumped[k]);
            try (HandleClient pinned = HandleClient.builder().node("127.0.0.1:" + nodes.get(jumped[k]).port())
                    .prefixLookup(false).identity(identity).build()) {
                pinned.blocking().create(handle, List.of(Values.url(1, "https://example.com/clock")));
            }
            long expected = System.currentTimeMillis() / 1000 + offsets[k];
            for (Node n : nodes) {
                var replica = n.member().orElseThrow().replica();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (replica.get(handle) == null && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(replica.get(handle)).as(handle + " on every replica").isNotNull();
                assertThat((long) replica.get(handle).values().get(0).timestamp())
                        .as("timestamp of a value created at member %s, its clock moved %d s", files.id(jumped[k]),
                                offsets[k]).isBetween(expected - 120, expected + 120);
            }
        }
    }

    private org.apache.ratis.server.DivisionInfo division(int i) throws java.io.IOException {
        ClusterMember m = nodes.get(i).member().orElseThrow();
        return m.server().getDivision(m.group().getGroupId()).getInfo();
    }

    private int leader() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            for (int i = 0; i < 3; i++) {
                if (division(i).isLeader()) {
                    return i;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader");
    }

    /** Waits until {@code n} has published its site and answers a read index (it follows a leader). */
    private static void awaitJoined(Node n) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            HandleRecord prefix = n.store().get(PREFIX_HANDLE);
            if (prefix != null && prefix.values().stream().filter(v -> v.type().equals("HS_SITE")).count() == 3) {
                try {
                    n.member().orElseThrow().store().readIndex().get(10, TimeUnit.SECONDS);
                    return;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // no leader yet
                }
            }
            assertThat(System.nanoTime()).as("member joined and published its site").isLessThan(end);
            Thread.sleep(100);
        }
    }
}
