package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.protocol.Message;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TCP connection caps hold: an address gets at most its quota of open connections, the node at most its
 * total; a connection beyond either is closed as it opens, while those within keep being served.
 */
class ConnectionCapsTest {
    static final String DEMO = "88.100.1/PUMP-2026-000123";

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true)
            .tcpMaxConnections(5).tcpMaxConnectionsPerSource(3));

    final List<Socket> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (Socket s : open) {
            s.close();
        }
    }

    /** A connection from {@code from} that the node serves: a resolution on it is answered. */
    void served(InetAddress from, int requestId) throws Exception {
        Socket s = RawClient.connect(from, NODE.port());
        open.add(s);
        Message reply = RawClient.exchange(s, Requests.madeAt(Instant.now()).withRequestId(requestId).resolution(DEMO));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(reply.requestId()).isEqualTo(requestId);
    }

    /** A connection from {@code from} that the node closes without reading. */
    void refused(InetAddress from) throws Exception {
        Socket s = RawClient.connect(from, NODE.port());
        open.add(s);
        assertThat(RawClient.closedByNode(s)).isTrue();
    }

    double refusals(String reason) {
        return NODE.node().meters().get(LimitMeters.REFUSALS).tag("reason", reason).functionCounter().count();
    }

    @Test
    void eachAddressAndTheNodeAsAWholeKeepToTheirQuota() throws Exception {
        InetAddress flooder = RawClient.loopback(2);
        for (int i = 0; i < 3; i++) {
            served(flooder, i);
        }

        refused(flooder);
        served(RawClient.loopback(1), 10);
        served(RawClient.loopback(1), 11);
        refused(RawClient.loopback(3));

        assertThat(refusals("tcp-max-connections-per-source")).isEqualTo(1);
        assertThat(refusals("tcp-max-connections")).isEqualTo(1);
        assertThat(NODE.node().meters().get("idnode.tcp.connections").gauge().value()).isEqualTo(5);
        // The connections within the quota are still served.
        Message again = RawClient.exchange(open.get(0), Requests.madeAt(Instant.now()).withRequestId(20)
                .resolution(DEMO));
        assertThat(again.responseCode()).isEqualTo(ResponseCode.SUCCESS);
    }
}
