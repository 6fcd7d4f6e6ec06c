package io.idnode.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.server.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP front of a real node on loopback: keep-alive, the body limit, requests no endpoint takes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpFrontTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> { });

    @Test
    void aRequestNoEndpointTakesIs404WithAMessage() throws Exception {
        try (RawHttp http = new RawHttp(NODE.node().httpPort())) {
            http.send("PATCH /nothing-here HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", new byte[0]);
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.headers().get("content-type")).startsWith("text/plain");
            assertThat(r.text()).contains("/nothing-here");
        }
    }

    @Test
    void requestsOnOneConnectionAreAnsweredInTurnOverKeepAlive() throws Exception {
        try (RawHttp http = new RawHttp(NODE.node().httpPort())) {
            String two = "PATCH /first HTTP/1.1\r\nHost: x\r\n\r\nPATCH /second HTTP/1.1\r\nHost: x\r\n\r\n";
            http.send(two, new byte[0]);
            assertThat(http.read().text()).contains("/first");
            assertThat(http.read().text()).contains("/second");
            http.send("PATCH /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]);
            RawHttp.Response last = http.read();
            assertThat(last.text()).contains("/third");
            assertThat(last.headers().get("connection")).isEqualToIgnoringCase("close");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void aBodyOverTheLimitIs413WithAMessageAndTheConnectionCloses() throws Exception {
        try (RawHttp http = new RawHttp(NODE.node().httpPort())) {
            http.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + (HttpFront.MAX_BODY + 1) + "\r\n\r\n", "[".getBytes(StandardCharsets.UTF_8));
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.text()).contains("larger than " + HttpFront.MAX_BODY + " bytes");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void aMalformedRequestLineIs400() throws Exception {
        try (RawHttp http = new RawHttp(NODE.node().httpPort())) {
            http.send("PATCH /%zz HTTP/1.1\r\nHost: x\r\n\r\n", new byte[0]);
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("malformed request target");
        }
    }
}
