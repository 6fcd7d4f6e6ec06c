package io.idnode.bench;

import io.idnode.codec.CodecException;
import io.idnode.codec.Limits;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.MessageSigner;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.handler.NodeIdentity;
import io.idnode.handler.ReplyEncoder;
import io.idnode.handler.RequestHandler;
import io.idnode.handler.ServedPrefixes;
import io.idnode.handler.session.Session;
import io.idnode.handler.session.SessionLayer;
import io.idnode.handler.session.SessionSettings;
import io.idnode.handler.session.SessionTable;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the session layer per request, from frame bytes to encoded reply: a plain resolution straight
 * through the handler (the path before sessions existed) and through the layer (must cost the same), and a
 * resolution inside a session, MAC-verified and MAC-signed, in clear and encrypted. Session requests are
 * built per invocation (each needs a fresh counter), so those figures include the client's MAC and
 * encryption of the request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SessionLayerBenchmark {
    private static final String HANDLE = "88.100.1/BENCH-0001";
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final SecureRandom random = new SecureRandom();
    private final CryptoProviders crypto = CryptoProviders.create();
    private final SessionKeys sessionKeys = new SessionKeys(crypto);
    private final SessionCipher cipher = new SessionCipher(crypto);
    private RequestHandler handler;
    private ReplyEncoder encoder;
    private SessionLayer layer;
    private byte[] plainFrame;
    private Session session;
    private byte[] sessionKey;
    private int counter;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair node = gen.generateKeyPair();
        byte[] nodeKey = new HandleKeyCodec(crypto).encodePublicKey(node.getPublic());
        SiteInfo site = new SiteInfo(1, 2, 11, 1, true, false, SiteInfo.HASH_BY_HANDLE, "", List.of(),
                List.of(new SiteInfo.ServerInfo(1, new byte[16], nodeKey,
                        List.of(new SiteInfo.ServiceInterface(3, 1, 2641)))));
        InMemoryRecordStore store = new InMemoryRecordStore();
        store.put(HandleRecord.of(HANDLE, List.of(
                HandleValue.builder(1, "URL").data("https://example.com/products/BENCH-0001").build(),
                HandleValue.builder(2, "EMAIL").data("admin@example.com").build())));
        handler = new RequestHandler(store, new ServedPrefixes(List.of("88.100.1")),
                new NodeIdentity(site, node.getPrivate(), node.getPublic()), Clock.systemUTC(), crypto);
        encoder = new ReplyEncoder(CODEC, new MessageSigner(node.getPrivate(), crypto), crypto);
        SessionTable table = new SessionTable(SessionSettings.DEFAULT, Clock.systemUTC(), random);
        layer = new SessionLayer(handler, handler::handle, encoder, table, random, crypto);
        plainFrame = CODEC.encode(request(0));
        sessionKey = new byte[SessionKeys.SESSION_KEY_LENGTH];
        random.nextBytes(sessionKey);
        session = table.open(sessionKey, 2, 11, null, 0);
        // A benchmark of a cheap error reply would measure nothing: every path must resolve.
        check(CODEC.decode(reply(layer.respond(CODEC.decode(plainFrame), alloc))));
        check(CODEC.decode(reply(layer.respond(CODEC.decode(sessionFrame(false)), alloc))));
        byte[] sealed = reply(layer.respond(CODEC.decode(sessionFrame(true)), alloc));
        byte[] plain = cipher.decrypt(sessionKey,
                Arrays.copyOfRange(sealed, Limits.ENVELOPE_LENGTH, sealed.length));
        check(CODEC.decodeMessage(Envelope.request(session.id(), 42), plain, 0, plain.length));
    }

    private static byte[] reply(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static void check(Message reply) {
        if (!reply.responseCode().equals(ResponseCode.SUCCESS)) {
            throw new IllegalStateException("benchmark request answered " + reply.responseCode());
        }
    }

    private static Message request(int sessionId) {
        MessageHeader h = new MessageHeader(OpCode.RESOLUTION, ResponseCode.valueOf(0),
                OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY | OpFlags.PUBLIC_ONLY, 1, 0, 2_000_000_000L);
        return Message.of(Envelope.request(sessionId, 42), h,
                new ResolutionRequest(HANDLE, new int[0], List.of(), null));
    }

    private byte[] sessionFrame(boolean encrypt) {
        Message m = request(session.id());
        ByteBuf hb = Unpooled.buffer(128);
        try {
            CODEC.encodeHeaderAndBody(m, hb);
            byte[] frame = CODEC.encode(m.withCredential(
                    sessionKeys.macCredential(sessionKey, m.envelope(), ++counter, ByteBufUtil.getBytes(hb))));
            if (!encrypt) {
                return frame;
            }
            byte[] sealed = cipher.encrypt(sessionKey,
                    Arrays.copyOfRange(frame, Limits.ENVELOPE_LENGTH, frame.length), random);
            byte[] out = Arrays.copyOf(frame, Limits.ENVELOPE_LENGTH + sealed.length);
            out[2] |= Envelope.ENCRYPTED;
            int len = sealed.length;
            out[16] = (byte) (len >>> 24);
            out[17] = (byte) (len >>> 16);
            out[18] = (byte) (len >>> 8);
            out[19] = (byte) len;
            System.arraycopy(sealed, 0, out, Limits.ENVELOPE_LENGTH, len);
            return out;
        } finally {
            hb.release();
        }
    }

    private static int consume(ByteBuf reply) {
        try {
            return reply.readableBytes();
        } finally {
            reply.release();
        }
    }

    @Benchmark
    public int plainDirect() throws CodecException {
        return consume(encoder.encode(handler.handle(CODEC.decode(plainFrame)), alloc));
    }

    @Benchmark
    public int plainThroughSessionLayer() throws CodecException {
        return consume(layer.respond(CODEC.decode(plainFrame), alloc));
    }

    @Benchmark
    public int inSessionMac() throws CodecException {
        return consume(layer.respond(CODEC.decode(sessionFrame(false)), alloc));
    }

    @Benchmark
    public int inSessionEncrypted() throws CodecException {
        return consume(layer.respond(CODEC.decode(sessionFrame(true)), alloc));
    }
}
