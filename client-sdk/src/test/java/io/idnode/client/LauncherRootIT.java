package io.idnode.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.server.Node;
import io.idnode.server.TestNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/idnode serve --root FILE --recursive} as an operator runs it, a child process of the packaged jars: the
 * launcher puts the client SDK's jar on the class path, so the node starts, trusts the top-level node of the site
 * file, and resolves an identifier held there by asking it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherRootIT {
    private static final Path LAUNCHER = Path.of("..", "resolver-server", "bin", "idnode").toAbsolutePath()
            .normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on \\S+ port (\\d+)");

    @RegisterExtension
    static final TestNode TOP = TestNode.started(b -> b.prefixes(List.of("88")));

    @TempDir
    Path temp;

    @Test
    void theLauncherServesWithARootAndResolvesThroughIt() throws Exception {
        assumeTrue(Files.isRegularFile(LAUNCHER.resolveSibling("../target/resolver-server.jar").normalize()),
                "resolver-server.jar not built");
        assumeTrue(Files.isRegularFile(Path.of("target", "idctl.jar")), "idctl.jar not built");
        try (HandleClient admin = HandleClient.builder().node("127.0.0.1:" + TOP.port()).identity(Identity.of(
                new ValueReference("0.NA/88", 300), TOP.node().keys().admin().getPrivate())).build()) {
            admin.create("88/THING-1", List.of(Values.url(1, "https://example.com/thing-1"))).join();
        }
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "serve", "--data", temp.resolve("data").toString(),
                "--prefix", "99", "--port", "0", "--http-port", "0", "--root",
                Node.siteFile(TOP.dataDir()).toString(), "--recursive").redirectErrorStream(true);
        pb.environment().put("IDNODE_SDK_JAR", Path.of("target", "idctl.jar").toAbsolutePath().toString());
        Process process = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            int listening = -1;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find() && listening < 0) {
                        listening = Integer.parseInt(m.group(1));
                    }
                    if (line.contains("node ready")) {
                        port.complete(listening);
                    }
                }
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the node ended before it was ready: " + lines));
        });
        reader.setDaemon(true);
        reader.start();
        try {
            int p = port.get(120, TimeUnit.SECONDS);
            try (HandleClient client = HandleClient.builder().node("127.0.0.1:" + p).prefixLookup(false).build()) {
                assertThat(client.resolve("88/THING-1").join().values()).extracting(HandleValue::dataAsString)
                        .contains("https://example.com/thing-1");
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
