package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Message;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slowloris: a client that sends a request a byte at a time is closed after the request timeout, however
 * steadily the bytes come, while a connection that sends whole requests and then idles is kept. The node's
 * clock is moved by hand, once the node has taken the connection (it starts the connection's time then); its
 * checks run on their own timer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
class SlowClientTest {
    static final String DEMO = "88.100.1/PUMP-2026-000123";
    static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true).ticker(CLOCK)
            .tcpRequestTimeout(Duration.ofSeconds(1)).tcpIdleTimeout(Duration.ofSeconds(30)));

    /** Returns once the node has taken {@code n} TCP connections: it counts each as it takes it, before reading it. */
    static void awaitConnectionsTaken(int n) {
        while (NODE.node().meters().get("idnode.tcp.connections").gauge().value() < n) {
            Thread.yield();
        }
    }

    static Message resolution(int requestId) {
        return Requests.madeAt(Instant.now()).withRequestId(requestId).resolution(DEMO);
    }

    @Test
    void aRequestTrickledAByteAtATimeIsClosedWhileAWholeRequestsConnectionStays() throws Exception {
        try (Socket steady = RawClient.connect(RawClient.loopback(1), NODE.port());
                Socket slowloris = RawClient.connect(RawClient.loopback(2), NODE.port())) {
            assertThat(RawClient.exchange(steady, resolution(1)).responseCode()).isEqualTo(ResponseCode.SUCCESS);
            // Accepted by the kernel is not yet taken by the node: time moved before would not count for it.
            awaitConnectionsTaken(2);
            byte[] frame = MessageCodec.DEFAULT.encode(resolution(2));
            OutputStream out = slowloris.getOutputStream();
            try {
                for (int i = 0; i < 10; i++) {
                    out.write(frame[i]);
                    out.flush();
                    CLOCK.advance(Duration.ofMillis(400)); // a byte every 0.4 s: 4 s without a whole request
                }
            } catch (IOException closedWhileWriting) {
                // the node may already have closed it
            }

            assertThat(RawClient.closedByNode(slowloris)).isTrue();
            assertThat(NODE.node().meters().get(LimitMeters.REFUSALS).tag("reason", "tcp-request-timeout")
                    .functionCounter().count()).isEqualTo(1);
            assertThat(RawClient.exchange(steady, resolution(3)).responseCode()).isEqualTo(ResponseCode.SUCCESS);
        }
    }
}
