package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.protocol.Message;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.http.ops.OpsEndpoint;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics} after known traffic: the requests sent over UDP and TCP, counted by operation, transport and
 * response code, equal what was sent, and so do the latency histograms' counts; the hot cache, RocksDB and JVM
 * meters are there; {@code /readyz} says ready.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestMetricsTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true));
    private static final String DEMO = "88.100.1/PUMP-2026-000123";
    private static final String MISSING = "88.100.1/NO-SUCH-PUMP";

    @Test
    void countersEqualTheRequestsSent() throws Exception {
        MetricsScrape before = scrape();
        int id = 1;
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int i = 0; i < 7; i++) {
                assertThat(RawClient.overUdp(udp, NODE.port(), resolution(id++, DEMO)).responseCode())
                        .isEqualTo(ResponseCode.SUCCESS);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(RawClient.overUdp(udp, NODE.port(), resolution(id++, MISSING)).responseCode())
                        .isEqualTo(ResponseCode.HANDLE_NOT_FOUND);
            }
        }
        try (Socket tcp = RawClient.connect(InetAddress.getLoopbackAddress(), NODE.port())) {
            for (int i = 0; i < 4; i++) {
                assertThat(RawClient.exchange(tcp, resolution(id++, DEMO)).responseCode())
                        .isEqualTo(ResponseCode.SUCCESS);
            }
            assertThat(RawClient.exchange(tcp, Requests.madeAt(Instant.now()).withRequestId(id++).siteInfo())
                    .responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(RawClient.exchange(tcp, resolution(id++, "99.999/ELSEWHERE")).responseCode())
                    .isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
        }
        MetricsScrape after = scrape();

        assertThat(delta(before, after, "RESOLUTION", "udp", "SUCCESS")).isEqualTo(7);
        assertThat(delta(before, after, "RESOLUTION", "udp", "HANDLE_NOT_FOUND")).isEqualTo(3);
        assertThat(delta(before, after, "RESOLUTION", "tcp", "SUCCESS")).isEqualTo(4);
        assertThat(delta(before, after, "GET_SITE_INFO", "tcp", "SUCCESS")).isEqualTo(1);
        assertThat(delta(before, after, "RESOLUTION", "tcp", "SERVER_NOT_RESPONSIBLE")).isEqualTo(1);
        assertThat(delta(before, after, "RESOLUTION", "tcp", "HANDLE_NOT_FOUND")).isZero();
        // Timed on the event loops: one request in RequestMeters.SAMPLE per loop, the first a loop sees among them.
        String latency = "idnode_request_latency_seconds_count";
        assertThat(after.value(latency, "op", "RESOLUTION", "transport", "udp")
                - before.value(latency, "op", "RESOLUTION", "transport", "udp")).isBetween(1.0, 10.0);
        assertThat(after.value(latency, "op", "RESOLUTION", "transport", "tcp")
                - before.value(latency, "op", "RESOLUTION", "transport", "tcp")).isBetween(0.0, 5.0);
        String bucket = "idnode_request_latency_seconds_bucket";
        assertThat(after.value(bucket, "op", "RESOLUTION", "transport", "udp", "le", "+Inf")).isEqualTo(
                after.value(latency, "op", "RESOLUTION", "transport", "udp"));
        assertThat(after.has(bucket, "op", "RESOLUTION", "transport", "udp", "le", "0.001")).isTrue();

        // 7 + 4 lookups of one record and 3 of one missing: all but the first of each are cache hits.
        assertThat(after.value("idnode_cache_lookups_total", "result", "hit")
                - before.value("idnode_cache_lookups_total", "result", "hit")).isGreaterThanOrEqualTo(10);
        assertThat(after.value("idnode_cache_hit_ratio")).isBetween(0.5, 1.0);
        assertThat(after.value("idnode_cache_size", "kind", "record")).isGreaterThanOrEqualTo(1);
        assertThat(after.has("idnode_store_keys")).isTrue();
        assertThat(after.has("idnode_store_compaction_pending")).isTrue();
        assertThat(after.value("idnode_store_memtable_bytes")).isPositive();
        assertThat(after.value("jvm_memory_used_bytes", "area", "heap", "id", "G1 Eden Space")
                + after.value("jvm_threads_live_threads")).isPositive();
        assertThat(after.has("idnode_sessions")).isTrue();
    }

    @Test
    void readyWhileServing() throws Exception {
        HttpResponse<String> ready = get(OpsEndpoint.READY);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
        assertThat(get(OpsEndpoint.HEALTH).statusCode()).isEqualTo(200);
        assertThat(NODE.node().notReady()).isNull();
    }

    @Test
    void pagesAreCountedAsHttpResolutions() throws Exception {
        MetricsScrape before = scrape();
        assertThat(get("/" + DEMO + "?noredirect").statusCode()).isEqualTo(200);
        assertThat(get("/" + MISSING).statusCode()).isEqualTo(404);
        MetricsScrape after = scrape();
        assertThat(delta(before, after, "RESOLUTION", "http", "SUCCESS")).isEqualTo(1);
        assertThat(delta(before, after, "RESOLUTION", "http", "HANDLE_NOT_FOUND")).isEqualTo(1);
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String op, String transport, String code) {
        String[] labels = {"op", op, "transport", transport, "code", code};
        return after.value("idnode_requests_total", labels) - before.value("idnode_requests_total", labels);
    }

    private static Message resolution(int id, String handle) {
        return Requests.madeAt(Instant.now()).withRequestId(id).resolution(handle);
    }

    private static MetricsScrape scrape() throws Exception {
        HttpResponse<String> r = get(OpsEndpoint.METRICS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue(OpsEndpoint.PROMETHEUS_TEXT);
        return MetricsScrape.parse(r.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NODE.node().httpPort() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
