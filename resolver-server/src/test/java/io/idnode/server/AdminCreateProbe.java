package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.ValueReference;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.AuthenticationInfo;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.HandleValue;
import net.handle.hdllib.Interface;
import net.handle.hdllib.PublicKeyAuthenticationInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.Test;

/**
 * Authenticated creates per second by stock 9.3.1 clients over TCP with the node's RSA administrator key,
 * without sessions (a challenge per create) and with the library's default session tracker (one challenge
 * per session, handle-protocol.md §6.5), for 1 and 4 concurrent clients. Not run by default (surefire picks
 * {@code *Test} classes only); run it by name, with the seconds per case in {@code probe.seconds} (default 10):
 * {@code mvn -o -B -q verify -pl resolver-server -am -Dtest=AdminCreateProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -Dprobe.seconds=10}, or through {@link #main}.
 */
final class AdminCreateProbe {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);

    private static final String PREFIX = "88.100.1";
    private static final String PREFIX_HANDLE = "0.NA/" + PREFIX;
    private static final int WARM_UP_CREATES = 50;

    @Test
    void authenticatedCreatesPerSecond() throws Exception {
        List<String> rows = measure(Duration.ofSeconds(Integer.getInteger("probe.seconds", 10)));
        rows.forEach(System.out::println);
        assertThat(rows).hasSize(5);
    }

    public static void main(String[] args) throws Exception {
        measure(Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10)).forEach(System.out::println);
    }

    /** Runs the four cases against one fresh node and returns the table, header first. */
    static List<String> measure(Duration each) throws Exception {
        Path temp = Files.createTempDirectory("idnode-probe");
        Path data = temp.resolve("data");
        NodeConfig config = new NodeConfig(data, InetAddress.getLoopbackAddress(), 0, null, List.of(PREFIX), false,
                Duration.ofSeconds(30), 2, 1000, List.of(new ValueReference(PREFIX_HANDLE, 300)));
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-12s %7s %9s %10s", "mode", "clients", "creates", "creates/s"));
        try (Node node = Node.start(config)) {
            PrivateKey admin = KEY_FILES.readPrivateKeyPem(data.resolve(Node.KEYS_DIR).resolve("admin.pem"));
            for (boolean sessions : new boolean[] {false, true}) {
                for (int clients : new int[] {1, 4}) {
                    String name = (sessions ? "session" : "plain") + "-" + clients;
                    long[] counts = run(data, temp, name, sessions, clients, admin, each);
                    // Every counted create was acknowledged; spot-check that the last ones are really stored.
                    for (int c = 0; c < clients; c++) {
                        if (counts[2 + c] > 0) {
                            String last = PREFIX + "/PROBE-" + name + "-" + c + "-" + (counts[2 + c] - 1);
                            assertThat(node.store().get(last)).as(last).isNotNull();
                        }
                    }
                    rows.add(String.format("%-12s %7d %9d %10.1f", sessions ? "sessions" : "no sessions", clients,
                            counts[0], counts[0] / (counts[1] / 1e9)));
                }
            }
        } finally {
            deleteTree(temp);
        }
        return rows;
    }

    /**
     * Creates as fast as {@code clients} threads can for {@code each}; returns {creates, elapsed nanos, then
     * each client's creates}.
     */
    private static long[] run(Path data, Path temp, String name, boolean sessions, int clients, PrivateKey admin,
            Duration each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        // The clock starts when every client has warmed up (the barrier action runs before anyone goes on).
        long[] deadline = new long[1];
        CyclicBarrier start = new CyclicBarrier(clients + 1, () -> deadline[0] = System.nanoTime() + each.toNanos());
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                // One resolver and one identity object per client: its own session when sessions are on.
                HandleResolver r = StockClients.resolver(data, temp.resolve("client-" + name + "-" + c), sessions,
                        Interface.SP_HDL_TCP);
                AuthenticationInfo auth = new PublicKeyAuthenticationInfo(Util.encodeString(PREFIX_HANDLE), 300,
                        admin);
                String stem = PREFIX + "/PROBE-" + name + "-" + c + "-";
                done.add(pool.submit(() -> {
                    for (int i = 0; i < WARM_UP_CREATES; i++) {
                        create(r, auth, stem + "W" + i);
                    }
                    start.await();
                    long n = 0;
                    while (System.nanoTime() < deadline[0]) {
                        create(r, auth, stem + n);
                        n++;
                    }
                    return n;
                }));
            }
            start.await();
            long t0 = deadline[0] - each.toNanos();
            long[] out = new long[2 + clients];
            for (int c = 0; c < clients; c++) {
                out[2 + c] = done.get(c).get();
                out[0] += out[2 + c];
            }
            out[1] = System.nanoTime() - t0;
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void create(HandleResolver r, AuthenticationInfo auth, String handle) throws Exception {
        AbstractResponse resp = r.processRequest(new CreateHandleRequest(Util.encodeString(handle),
                new HandleValue[] {new HandleValue(1, "URL", "https://example.com/" + handle)}, auth));
        if (resp.responseCode != 1) {
            throw new IllegalStateException("create " + handle + " answered " + resp);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
