package io.idnode.server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A node for a test class, on loopback and a free port in a temp folder: registered as a static
 * {@code @RegisterExtension} field, it starts before the class's {@code @BeforeAll} methods and is closed and
 * deleted after its tests. {@link #config} gives the same settings to tests that start nodes of their own.
 */
public final class TestNode implements BeforeAllCallback, AfterAllCallback {
    private final Consumer<NodeConfig.Builder> settings;
    private Path temp;
    private Node node;

    private TestNode(Consumer<NodeConfig.Builder> settings) {
        this.settings = settings;
    }

    /** A node started with the test settings of {@link #config}, then {@code settings}. */
    public static TestNode started(Consumer<NodeConfig.Builder> settings) {
        return new TestNode(settings);
    }

    /** Settings of a test node storing in {@code dataDir}: loopback, a free port, two I/O threads, a small cache. */
    public static NodeConfig.Builder config(Path dataDir) {
        return NodeConfig.builder()
                .dataDir(dataDir)
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .httpPort(0)
                .eventLoops(2)
                .tcpIdleTimeout(Duration.ofSeconds(30))
                .cacheMaxRecords(1000);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        temp = Files.createTempDirectory("idnode-test");
        NodeConfig.Builder builder = config(temp.resolve("data"));
        settings.accept(builder);
        node = Node.start(builder.build());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            node = null;
            try (Stream<Path> paths = Files.walk(temp)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The running node. */
    public Node node() {
        return node;
    }

    /** Its data folder (keys, site files, store). */
    public Path dataDir() {
        return temp.resolve("data");
    }

    /** Its port, UDP and TCP. */
    public int port() {
        return node.port();
    }
}
