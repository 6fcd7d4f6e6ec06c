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
 * with its challenge for 20 s, over TCP from one address and over UDP as complete multi-packet messages from
 * addresses that change with every request, as forged ones would. The node holds no more of them than one
 * address's share of its challenge budget (4 MiB here, a quarter per address) and than the budget itself,
 * answers the rest 3, stays up, and a second client resolves normally after every one of them. Assertions
 * are on the node's own accounting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateFloodTest {
    static final String DEMO = "88.100.1/PUMP-2026-000123";
    static final int CREATES = 12;
    static final long BUDGET = 4L << 20;
    static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @TempDir
    static Path temp;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true).ticker(CLOCK)
            .challengeMemoryMib(4));

    HandleResolver udpClient;
    HandleResolver tcpClient;
    long footprint;
    int held;
    int perSource;

    @BeforeAll
    void clients() throws Exception {
        udpClient = StockClients.resolver(NODE.dataDir(), temp.resolve("udp"), Interface.SP_HDL_UDP);
        tcpClient = StockClients.resolver(NODE.dataDir(), temp.resolve("tcp"), Interface.SP_HDL_TCP);
        footprint = MessageFootprint.of(MessageCodec.DEFAULT.decode(MessageCodec.DEFAULT.encode(create(0))));
        held = (int) (BUDGET / footprint);
        perSource = (int) (BUDGET / PendingChallenges.SOURCE_SHARE / footprint);
    }

    /** An unauthenticated create of one 200 kB value. */
    static Message create(int i) {
        HandleValue big = HandleValue.builder(1, "URL").data("x".repeat(200_000)).build();
        // Handles of one length: every create has the same footprint.
        return Requests.madeAt(Instant.now()).withRequestId(1000 + i)
                .createHandle(String.format("88.100.1/FLOOD-%03d", i), List.of(big));
    }

    MeterRegistry meters() {
        return NODE.node().meters();
    }

    double challengeBytes() {
        return meters().get(LimitMeters.MEMORY_USED).tag("budget", "challenge-memory").gauge().value();
    }

    double refused(String reason) {
        return meters().get(LimitMeters.REFUSALS).tag("reason", reason).functionCounter().count();
    }

    /** The second client, on another address than the flood, resolves over UDP and TCP. */
    void secondClientResolves() throws Exception {
        for (HandleResolver r : List.of(udpClient, tcpClient)) {
            assertThat(r.resolveHandle(DEMO, new String[] {"URL"}, null)).hasSize(1);
        }
    }

    /**
     * Sends {@code creates} creates one by one through {@code send}, the second client resolving after each;
     * their codes.
     */
    List<Integer> flood(int creates, Sender send) throws Exception {
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < creates; i++) {
            Message reply = send.send(i, create(i));
            codes.add(reply.responseCode().code());
            if (reply.responseCode().equals(ResponseCode.SERVER_TOO_BUSY)) {
                assertThat(((ErrorResponse) reply.body()).message()).isEqualTo("server too busy, try again");
            }
            assertThat(challengeBytes()).isLessThanOrEqualTo(BUDGET);
            secondClientResolves();
        }
        return codes;
    }

    interface Sender {
        Message send(int i, Message request) throws Exception;
    }

    static List<Integer> expected(int challenged, int busy) {
        List<Integer> codes = new ArrayList<>(Collections.nCopies(challenged, 402));
        codes.addAll(Collections.nCopies(busy, 3));
        return codes;
    }

    @Test
    void theFloodIsHeldWithinItsAddressesShareAndTheBudgetAndTheNodeKeepsResolving() throws Exception {
        assertThat(held).as("creates that fit 4 MiB").isEqualTo(20);
        assertThat(perSource).as("creates that fit an address's share").isEqualTo(5);

        List<Integer> tcp = flood(CREATES, (i, r) -> RawClient.overTcp(RawClient.loopback(2), NODE.port(), r));

        assertThat(tcp).isEqualTo(expected(perSource, CREATES - perSource));
        assertThat(refused("challenge-memory-per-source")).isEqualTo(CREATES - perSource);
        assertThat(challengeBytes()).isEqualTo(perSource * (double) footprint);

        // Over UDP from a new address each time: no address reaches its share, the budget bounds them all.
        List<Integer> udp = flood(2 * CREATES, (i, r) -> {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(RawClient.loopback(10 + i), 0))) {
                return RawClient.overUdp(socket, NODE.port(), r);
            }
        });

        assertThat(udp).isEqualTo(expected(held - perSource, 2 * CREATES - (held - perSource)));
        assertThat(refused("challenge-memory")).isEqualTo(2 * CREATES - (held - perSource));
        assertThat(challengeBytes()).isEqualTo(held * (double) footprint);

        CLOCK.advance(PendingChallenges.DEFAULT_LIFETIME);

        // Expired, the challenges give their bytes back: the first address gets its share again, over UDP.
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(RawClient.loopback(2), 0))) {
            assertThat(flood(CREATES, (i, r) -> RawClient.overUdp(socket, NODE.port(), r)))
                    .isEqualTo(expected(perSource, CREATES - perSource));
        }
        assertThat(challengeBytes()).isEqualTo(perSource * (double) footprint);
        assertThat(meters().get(LimitMeters.MEMORY_USED).tag("budget", "queue-memory").gauge().value()).isZero();
        assertThat(meters().get(LimitMeters.MEMORY_USED).tag("budget", "reassembly-memory").gauge().value()).isZero();
        secondClientResolves();
    }
}
