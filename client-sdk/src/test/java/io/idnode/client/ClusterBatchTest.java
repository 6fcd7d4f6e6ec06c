package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.model.HandleRecord;
import io.idnode.server.Node;
import io.idnode.server.NodeKeys;
import io.idnode.server.NodeProcess;
import io.idnode.store.RocksDbRecordStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members of a replicated service, each {@code Main serve --cluster} in a JVM of its own on loopback ports;
 * the SDK knows them by their site files and finds the service in the prefix record (every member's HS_SITE).
 * The Raft leader is SIGKILLed in the middle of a batch and started again on its data: the batch completes with
 * every item registered once, each member lists exactly the batch's identifiers, and the three stores are equal
 * record by record.
 */
class ClusterBatchTest {
    static final int ITEMS = 3_000;
    static final int KILL_AFTER = 1_000;
    private static final String[] IDS = {"a", "b", "c"};
    private static final List<String> JVM = List.of("-Xmx160m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-XX:-UsePerfData");
    private static final Duration START = Duration.ofSeconds(150);
    private static final Pattern LEADER = Pattern.compile("changes role from \\w+ to LEADER at term (\\d+)");

    @TempDir
    Path temp;

    private Path clusterFile;
    private final NodeProcess[] members = new NodeProcess[3];

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void aBatchThroughTheSdkSurvivesTheLeaderBeingKilled() throws Exception {
        try {
            run();
        } catch (Exception | AssertionError e) {
            for (int i = 0; i < 3; i++) {
                if (members[i] != null) {
                    List<String> lines = members[i].lines();
                    System.out.println("---- member " + IDS[i] + " (last 80 lines)");
                    lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.out::println);
                }
            }
            throw e;
        } finally {
            for (NodeProcess m : members) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }

    private void run() throws Exception {
        writeClusterFile();
        NodeKeys.loadOrCreate(data("a").resolve(Node.KEYS_DIR), CryptoFixtures.PROVIDERS);
        for (String id : List.of("b", "c")) {
            copyKeys(data("a"), data(id));
        }
        for (int i = 0; i < 3; i++) {
            members[i] = start(i);
        }
        for (NodeProcess m : members) {
            m.awaitJoined(START);
        }
        PrivateKeyIdentity identity = Identity.fromPemFile(ADMIN, data("a").resolve(Node.KEYS_DIR)
                .resolve("admin.pem"));
        HandleClient.Builder builder = HandleClient.builder().identity(identity)
                .operationTimeout(Duration.ofSeconds(120)).requestTimeout(Duration.ofSeconds(10))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(500));
        for (String id : IDS) {
            builder.siteFile(Node.siteFile(data(id)));
        }
        List<RegistrationResult> failures = new CopyOnWriteArrayList<>();
        AtomicLong results = new AtomicLong();
        AtomicLong resultsAtKill = new AtomicLong(-1);
        CountDownLatch enough = new CountDownLatch(KILL_AFTER);
        int[] killed = {-1};
        CompletableFuture<Void> killAndRestart = CompletableFuture.runAsync(() -> {
            try {
                enough.await();
                int leader = leader();
                members[leader].kill();
                resultsAtKill.set(results.get());
                killed[0] = leader;
                members[leader] = start(leader);
                members[leader].awaitJoined(START);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (HandleClient client = builder.build()) {
            BatchOptions options = BatchOptions.defaults().withMaxInFlight(64).withOnResult(r -> {
                results.incrementAndGet();
                if (!r.registered()) {
                    failures.add(r);
                }
                enough.countDown();
            });
            BatchSummary summary = client.register(items(), options).completion().get(300, TimeUnit.SECONDS);
            killAndRestart.get(200, TimeUnit.SECONDS);

            assertThat(failures).isEmpty();
            assertThat(summary.created() + summary.alreadyRegistered()).isEqualTo(ITEMS);
            assertThat(summary.conflicts()).isZero();
            assertThat(summary.failed()).isZero();
            assertThat(resultsAtKill.get()).as("the leader died in the middle of the batch")
                    .isBetween((long) KILL_AFTER, (long) ITEMS - 1);
            System.out.printf("member %s (the leader) killed after %d of %d results; %d created, %d found already"
                    + " registered (a reply lost with the leader)%n", IDS[killed[0]], resultsAtKill.get(), ITEMS,
                    summary.created(), summary.alreadyRegistered());
        }

        // Each member, asked alone, lists exactly the batch's identifiers once it has applied the log.
        Set<String> expected = new HashSet<>();
        items().forEachRemaining(r -> expected.add(r.handle()));
        for (int i = 0; i < 3; i++) {
            try (HandleClient alone = HandleClient.builder().node("127.0.0.1:" + members[i].port())
                    .prefixLookup(false).identity(identity).build()) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                List<String> listed = alone.listHandles(PREFIX).get(60, TimeUnit.SECONDS);
                while (listed.size() < ITEMS && System.nanoTime() < end) {
                    Thread.sleep(200);
                    listed = alone.listHandles(PREFIX).get(60, TimeUnit.SECONDS);
                }
                assertThat(listed).as("handles listed by member " + IDS[i]).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(expected);
                for (int k = i; k < ITEMS; k += 499) {
                    assertThat(alone.blocking().resolve(handle(k)).firstText("URL")).as(handle(k) + " at " + IDS[i])
                            .contains(url(k));
                }
            }
        }
        for (NodeProcess m : members) {
            assertThat(m.stop().exit()).isEqualTo(143); // SIGTERM, after the graceful stop
        }
        List<List<HandleRecord>> stores = new ArrayList<>();
        for (String id : IDS) {
            try (RocksDbRecordStore store = RocksDbRecordStore.open(data(id).resolve(Node.STORE_DIR))) {
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
    }

    private static String handle(int i) {
        return PREFIX + String.format("/CLUSTER-%05d", i);
    }

    private static String url(int i) {
        return "https://example.com/c/" + i;
    }

    private static Iterator<Registration> items() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < ITEMS;
            }

            @Override
            public Registration next() {
                int i = next++;
                return Registration.of(handle(i), Values.url(1, url(i)), Values.admin(100, ADMIN, AdminPermissions.ALL));
            }
        };
    }

    /** The running member that became leader at the highest term, by the members' logs. */
    private int leader() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            int best = -1;
            long bestTerm = -1;
            for (int i = 0; i < 3; i++) {
                for (String line : members[i].lines()) {
                    Matcher m = LEADER.matcher(line);
                    if (m.find() && Long.parseLong(m.group(1)) > bestTerm) {
                        bestTerm = Long.parseLong(m.group(1));
                        best = i;
                    }
                }
            }
            if (best >= 0) {
                return best;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no member became leader");
    }

    private NodeProcess start(int i) throws IOException {
        String id = IDS[i];
        return NodeProcess.start(temp, JVM, "serve", "--data", data(id).toString(), "--cluster",
                clusterFile.toString(), "--member", id, "--prefix", PREFIX, "--threads", "1", "--http-port", "0",
                "--cache", "1000", "--block-cache", "8", "--tcp-session-in-flight", "128");
    }

    private Path data(String id) {
        return temp.resolve("member-" + id);
    }

    private void writeClusterFile() throws IOException {
        StringBuilder b = new StringBuilder("cluster.name = sdk-" + PREFIX + "\n");
        for (String id : IDS) {
            b.append("member.").append(id).append(".address = 127.0.0.1\n")
                    .append("member.").append(id).append(".port = ").append(freePort()).append('\n')
                    .append("member.").append(id).append(".raft-port = ").append(freePort()).append('\n');
        }
        clusterFile = temp.resolve("cluster.properties");
        Files.writeString(clusterFile, b);
    }

    private static void copyKeys(Path from, Path to) throws IOException {
        Path target = to.resolve(Node.KEYS_DIR);
        Files.createDirectories(target);
        try (Stream<Path> keys = Files.list(from.resolve(Node.KEYS_DIR))) {
            for (Path k : keys.toList()) {
                Files.copy(k, target.resolve(k.getFileName()));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
