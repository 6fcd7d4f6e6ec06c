package io.idnode.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The builder's defaults, and how it refuses nonsense: at once, naming the setting and what would do. */
class ClientSettingsTest {
    @TempDir
    Path temp;

    @Test
    void defaultsAreTheDocumentedOnes() {
        try (HandleClient c = HandleClient.builder().node("127.0.0.1").build()) {
            ClientSettings s = c.settings();
            assertThat(s.nodes()).containsExactly(new InetSocketAddress("127.0.0.1", HandleClient.DEFAULT_PORT));
            assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(s.operationTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(s.udpRetrySchedule()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000),
                    Duration.ofMillis(1500));
            assertThat(s.udp()).isTrue();
            assertThat(s.connectionsPerServer()).isEqualTo(2);
            assertThat(s.maxInFlight()).isEqualTo(4096);
            assertThat(s.eventLoopThreads()).isEqualTo(2);
            assertThat(s.sessions()).isTrue();
            assertThat(s.sessionTimeout()).isEqualTo(Duration.ofHours(24));
            assertThat(s.retryBackoff()).isEqualTo(Duration.ofMillis(50));
            assertThat(s.maxRetryBackoff()).isEqualTo(Duration.ofSeconds(2));
            assertThat(s.prefixLookup()).isTrue();
            assertThat(s.callbackExecutor()).isSameAs(ForkJoinPool.commonPool());
            assertThat(s.identity()).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:2642    | 127.0.0.1 | 2642",
        "localhost:7       | 127.0.0.1 | 7",
        "[::1]:2641        | 0:0:0:0:0:0:0:1 | 2641",
        "[::1]             | 0:0:0:0:0:0:0:1 | 2641",
        "::1               | 0:0:0:0:0:0:0:1 | 2641"})
    void nodesAreHostAndPort(String text, String address, int port) {
        try (HandleClient c = HandleClient.builder().node(text).build()) {
            InetSocketAddress a = c.settings().nodes().get(0);
            assertThat(a.getAddress().getHostAddress()).isEqualTo(address);
            assertThat(a.getPort()).isEqualTo(port);
        }
    }

    @Test
    void refusesNonsenseNamingTheSetting() {
        HandleClient.Builder b = HandleClient.builder();
        assertRefused(() -> b.node("127.0.0.1:70000"), "node", "port must be 1..65535, was '70000'");
        assertRefused(() -> b.node(""), "node", "must be host:port");
        assertRefused(() -> b.requestTimeout(Duration.ZERO), "requestTimeout", "must be positive, was PT0S");
        assertRefused(() -> b.operationTimeout(Duration.ofSeconds(-1)), "operationTimeout", "must be positive");
        assertRefused(() -> b.udpRetrySchedule(List.of()), "udpRetrySchedule", "at least one wait");
        assertRefused(() -> b.connectionsPerServer(0), "connectionsPerServer", "must be 1..64, was 0");
        assertRefused(() -> b.maxInFlight(0), "maxInFlight", "must be 1..1000000, was 0");
        assertRefused(() -> b.eventLoopThreads(1000), "eventLoopThreads", "must be 1..256, was 1000");
        assertRefused(() -> b.sessionTimeout(Duration.ofDays(30)), "sessionTimeout", "must be 1 s..24 days");
        assertRefused(() -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)), "retryBackoff",
                "must not be shorter than the first");
        assertRefused(b::build, "node", "is missing: give a node (host:port), a site file or a site");
    }

    @Test
    void aSiteFileThatIsNoneIsRefusedNamingIt() throws Exception {
        Path bad = temp.resolve("siteinfo.json");
        Files.writeString(bad, "{\"version\": 1}");
        assertRefused(() -> HandleClient.builder().siteFile(bad), "siteFile", bad + " is not a site description");
        assertRefused(() -> HandleClient.builder().siteFile(temp.resolve("missing.bin")), "siteFile", "cannot read");
    }

    private static void assertRefused(Runnable setter, String setting, String problem) {
        assertThatThrownBy(setter::run).isInstanceOfSatisfying(InvalidSettingException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.problem()).contains(problem);
            assertThat(e).hasMessageStartingWith(setting + " ");
        });
    }
}
