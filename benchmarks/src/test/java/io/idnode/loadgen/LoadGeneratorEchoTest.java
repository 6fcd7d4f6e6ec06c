package io.idnode.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoadGeneratorEchoTest {
    static final List<String> KEYS = Runs.keys(KeyPattern.parse("88.100.1/P%08d:100"));

    static EchoServer echo;
    static EchoServer bigEcho;

    @BeforeAll
    static void startEcho() throws InterruptedException {
        echo = EchoServer.start(InetAddress.getLoopbackAddress(), 0, 330, 1);
        // Three UDP datagrams per reply (§1.3): counted once, when every chunk has arrived.
        bigEcho = EchoServer.start(InetAddress.getLoopbackAddress(), 0, 1200, 1);
    }

    @AfterAll
    static void stopEcho() {
        echo.close();
        bigEcho.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closedLoopCountsEverythingItSentAsAnswered(Transport transport) throws Exception {
        LoadReport r = LoadGenerator.run(Runs.closed(echo.port(), transport, KEYS, 8).build(), Runs.selfPid());

        assertThat(r.sent()).isEqualTo(Runs.REQUESTS);
        assertThat(r.received()).isEqualTo(Runs.REQUESTS);
        assertThat(r.timeouts()).isZero();
        assertThat(r.errors()).isZero();
        assertThat(r.unmatched()).isZero();
        assertThat(r.byCode()).containsExactly(Map.entry(1, Runs.REQUESTS));
        assertThat(r.latencyMicros().getTotalCount()).isEqualTo(Runs.REQUESTS);
        assertThat(r.server().rssMiB()).isPositive();
    }

    @Test
    void multiDatagramRepliesCountOnceWhenComplete() throws Exception {
        LoadReport r = LoadGenerator.run(Runs.closed(bigEcho.port(), Transport.UDP, KEYS, 4).build(), null);

        assertThat(r.sent()).isEqualTo(Runs.REQUESTS);
        assertThat(r.received()).isEqualTo(Runs.REQUESTS);
        assertThat(r.byCode()).containsExactly(Map.entry(1, Runs.REQUESTS));
        assertThat(r.unmatched()).isZero();
        assertThat(r.server()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void openLoopStartsTheRequestsAtItsRateWhateverTheReplies(Transport transport) throws Exception {
        LoadReport r = LoadGenerator.run(Runs.open(echo.port(), transport, KEYS, 4000).requests(400).build(), null);

        assertThat(r.sent()).isEqualTo(400);
        assertThat(r.received()).isEqualTo(400);
        assertThat(r.timeouts() + r.errors()).isZero();
        assertThat(r.byCode()).containsExactly(Map.entry(1, 400L));
        assertThat(r.inFlight()).isZero();
        assertThat(r.rate()).isEqualTo(4000);
    }

    @Test
    void requestsNobodyAnswersTimeOut() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            LoadSettings s = Runs.closed(silent.getLocalPort(), Transport.UDP, KEYS, 4).connections(1).requests(8)
                    .timeout(Duration.ofMillis(50)).build();

            LoadReport r = LoadGenerator.run(s, null);

            assertThat(r.sent()).isEqualTo(8);
            assertThat(r.timeouts()).isEqualTo(8);
            assertThat(r.received()).isZero();
            assertThat(r.byCode()).isEmpty();
        }
    }

    @Test
    void refusedConnectionsCountAsErrors() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }

        LoadReport r = LoadGenerator.run(Runs.closed(closedPort, Transport.TCP_PER_REQUEST, KEYS, 2).requests(20)
                .build(), null);

        assertThat(r.sent()).isEqualTo(20);
        assertThat(r.errors()).isEqualTo(20);
        assertThat(r.received()).isZero();
    }

    @Test
    void aPersistentConnectionThatCannotBeOpenedFailsTheRun() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }

        assertThatThrownBy(() -> LoadGenerator.run(Runs.closed(closedPort, Transport.TCP, KEYS, 2).build(), null))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void summaryIsOneLineOfJsonWithTheCounts() throws Exception {
        LoadReport r = LoadGenerator.run(Runs.closed(echo.port(), Transport.TCP, KEYS, 2).build(), Runs.selfPid());

        String line = r.toJson();
        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("transport").asText()).isEqualTo("tcp");
        assertThat(json.get("mode").asText()).isEqualTo("closed");
        assertThat(json.get("inFlight").asInt()).isEqualTo(2);
        assertThat(json.get("sent").asLong()).isEqualTo(Runs.REQUESTS);
        assertThat(json.get("received").asLong()).isEqualTo(Runs.REQUESTS);
        assertThat(json.get("timeouts").asLong()).isZero();
        assertThat(json.get("responseCodes").get("1").asLong()).isEqualTo(Runs.REQUESTS);
        assertThat(json.get("latencyMicros").get("p99").asLong()).isEqualTo(r.latencyAt(99));
        assertThat(json.get("latencyMicros").get("max").asLong())
                .isGreaterThanOrEqualTo(json.get("latencyMicros").get("p50").asLong());
        assertThat(json.get("server").get("pid").asText()).isEqualTo(Runs.selfPid());
        assertThat(json.get("client").get("rssMiB").asDouble()).isPositive();
    }

    @Test
    void htmlReportPlotsTheDistributionInlineWithoutScripts() throws Exception {
        LoadReport r = LoadGenerator.run(Runs.closed(echo.port(), Transport.UDP, KEYS, 2).build(), null);

        String html = HtmlReport.render(r);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "<polyline", "99.99%")
                .contains("<td>" + r.sent() + "</td>").doesNotContain("<script", "http://", "https://")
                .contains(HtmlReport.escape(r.toJson()));
    }

    @Test
    void refusesATargetThatIsNotLoopback() throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 2641);
        LoadSettings.Builder b = LoadSettings.builder().target(remote).keys(KEYS);

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--allow-remote");
        assertThat(b.allowRemote(true).build().target()).isEqualTo(remote);
    }

    @Test
    void echoRejectsRepliesTooShortForAHeader() {
        assertThatThrownBy(() -> EchoServer.start(InetAddress.getLoopbackAddress(), 0, 43, 1))
                .hasMessageContaining("44");
    }
}
