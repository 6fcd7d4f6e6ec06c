package io.idnode.bench;

import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.ValueCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.SessionSeal;
import io.idnode.handler.session.Session;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueTypes;
import io.idnode.node.RequestChain;
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
import java.util.ArrayList;
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
 * Cost of the session link per request, from frame bytes to encoded reply, through the whole request chain:
 * a plain resolution (sessionId 0: the session link is one branch), and a resolution inside a session,
 * MAC-verified and MAC-signed, in clear and encrypted. Session requests are built per invocation (each needs
 * a fresh counter), so those figures include the client's MAC and encryption of the request.
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
    private RequestChain chain;
    private EncodedReplies replies;
    private byte[] plainFrame;
    private Session session;
    private byte[] sessionKey;
    private int counter;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair node = gen.generateKeyPair();
        InMemoryRecordStore store = new InMemoryRecordStore();
        store.put(HandleRecord.of(HANDLE, List.of(
                HandleValue.builder(1, "URL").data("https://example.com/products/BENCH-0001").build(),
                HandleValue.builder(2, "EMAIL").data("admin@example.com").build())));
        chain = RequestChain.builder(store, new ServedPrefixes(List.of("88.100.1")),
                BenchNode.identity(crypto, node), crypto).random(random).build();
        replies = new EncodedReplies(chain.encoder(), alloc);
        plainFrame = CODEC.encode(request(0));
        sessionKey = new byte[SessionKeys.SESSION_KEY_LENGTH];
        random.nextBytes(sessionKey);
        session = chain.sessions().open(sessionKey, 2, 11, null, 0, null);
        // A benchmark of a cheap error reply would measure nothing: every path must resolve.
        check(CODEC.decode(respond(CODEC.decode(plainFrame))));
        check(CODEC.decode(respond(CODEC.decode(sessionFrame(false)))));
        byte[] sealed = respond(CODEC.decode(sessionFrame(true)));
        byte[] plain = cipher.decrypt(sessionKey,
                Arrays.copyOfRange(sealed, EnvelopeLayout.LENGTH, sealed.length));
        check(CODEC.decodeMessage(Envelope.request(session.id(), 42), plain, 0, plain.length));
    }

    /** The one reply to {@code request}, encoded as the edge encodes it (sealed in a session). */
    private byte[] respond(Message request) {
        List<byte[]> frames = new ArrayList<>(1);
        chain.handle(request, RequestContext.NONE, new ReplySink() {
            @Override
            public void reply(Message reply, SessionSeal seal) {
                frames.add(bytes(chain.encoder().encode(reply, seal, alloc)));
            }

            @Override
            public void fault(Message failed, Throwable cause) {
                throw new IllegalStateException("the chain failed on a benchmark request", cause);
            }
        });
        if (frames.size() != 1) {
            throw new IllegalStateException(frames.size() + " replies to a benchmark request");
        }
        return frames.get(0);
    }

    private static byte[] bytes(ByteBuf buf) {
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
                    Arrays.copyOfRange(frame, EnvelopeLayout.LENGTH, frame.length), random);
            byte[] out = Arrays.copyOf(frame, EnvelopeLayout.LENGTH + sealed.length);
            out[EnvelopeLayout.FLAGS] |= Envelope.ENCRYPTED;
            int len = sealed.length;
            out[EnvelopeLayout.MESSAGE_LENGTH] = (byte) (len >>> 24);
            out[EnvelopeLayout.MESSAGE_LENGTH + 1] = (byte) (len >>> 16);
            out[EnvelopeLayout.MESSAGE_LENGTH + 2] = (byte) (len >>> 8);
            out[EnvelopeLayout.MESSAGE_LENGTH + 3] = (byte) len;
            System.arraycopy(sealed, 0, out, EnvelopeLayout.LENGTH, len);
            return out;
        } finally {
            hb.release();
        }
    }

    private int answer(byte[] frame) throws CodecException {
        chain.handle(CODEC.decode(frame), RequestContext.NONE, replies);
        return replies.lastLength();
    }

    @Benchmark
    public int plainThroughSessionLayer() throws CodecException {
        return answer(plainFrame);
    }

    @Benchmark
    public int inSessionMac() throws CodecException {
        return answer(sessionFrame(false));
    }

    @Benchmark
    public int inSessionEncrypted() throws CodecException {
        return answer(sessionFrame(true));
    }
}
