package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.server.TestNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client works with nothing but what an application depending on it gets: a child JVM on the runtime
 * classpath Maven resolved for client-sdk ({@code target/runtime-classpath.txt}, no RocksDB, no Caffeine, no
 * node) resolves, administers in a session and registers a batch against a node; a class of the store engine,
 * the hot cache or the node needed on any of those paths would fail it with a NoClassDefFoundError.
 */
class RuntimeClasspathTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)));

    @Test
    void theClientRunsOnItsRuntimeClasspathAlone() throws Exception {
        String runtime = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
        String classpath = String.join(File.pathSeparator, Path.of("target", "classes").toString(),
                Path.of("target", "test-classes").toString(), runtime);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", classpath, Probe.class.getName(),
                Integer.toString(NODE.port()), NODE.dataDir().resolve("keys").resolve("admin.pem").toString(),
                NODE.dataDir().resolve("siteinfo.json").toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).doesNotContain("NoClassDefFoundError").contains("probe done: 20 registered");
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(NODE.node().store().get(PREFIX + "/PROBE-19")).isNotNull();
    }

    /** What the child runs: refuses to start if the store engine or the cache is on its classpath. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            for (String absent : List.of("org.rocksdb.RocksDB", "com.github.benmanes.caffeine.cache.Caffeine",
                    "io.idnode.server.Node")) {
                try {
                    Class.forName(absent);
                    throw new IllegalStateException(absent + " is on the client's runtime classpath");
                } catch (ClassNotFoundException expected) {
                    // as it should be
                }
            }
            try (HandleClient client = HandleClient.builder().node("127.0.0.1:" + args[0])
                    .siteFile(Path.of(args[2]))
                    .identity(Identity.fromPemFile(ADMIN, Path.of(args[1]))).build()) {
                client.blocking().create(PREFIX + "/PROBE", List.of(Values.json(1, "PRODUCT_DATA", "{\"a\":1}"),
                        Values.admin(100, ADMIN, AdminPermissions.ALL)));
                client.blocking().resolve(ResolveRequest.of(PREFIX + "/PROBE").withCertified(true));
                java.util.List<Registration> items = new java.util.ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    items.add(Registration.of(PREFIX + "/PROBE-" + i, Values.url(1, "https://example.com/" + i)));
                }
                BatchSummary s = client.register(items.iterator(), BatchOptions.defaults()).completion().get();
                System.out.println("probe done: " + (s.created() + s.alreadyRegistered()) + " registered");
            }
        }
    }
}
