package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in its own JVM ({@code Main serve}) is killed with SIGKILL in the middle of a 10,000-item batch and
 * started again on the same data and port: the client reconnects, sets up a new session, authenticates again
 * and retries what was in flight, a create whose reply was lost counting as done when the record holds its
 * values. The batch completes, and the prefix then holds every identifier exactly once.
 */
class NodeRestartBatchTest {
    static final int ITEMS = 10_000;
    static final int KILL_AFTER = 3_000;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aBatchSurvivesTheNodeBeingKilledAndRestarted() throws Exception {
        Path data = temp.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process first = startNode(data, port);
        Process[] second = new Process[1];
        try {
            NumberedBatch batch = new NumberedBatch("BATCH", ITEMS, KILL_AFTER);
            AtomicLong resultsBeforeKill = new AtomicLong(-1);
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
                try {
                    batch.awaitResults();
                    first.destroyForcibly();
                    first.waitFor();
                    resultsBeforeKill.set(batch.results());
                    second[0] = startNode(data, port);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            BatchSummary summary;
            try (HandleClient client = HandleClient.builder().node("127.0.0.1:" + port)
                    .identity(Identity.fromPemFile(ADMIN, data.resolve("keys").resolve("admin.pem")))
                    .operationTimeout(Duration.ofSeconds(120)).requestTimeout(Duration.ofSeconds(10))
                    .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(500)).build()) {
                summary = batch.register(client, Duration.ofSeconds(240));
                restarted.get(60, TimeUnit.SECONDS);

                batch.assertEveryItemRegistered(summary);
                assertThat(first.exitValue()).as("killed, not stopped").isNotZero();
                assertThat(resultsBeforeKill.get()).as("the node died in the middle of the batch")
                        .isBetween((long) KILL_AFTER, (long) ITEMS - 1);

                List<String> listed = client.listHandles(PREFIX).get(60, TimeUnit.SECONDS);
                assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(batch.handles());
                for (int i = 0; i < ITEMS; i += 997) {
                    assertThat(client.blocking().resolve(batch.handle(i)).firstText("URL")).contains(batch.url(i));
                }
            }
        } finally {
            first.destroyForcibly();
            if (second[0] != null) {
                second[0].destroyForcibly();
                second[0].waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts {@code Main serve} in a child JVM on {@code data} and {@code port}; returns once it is ready. */
    private static Process startNode(Path data, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=logback.xml", "io.idnode.server.Main", "serve",
                "--data", data.toString(), "--port", Integer.toString(port), "--http-port", "0", "--prefix", PREFIX, "--threads", "1")
                .redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.contains("node ready")) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new AssertionError("node exited before it was ready"));
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        }, "node-output");
        drain.setDaemon(true);
        drain.start();
        ready.get(60, TimeUnit.SECONDS);
        return child;
    }
}
