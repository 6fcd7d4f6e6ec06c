package io.idnode.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Requests;
import io.idnode.server.TestNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP ports' share of the node's bookkeeping and limits: API requests and native messages over HTTP counted in
 * {@code /metrics} with transport {@code http}, equal to the requests sent; the per-network rate applied to HTTP (429
 * with Retry-After and a message, counted); OPTIONS and CORS headers for the read API only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpCountsLimitsCorsTest {
    static final String DEMO = "88.100.1/PUMP-2026-000123";

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true));

    @RegisterExtension
    static final TestNode LIMITED = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true)
            .exemptNetworks(List.of()).udpRate(5));

    /** The value of the sample {@code name} whose labels include {@code labels} (name, value, ...), 0 if none. */
    static double sample(String metrics, String name, String... labels) {
        Pattern label = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String set = line.substring(name.length() + 1, line.lastIndexOf('}'));
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                boolean found = false;
                for (Matcher m = label.matcher(set); m.find(); ) {
                    found |= m.group(1).equals(labels[i]) && m.group(2).equals(labels[i + 1]);
                }
                all &= found;
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    static double requests(String metrics, String op, String code) {
        return sample(metrics, "idnode_requests_total", "op", op, "transport", "http", "code", code);
    }

    @Test
    void apiRequestsAndNativeMessagesAreCountedAsHttpRequests() throws Exception {
        ApiClient api = ApiClient.plain(NODE.node().httpPort());
        String before = api.get("/metrics").body();
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/api/handles/" + DEMO).status()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(api.get("/api/handles/88.100.1/NO-SUCH-PUMP").status()).isEqualTo(404);
        }
        assertThat(api.get("/api/site").status()).isEqualTo(200);
        assertThat(api.get("/api/handles?prefix=88.100.1").status()).isEqualTo(403); // listing needs HTTPS
        assertThat(api.get("/api/verifications?id=300:99.999/X&nonce=AAAA&cnonce=AAAA&signature=AAAA").status())
                .isEqualTo(400);
        assertThat(api.get("/api/handles/" + DEMO + "?unknown=1").status()).isEqualTo(400); // refused before the chain
        for (int i = 0; i < 2; i++) {
            byte[] message = MessageCodec.DEFAULT.encode(Requests.madeAt(Instant.now()).withRequestId(100 + i)
                    .resolution(DEMO));
            ApiClient.Answer a = api.send(api.to("/").header("Content-Type", NativeMessageEndpoint.MEDIA_TYPE)
                    .POST(BodyPublishers.ofByteArray(message)));
            assertThat(a.status()).isEqualTo(200);
        }
        String after = api.get("/metrics").body();

        assertThat(requests(after, "RESOLUTION", "SUCCESS") - requests(before, "RESOLUTION", "SUCCESS"))
                .isEqualTo(5);
        assertThat(requests(after, "RESOLUTION", "HANDLE_NOT_FOUND") - requests(before, "RESOLUTION",
                "HANDLE_NOT_FOUND")).isEqualTo(2);
        assertThat(requests(after, "GET_SITE_INFO", "SUCCESS") - requests(before, "GET_SITE_INFO", "SUCCESS"))
                .isEqualTo(1);
        assertThat(requests(after, "LIST_HANDLES", "AUTHENTICATION_NEEDED") - requests(before, "LIST_HANDLES",
                "AUTHENTICATION_NEEDED")).isEqualTo(1);
        assertThat(requests(after, "VERIFY_CHALLENGE", "SERVER_NOT_RESPONSIBLE") - requests(before,
                "VERIFY_CHALLENGE", "SERVER_NOT_RESPONSIBLE")).isEqualTo(1);
        assertThat(sample(after, "idnode_requests_total", "transport", "http")
                - sample(before, "idnode_requests_total", "transport", "http")).isEqualTo(10);
        assertThat(sample(after, "idnode_requests_total", "transport", "udp")
                - sample(before, "idnode_requests_total", "transport", "udp")).isZero();
    }

    @Test
    void aSourceAboveTheRateIsAnswered429WithRetryAfterAndCounted() throws Exception {
        ApiClient api = ApiClient.plain(LIMITED.node().httpPort());
        double refusedBefore = sample(api.get("/metrics").body(), "idnode_refusals_total", "reason",
                HttpLimits.REASON);
        int ok = 0;
        int refused = 0;
        ApiClient.Answer last429 = null;
        for (int i = 0; i < 60; i++) {
            ApiClient.Answer a = api.get("/api/handles/" + DEMO);
            if (a.status() == 429) {
                refused++;
                last429 = a;
            } else {
                assertThat(a.status()).isEqualTo(200);
                ok++;
            }
        }
        assertThat(ok).isPositive();
        assertThat(refused).isPositive();
        assertThat(last429.raw().headers().firstValue("retry-after")).hasValue("1");
        assertThat(last429.body()).contains("requests a second from your network");
        Thread.sleep(16_000); // the charged window of refused requests passes
        String metrics = api.get("/metrics").body();
        assertThat(sample(metrics, "idnode_refusals_total", "reason", HttpLimits.REASON) - refusedBefore)
                .isEqualTo(refused);
        assertThat(api.get("/api/handles/" + DEMO).status()).isEqualTo(200);
    }

    @Test
    void theReadApiAnswersPreflightsAndAllowsAnyOriginToReadTheRestDoesNot() throws Exception {
        ApiClient api = ApiClient.plain(NODE.node().httpPort());
        ApiClient.Answer preflight = api.send(api.to("/api/handles/" + DEMO).header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "GET").method("OPTIONS", BodyPublishers.noBody()));
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.raw().headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(preflight.raw().headers().firstValue("access-control-allow-methods")).hasValue("GET, HEAD, OPTIONS");
        assertThat(preflight.raw().headers().firstValue("allow")).hasValueSatisfying(v ->
                assertThat(v).contains("PUT", "DELETE"));

        ApiClient.Answer read = api.send(api.to("/api/handles/" + DEMO).header("Origin", "https://app.example").GET());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.raw().headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(read.raw().headers().firstValue("access-control-allow-credentials")).isEmpty();
        assertThat(api.get("/api/handles/" + DEMO).raw().headers().firstValue("access-control-allow-origin")).isEmpty();

        ApiClient.Answer sessions = api.send(api.to("/api/sessions").header("Origin", "https://app.example")
                .method("OPTIONS", BodyPublishers.noBody()));
        assertThat(sessions.status()).isEqualTo(204);
        assertThat(sessions.raw().headers().firstValue("access-control-allow-origin")).isEmpty();
        ApiClient.Answer write = api.send(api.to("/api/handles/" + DEMO).header("Origin", "https://app.example")
                .DELETE());
        assertThat(write.raw().headers().firstValue("access-control-allow-origin")).isEmpty();
    }
}
