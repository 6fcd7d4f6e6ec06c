package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.budget.MessageFootprint;
import io.idnode.codec.MessageCodec;
import io.idnode.handler.PendingChallenges;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.ManualClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flood that used to end a node with an OutOfMemoryError: unauthenticated creates of 200 kB, each held
 * with its challenge for 20 s, over TCP and over UDP as complete multi-packet messages, from one address.
 * The node holds no more of them than its challenge budget (1 MiB here), answers the rest 3, stays up, and a
 * second client resolves normally after every one of them. Assertions are on the node's own accounting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateFloodTest {
    static final String DEMO = "88.100.1/PUMP-2026-000123";
    static final int CREATES = 12;
    static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @TempDir
    static Path temp;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true).ticker(CLOCK)
            .challengeMemoryMib(1));

    HandleResolver udpClient;
    HandleResolver tcpClient;
    long footprint;
    int held;

    @BeforeAll
    void clients() throws Exception {
        udpClient = StockClients.resolver(NODE.dataDir(), temp.resolve("udp"), Interface.SP_HDL_UDP);
        tcpClient = StockClients.resolver(NODE.dataDir(), temp.resolve("tcp"), Interface.SP_HDL_TCP);
        footprint = MessageFootprint.of(MessageCodec.DEFAULT.decode(MessageCodec.DEFAULT.encode(create(0))));
        held = (int) ((1L << 20) / footprint);
    }

    /** An unauthenticated create of one 200 kB value. */
    static Message create(int i) {
        HandleValue big = HandleValue.builder(1, "URL").data("x".repeat(200_000)).build();
        return Requests.madeAt(Instant.now()).withRequestId(1000 + i).createHandle("88.100.1/FLOOD-" + i,
                List.of(big));
    }

    MeterRegistry meters() {
        return NODE.node().meters();
    }

    double challengeBytes() {
        return meters().get(LimitMeters.MEMORY_USED).tag("budget", "challenge-memory").gauge().value();
    }

    double refused() {
        return meters().get(LimitMeters.REFUSALS).tag("reason", "challenge-memory").functionCounter().count();
    }

    /** The second client, on another address than the flood, resolves over UDP and TCP. */
    void secondClientResolves() throws Exception {
        for (HandleResolver r : List.of(udpClient, tcpClient)) {
            assertThat(r.resolveHandle(DEMO, new String[] {"URL"}, null)).hasSize(1);
        }
    }

    /** Sends the creates one by one through {@code send}, the second client resolving after each; their codes. */
    List<Integer> flood(Sender send) throws Exception {
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            Message reply = send.send(create(i));
            codes.add(reply.responseCode().code());
            if (reply.responseCode().equals(ResponseCode.SERVER_TOO_BUSY)) {
                assertThat(((ErrorResponse) reply.body()).message()).isEqualTo("server too busy, try again");
            }
            assertThat(challengeBytes()).isLessThanOrEqualTo(1 << 20);
            secondClientResolves();
        }
        return codes;
    }

    interface Sender {
        Message send(Message request) throws Exception;
    }

    static List<Integer> expected(int challenged, int busy) {
        List<Integer> codes = new ArrayList<>(Collections.nCopies(challenged, 402));
        codes.addAll(Collections.nCopies(busy, 3));
        return codes;
    }

    @Test
    void theFloodIsHeldWithinTheChallengeBudgetOverTcpThenUdpAndTheNodeKeepsResolving() throws Exception {
        assertThat(held).as("creates that fit 1 MiB").isEqualTo(5);

        List<Integer> tcp = flood(r -> RawClient.overTcp(RawClient.loopback(2), NODE.port(), r));

        assertThat(tcp).isEqualTo(expected(held, CREATES - held));
        assertThat(challengeBytes()).isEqualTo(held * (double) footprint);
        assertThat(refused()).isEqualTo(CREATES - held);

        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(RawClient.loopback(2), 0))) {
            // The challenges of the TCP flood still hold the budget: every UDP create is refused.
            assertThat(flood(r -> RawClient.overUdp(udp, NODE.port(), r))).isEqualTo(expected(0, CREATES));
            assertThat(refused()).isEqualTo(2 * CREATES - held);

            CLOCK.advance(PendingChallenges.DEFAULT_LIFETIME);

            // Expired, the TCP flood's challenges give their bytes back to the UDP flood's.
            assertThat(flood(r -> RawClient.overUdp(udp, NODE.port(), r))).isEqualTo(expected(held, CREATES - held));
        }
        assertThat(challengeBytes()).isEqualTo(held * (double) footprint);
        assertThat(refused()).isEqualTo(3 * CREATES - 2 * held);
        assertThat(meters().get(LimitMeters.MEMORY_USED).tag("budget", "queue-memory").gauge().value()).isZero();
        assertThat(meters().get(LimitMeters.MEMORY_USED).tag("budget", "reassembly-memory").gauge().value()).isZero();
        secondClientResolves();
    }
}
