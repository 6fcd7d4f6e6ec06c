package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.MessageCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.ratelimit.SourceLimits;
import io.idnode.server.ratelimit.SourceLimits.Refusal;
import io.idnode.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.handle.hdllib.AbstractMessage;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.Encoder;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.MessageEnvelope;
import net.handle.hdllib.ResolutionRequest;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node limits each source network, on real sockets on loopback (each source a network of its own,
 * 127.0.N.1, with loopback not exempt here) and with time moved by hand: for every kind of unauthenticated
 * request, a UDP reply over 512 bytes is replaced by the short reply to TCP, and a one-source flood draws no
 * more bytes than it sends; a second source is answered while one floods; the stock client gets a large record
 * over TCP; signatures are budgeted over UDP and TCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceLimitsNodeTest {
    static final String PREFIX = "88.100.1";
    static final String DEMO = PREFIX + "/PUMP-2026-000123";
    static final String LARGE = PREFIX + "/LARGE-RECORD";
    static final int RATE = 5;
    static final int SIGNATURES = 4;
    static final int CAP = 512;
    static final MessageCodec CODEC = MessageCodec.DEFAULT;
    static final ManualClock TIME = new ManualClock(Instant.now());
    static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

    @TempDir
    static Path temp;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)).demo(true).ticker(TIME)
            .meters(METERS).exemptNetworks(List.of()).udpRate(RATE).udpSlip(1).signatureRate(SIGNATURES));

    /** The requests of each kind a forged source could send; {@code overCap}: its full reply exceeds 512 bytes. */
    enum Kind {
        DEMO_RECORD(false),
        PREFIX_RECORD(true),
        CERTIFIED_PREFIX_LOOKUP_WITH_DIGEST(true),
        CERTIFIED_SITE_INFO(true),
        LARGE_RECORD(true);

        final boolean overCap;

        Kind(boolean overCap) {
            this.overCap = overCap;
        }

        byte[] request(int requestId) {
            Requests r = Requests.madeAt(Instant.now()).withRequestId(requestId);
            int certified = Requests.DEFAULT_FLAGS | OpFlags.CERTIFY;
            return CODEC.encode(switch (this) {
                case DEMO_RECORD -> r.resolution(DEMO);
                case PREFIX_RECORD -> r.resolution("0.NA/" + PREFIX);
                // As the stock client's prefix lookup (§7.1), certified and with a request digest.
                case CERTIFIED_PREFIX_LOOKUP_WITH_DIGEST -> r.withFlags(certified | OpFlags.REQUEST_DIGEST)
                        .resolution("0.NA/" + PREFIX, List.of("HS_SITE", "HS_SITE.6", "HS_SERV", "HS_NAMESPACE"));
                case CERTIFIED_SITE_INFO -> r.withFlags(certified).siteInfo();
                case LARGE_RECORD -> r.resolution(LARGE);
            });
        }

        boolean certified() {
            return this == CERTIFIED_PREFIX_LOOKUP_WITH_DIGEST || this == CERTIFIED_SITE_INFO;
        }
    }

    @BeforeAll
    void seedLargeRecord() {
        List<HandleValue> values = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            values.add(HandleValue.builder(i, "DESC").data("x".repeat(4000)).timestamp(1_700_000_000).build());
        }
        NODE.node().store().put(HandleRecord.of(LARGE, values));
    }

    /** A UDP socket on 127.0.{@code network}.1: a source network of its own. */
    static DatagramSocket source(int network) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0." + network + ".1", 0));
        s.setSoTimeout(10_000); // a bound on a test that fails, not a wait
        return s;
    }

    static InetSocketAddress node() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), NODE.port());
    }

    static void send(DatagramSocket s, byte[] request) throws Exception {
        s.send(new DatagramPacket(request, request.length, node()));
    }

    static byte[] receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    /** The reply over TCP from a socket on 127.0.{@code network}.1. */
    static byte[] overTcp(int network, byte[] request) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.0." + network + ".1", 0));
            s.connect(node(), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            return readFrame(new DataInputStream(s.getInputStream()));
        }
    }

    static byte[] readFrame(DataInputStream in) throws Exception {
        byte[] envelope = new byte[20];
        in.readFully(envelope);
        byte[] frame = Arrays.copyOf(envelope, 20 + ByteBuffer.wrap(envelope, 16, 4).getInt());
        in.readFully(frame, 20, frame.length - 20);
        return frame;
    }

    static Message decode(byte[] frame) throws Exception {
        return CODEC.decode(frame);
    }

    /** True if the stock library verifies the frame's signature with the node's key. */
    static boolean signedByTheNode(byte[] frame) throws Exception {
        MessageEnvelope env = new MessageEnvelope();
        Encoder.decodeEnvelope(frame, env);
        AbstractMessage m = Encoder.decodeMessage(frame, 20, env);
        return m.signature != null && m.signature.length > 0
                && m.verifyMessage(NODE.node().keys().node().getPublic());
    }

    static double refusals(Refusal reason) {
        return METERS.counter(SourceLimits.REFUSALS, "reason", reason.tag()).count();
    }

    /** Lets every source's debt run out: refused requests are charged at most 15 s ahead. */
    static void quiet() {
        TIME.advance(Duration.ofSeconds(SourceLimits.UDP_WINDOW_SECONDS + 1));
    }

    /** Whether the short reply to TCP (rc 2, empty message, digest if asked) is no larger than the request. */
    static boolean slipFits(Kind kind, byte[] request) {
        int digest = kind == Kind.CERTIFIED_PREFIX_LOOKUP_WITH_DIGEST ? 1 + 32 : 0;
        return 20 + 24 + digest + 4 + 4 <= request.length;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aUdpReplyOverTheCapIsReplacedByTheShortReplyToTcp(Kind kind) throws Exception {
        quiet();
        int network = 10 + kind.ordinal();
        byte[] request = kind.request(0x1000 + kind.ordinal());
        byte[] full = overTcp(network, request);
        double tooLarge = refusals(Refusal.UDP_REPLY_TOO_LARGE);
        byte[] reply;
        try (DatagramSocket s = source(network)) {
            send(s, request);
            reply = receive(s);
        }

        assertThat(full.length > CAP).as("full reply of %d bytes over the cap", full.length).isEqualTo(kind.overCap);
        assertThat(reply.length).isLessThanOrEqualTo(CAP);
        Message m = decode(reply);
        assertThat(m.requestId()).isEqualTo(0x1000 + kind.ordinal());
        if (kind.overCap) {
            assertThat(m.responseCode()).isEqualTo(ResponseCode.ERROR);
            assertThat(m.body()).isEqualTo(new ErrorResponse(""));
            assertThat(refusals(Refusal.UDP_REPLY_TOO_LARGE)).isEqualTo(tooLarge + 1);
        } else {
            assertThat(m.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(reply.length).isEqualTo(full.length);
        }
        assertThat(signedByTheNode(reply)).as("signed").isEqualTo(kind.certified());
        assertThat(m.hasFlag(OpFlags.REQUEST_DIGEST)).isEqualTo(kind == Kind.CERTIFIED_PREFIX_LOOKUP_WITH_DIGEST);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aOneSourceFloodDrawsNoMoreBytesThanItSends(Kind kind) throws Exception {
        quiet();
        // Enough for the worst case: every refused request slipped, and get-site-info, whose 53-byte request
        // is one byte longer than its slip, has to make up for 4 signed short replies.
        int requests = 2000;
        int window = 20;
        long sent = 0;
        long received = 0;
        int answers = 0;
        int slips = 0;
        try (DatagramSocket s = source(30 + kind.ordinal())) {
            for (int first = 0; first < requests; first += window) {
                for (int id = first; id < first + window; id++) {
                    byte[] request = kind.request(id + 1);
                    assertThat(slipFits(kind, request)).as("every request of the flood draws one reply").isTrue();
                    send(s, request);
                    sent += request.length;
                }
                for (int i = 0; i < window; i++) {
                    byte[] reply = receive(s);
                    received += reply.length;
                    assertThat(reply.length).isLessThanOrEqualTo(CAP);
                    Message m = decode(reply);
                    assertThat(m.requestId()).isEqualTo(first + i + 1);
                    if (first + i < RATE) {
                        answers++;
                    } else {
                        assertThat(m.responseCode()).isEqualTo(ResponseCode.ERROR);
                        assertThat(m.credential()).as("a slip is never signed").isNull();
                        slips++;
                    }
                }
            }
            // Nothing more is on its way: with the debt run out, the next request's reply comes next.
            quiet();
            send(s, kind.request(99_999));
            assertThat(decode(receive(s)).requestId()).isEqualTo(99_999);
        }

        assertThat(answers).isEqualTo(RATE);
        assertThat(slips).isEqualTo(requests - RATE);
        assertThat(received).as("bytes drawn by %d bytes sent", sent).isLessThanOrEqualTo(sent);
    }

    @Test
    void aRefusedRequestWhoseShortReplyWouldBeLargerIsDropped() throws Exception {
        quiet();
        // A lookup with a digest and no type list (73 bytes): the short reply (85, with the 33-byte digest) is
        // larger than the request, so above the rate it is dropped, not slipped.
        Requests r = Requests.madeAt(Instant.now()).withFlags(Requests.DEFAULT_FLAGS | OpFlags.REQUEST_DIGEST);
        double dropped = refusals(Refusal.UDP_RATE_DROPPED);
        try (DatagramSocket s = source(50)) {
            for (int id = 1; id <= 2 * RATE; id++) {
                send(s, CODEC.encode(r.withRequestId(id).resolution("0.NA/" + PREFIX)));
            }
            // A request whose slip fits, from the same socket: its slip comes after whatever the others drew.
            send(s, Kind.DEMO_RECORD.request(777));
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i <= RATE; i++) {
                ids.add(decode(receive(s)).requestId());
            }
            assertThat(ids).containsExactly(1, 2, 3, 4, 5, 777);
        }
        assertThat(refusals(Refusal.UDP_RATE_DROPPED)).isEqualTo(dropped + RATE);
    }

    @Test
    void aSecondSourceIsAnsweredWhileOneFloods() throws Exception {
        quiet();
        try (DatagramSocket flood = source(60); DatagramSocket other = source(61)) {
            for (int round = 0; round < RATE; round++) {
                for (int i = 0; i < 50; i++) {
                    send(flood, Kind.DEMO_RECORD.request(round * 100 + i));
                }
                send(other, Kind.DEMO_RECORD.request(10_000 + round));
                Message answer = decode(receive(other));
                assertThat(answer.requestId()).isEqualTo(10_000 + round);
                assertThat(answer.responseCode()).isEqualTo(ResponseCode.SUCCESS);
                int answered = 0;
                for (int i = 0; i < 50; i++) {
                    if (decode(receive(flood)).responseCode().equals(ResponseCode.SUCCESS)) {
                        answered++;
                    }
                }
                assertThat(answered).as("round %d", round).isEqualTo(round == 0 ? RATE : 0);
            }
        }
    }

    @Test
    void theStockClientGetsALargeRecordOverTcpAfterTheShortUdpReply() throws Exception {
        quiet();
        double tooLarge = refusals(Refusal.UDP_REPLY_TOO_LARGE);
        HandleResolver both = StockClients.resolver(NODE.dataDir(), temp.resolve("both"), Interface.SP_HDL_UDP,
                Interface.SP_HDL_TCP);
        net.handle.hdllib.HandleValue[] values = both.resolveHandle(LARGE, null, null);
        assertThat(values).hasSize(60);
        assertThat(values[59].getDataAsString()).isEqualTo("x".repeat(4000));
        assertThat(refusals(Refusal.UDP_REPLY_TOO_LARGE)).isEqualTo(tooLarge + 1);

        // Without TCP the short reply is all it gets: code 2, which the client reports as an error.
        HandleResolver udpOnly = StockClients.resolver(NODE.dataDir(), temp.resolve("udp"), Interface.SP_HDL_UDP);
        assertThatThrownBy(() -> udpOnly.resolveHandle(LARGE, null, null)).isInstanceOf(HandleException.class);
        assertThat(refusals(Refusal.UDP_REPLY_TOO_LARGE)).isEqualTo(tooLarge + 2);
    }

    @Test
    void theStockClientTakesTheSignedShortReplyToACertifiedRequestAtOnce() throws Exception {
        quiet();
        double tooLarge = refusals(Refusal.UDP_REPLY_TOO_LARGE);
        HandleResolver r = StockClients.resolver(NODE.dataDir(), temp.resolve("certified"), Interface.SP_HDL_UDP,
                Interface.SP_HDL_TCP);
        // Had the client ignored a short reply, it would have sent that request twice more over UDP.
        r.setUdpRetryScheme(new int[] {500, 500, 500});
        ResolutionRequest req = new ResolutionRequest(Util.encodeString(LARGE), null, null, null);
        req.certify = true;
        AbstractResponse resp = r.processRequest(req);

        assertThat(resp.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        assertThat(resp.signature).isNotEmpty();
        // Once for the client's certified prefix lookup, once for the record: each went to TCP at once.
        assertThat(refusals(Refusal.UDP_REPLY_TOO_LARGE)).isEqualTo(tooLarge + 2);
    }

    @Test
    void signaturesAreBudgetedPerSourceOverTcp() throws Exception {
        quiet();
        double refused = refusals(Refusal.SIGNATURE_BUDGET);
        Requests certified = Requests.madeAt(Instant.now()).withFlags(Requests.DEFAULT_FLAGS | OpFlags.CERTIFY);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.0.70.1", 0));
            s.connect(node(), 10_000);
            s.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int id = 1; id <= SIGNATURES + 3; id++) {
                s.getOutputStream().write(CODEC.encode(certified.withRequestId(id).resolution(DEMO)));
                byte[] reply = readFrame(in);
                Message m = decode(reply);
                boolean withinBudget = id <= SIGNATURES;
                assertThat(m.responseCode()).isEqualTo(withinBudget ? ResponseCode.SUCCESS
                        : ResponseCode.SERVER_TOO_BUSY);
                assertThat(signedByTheNode(reply)).isEqualTo(withinBudget);
                assertThat(m.hasFlag(OpFlags.CERTIFY)).isEqualTo(withinBudget);
            }
            TIME.advance(Duration.ofSeconds(1));
            s.getOutputStream().write(CODEC.encode(certified.withRequestId(100).resolution(DEMO)));
            assertThat(signedByTheNode(readFrame(in))).isTrue();
        }
        assertThat(refusals(Refusal.SIGNATURE_BUDGET)).isEqualTo(refused + 3);
        // Another network has a budget of its own.
        assertThat(signedByTheNode(overTcp(71, CODEC.encode(certified.withRequestId(1).resolution(DEMO))))).isTrue();
    }

    @Test
    void signaturesAreBudgetedPerSourceOverUdpWithinTheRate() throws Exception {
        quiet();
        // "Not found" signed fits a datagram; a signed record would be sent to TCP.
        Requests certified = Requests.madeAt(Instant.now()).withFlags(Requests.DEFAULT_FLAGS | OpFlags.CERTIFY);
        List<ResponseCode> codes = new ArrayList<>();
        try (DatagramSocket s = source(72)) {
            for (int id = 1; id <= RATE; id++) {
                send(s, CODEC.encode(certified.withRequestId(id).resolution(PREFIX + "/NONE")));
                byte[] reply = receive(s);
                codes.add(decode(reply).responseCode());
                assertThat(signedByTheNode(reply)).isEqualTo(id <= SIGNATURES);
            }
        }
        assertThat(codes).containsExactly(ResponseCode.HANDLE_NOT_FOUND, ResponseCode.HANDLE_NOT_FOUND,
                ResponseCode.HANDLE_NOT_FOUND, ResponseCode.HANDLE_NOT_FOUND, ResponseCode.SERVER_TOO_BUSY);
    }
}
