package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.PublicKeyAuthenticationInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in its own JVM ({@code Main serve}) is killed with SIGKILL while stock clients create handles, one
 * alone and then several at once in sessions (their creates sharing syncs of the write-ahead log); after a
 * restart on the same data folder every creation that was acknowledged resolves. SIGKILL leaves the
 * kernel's page cache alone, so this shows that nothing is acknowledged before it reached the log, not
 * that the log's sync reached the disk.
 */
class CrashDurabilityTest {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);

    static final String PREFIX = "88.100.1";
    static final int CREATES = 300;
    static final int KILL_AFTER = 120;
    static final int WRITERS = 4;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void acknowledgedCreatesSurviveSigkill() throws Exception {
        survivesSigkill(1, false);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void acknowledgedCreatesOfConcurrentWritersSurviveSigkill() throws Exception {
        survivesSigkill(WRITERS, true);
    }

    /**
     * Starts a node, kills it once {@code writers} clients (in sessions or not) have had {@link #KILL_AFTER}
     * creates acknowledged between them, restarts it and resolves every acknowledged handle.
     */
    private void survivesSigkill(int writers, boolean sessions) throws Exception {
        Path data = temp.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=logback.xml", "io.idnode.server.Main", "serve",
                "--data", data.toString(), "--port", "0", "--http-port", "0", "--prefix", PREFIX, "--threads", "1")
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
        }, "child-output");
        drain.setDaemon(true);
        drain.start();
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        try {
            ready.get(60, TimeUnit.SECONDS);
            PrivateKey admin = KEY_FILES.readPrivateKeyPem(data.resolve("keys").resolve("admin.pem"));
            CountDownLatch enough = new CountDownLatch(KILL_AFTER);
            Thread killer = new Thread(() -> {
                try {
                    enough.await();
                    child.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "killer");
            killer.start();
            List<CompletableFuture<Void>> running = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            for (int w = 0; w < writers; w++) {
                HandleResolver resolver = StockClients.resolver(data, temp.resolve("client-" + w), sessions,
                        Interface.SP_HDL_TCP);
                PublicKeyAuthenticationInfo auth = new PublicKeyAuthenticationInfo(
                        Util.encodeString("0.NA/" + PREFIX), 300, admin);
                String stem = PREFIX + "/CRASH-" + w + "-";
                running.add(CompletableFuture.runAsync(() -> createUntilRefused(resolver, auth, stem, acknowledged,
                        enough), pool));
            }
            try {
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            killer.join();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isNotZero(); // killed, not stopped
        } finally {
            child.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILL_AFTER);
        assertThat(Files.readString(data.resolve("audit.log"))).contains("\"handle\":\"" + acknowledged.get(0) + "\"");

        assertThat(acknowledged).doesNotHaveDuplicates();
        NodeConfig config = TestNode.config(data).prefixes(List.of(PREFIX)).eventLoops(1).cacheMaxRecords(0).build();
        try (Node restarted = Node.start(config)) {
            HandleResolver resolver = StockClients.resolver(data, temp.resolve("client2"), Interface.SP_HDL_TCP);
            for (String h : acknowledged) {
                assertThat(resolver.resolveHandle(h)).as(h).hasSize(1);
            }
        }
    }

    /** Creates {@code stem0}, {@code stem1}... until the node fails or refuses one, noting each acknowledged. */
    private static void createUntilRefused(HandleResolver resolver, PublicKeyAuthenticationInfo auth, String stem,
            List<String> acknowledged, CountDownLatch enough) {
        for (int i = 0; i < CREATES; i++) {
            String h = stem + i;
            AbstractResponse r;
            try {
                r = resolver.processRequest(new CreateHandleRequest(Util.encodeString(h),
                        new net.handle.hdllib.HandleValue[] {new net.handle.hdllib.HandleValue(1, "URL", "u" + i)},
                        auth));
            } catch (HandleException e) {
                return; // the node is gone
            }
            if (r.responseCode != 1) {
                return;
            }
            acknowledged.add(h);
            enough.countDown();
        }
    }
}
