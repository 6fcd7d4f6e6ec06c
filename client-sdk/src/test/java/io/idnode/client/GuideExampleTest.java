package io.idnode.client;

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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example of the SDK guide ({@code docs/examples/RegisterProducts.java}) runs as the guide says, with the
 * Java source launcher on the client's runtime classpath, against a node: twice, the second run finding every
 * identifier registered already.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
class GuideExampleTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)));

    @Test
    void theGuidesExampleRunsAndCanRunAgain() throws Exception {
        String first = run();
        assertThat(first).contains(PREFIX + "/PUMP-2026-000124 -> https://example.com/products/PUMP-2026-000124"
                + " {\"model\":\"CP-200\",\"batch\":\"B7\"}");
        assertThat(first).contains("created " + PREFIX + "/PUMP-2026-000124")
                .contains("registered 1000 (1000 new, 0 already there), 0 conflicts, 0 failed").endsWith("exit 0");
        assertThat(NODE.node().store().get(PREFIX + "/VALVE-2026-000999").value(1).dataAsString())
                .isEqualTo("https://example.com/products/VALVE-2026-000999");

        String second = run();
        assertThat(second).contains(PREFIX + "/PUMP-2026-000124 was there already")
                .contains("registered 1000 (0 new, 1000 already there), 0 conflicts, 0 failed").endsWith("exit 0");
    }

    private static String run() throws Exception {
        String runtime = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
        String classpath = String.join(File.pathSeparator, Path.of("target", "classes").toString(), runtime);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", classpath,
                Path.of("..", "docs", "examples", "RegisterProducts.java").toString(), "127.0.0.1:" + NODE.port(),
                TestClients.ADMIN, NODE.dataDir().resolve("keys").resolve("admin.pem").toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return output + "\nexit " + child.exitValue();
    }
}
