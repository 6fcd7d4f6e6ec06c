package io.idnode.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.handler.AdminFixtures;
import io.idnode.handler.PendingChallenges;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.SessionSeal;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueTypes;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RocksDbRecordStore;
import io.idnode.testing.ManualClock;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the request chain (handle-protocol.md §3–§6, §9): each input is a script of up
 * to {@value #MAX_STEPS} steps run against a fresh chain of the test node over a real RocksDB store: raw
 * frames, frames sent inside the session the script set up (MAC-signed and, if asked, encrypted with the
 * session key, as a client would), answers to the last challenge signed with the identity's real keys, and
 * moves of the clock. So sessions, challenges and administration are reached, not only their refusals.
 * Every frame is decoded as a transport decodes it; the chain must answer every decodable request with
 * replies (the last without CN), never with a fault, and every reply must encode to bytes that decode.
 *
 * <p>The store is RocksDB rather than the in-memory store because it alone runs the stored-record codec on
 * every write and read; its writes skip the sync of the write-ahead log (durability on power loss is not
 * under test, and a sync per write would cut the executions a hundredfold). A journal undoes each script's
 * writes afterwards, so that every input starts from the same records and a finding replays.
 */
class RequestChainFuzzTest {
    static final int MAX_STEPS = 12;
    /** Step kinds, the low two bits of a step's first byte. */
    static final int RAW = 0;
    static final int IN_SESSION = 1;
    static final int ANSWER = 2;
    static final int CLOCK = 3;
    /** With {@link #IN_SESSION}: encrypt the request (envelope flag EC, §6.6). */
    static final int ENCRYPT = 0x80;

    private static final MessageCodec CODEC = MessageCodec.DEFAULT;
    private static final HandleKeyCodec KEY_CODEC = new HandleKeyCodec(CryptoFixtures.PROVIDERS);
    private static final ChallengeAnswers ANSWERS = new ChallengeAnswers(CryptoFixtures.PROVIDERS);
    private static final SessionKeys SESSION_KEYS = new SessionKeys(CryptoFixtures.PROVIDERS);
    private static final SessionCipher CIPHER = new SessionCipher(CryptoFixtures.PROVIDERS);
    private static final String PREFIX_HANDLE = "0.NA/" + NodeFixtures.PREFIX;
    private static final String HANDLE = NodeFixtures.PREFIX + "/PROD-0001";
    private static final long START_MILLIS = 1_700_000_000_000L;

    @TempDir
    static Path folder;
    private static RocksDbRecordStore rocksDb;
    private static JournaledStore store;
    private static PrivateKey nodeKey;
    private static PublicKey nodePublic;
    private static PrivateKey dsaKey;
    private static PrivateKey dhClientKey;

    @BeforeAll
    static void openStore() throws Exception {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        nodeKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(Vectors.key("rsa_private_pkcs8")));
        nodePublic = rsa.generatePublic(new X509EncodedKeySpec(Vectors.key("rsa_public_x509")));
        dsaKey = KeyFactory.getInstance("DSA").generatePrivate(new PKCS8EncodedKeySpec(Vectors.key("dsa_private_pkcs8")));
        dhClientKey = KeyFactory.getInstance("DH").generatePrivate(
                new PKCS8EncodedKeySpec(Vectors.key("dh_client_private_pkcs8")));
        rocksDb = RocksDbRecordStore.builder(folder.resolve("records")).syncWrites(false).open();
        // The identity of the vectors' administrator: RSA at 300, DSA at 301, a PBKDF2 secret at 310.
        rocksDb.put(HandleRecord.of(PREFIX_HANDLE, List.of(
                AdminFixtures.admin(100, PREFIX_HANDLE, 300, AdminValue.ALL),
                HandleValue.builder(300, ValueTypes.HS_PUBKEY).data(Vectors.key("rsa_public_hs_encoding")).build(),
                HandleValue.builder(301, ValueTypes.HS_PUBKEY).data(Vectors.key("dsa_public_hs_encoding")).build(),
                HandleValue.builder(310, ValueTypes.HS_SECKEY).data(Vectors.hex(
                        Vectors.vector("hs_seckey_data_hashed").get("data_hex").asText())).build())));
        rocksDb.put(HandleRecord.of(HANDLE, List.of(
                AdminFixtures.url(1, "https://example.com/p1"),
                HandleValue.builder(2, "EMAIL").data("ops@example.com").build(),
                HandleValue.builder(3, "SECRET").data("restricted").permissions(ValuePermissions.ADMIN_READ).build(),
                AdminFixtures.admin(100, PREFIX_HANDLE, 300, AdminValue.ALL))));
        store = new JournaledStore(rocksDb);
    }

    @AfterAll
    static void closeStore() {
        rocksDb.close();
    }

    static Stream<Named<byte[]>> scriptSeeds() {
        List<Named<byte[]>> seeds = new ArrayList<>();
        for (Named<byte[]> f : VectorSeeds.frames()) {
            seeds.add(Named.of(f.getName(), script().raw(f.getPayload()).bytes()));
        }
        for (String op : List.of("create_handle_request", "create_handle_request_mint", "add_value_request",
                "modify_value_request", "remove_value_request", "delete_handle_request", "list_handles_request",
                "home_na_request", "resolution_request_authoritative_all_values")) {
            for (int identity = 0; identity < 4; identity++) {
                seeds.add(Named.of(op + ", answered as identity " + identity,
                        script().raw(VectorSeeds.frame(op)).answer(identity).bytes()));
            }
            seeds.add(Named.of(op + ", answered too late",
                    script().raw(VectorSeeds.frame(op)).clock(30).answer(0).bytes()));
            seeds.add(Named.of(op + " in a session",
                    script().raw(VectorSeeds.frame("session_setup_request_dh"))
                            .inSession(VectorSeeds.frame(op), false).answer(0)
                            .inSession(VectorSeeds.frame("resolution_request_all"), true)
                            .inSession(VectorSeeds.frame("session_terminate_request"), false).bytes()));
        }
        return VectorSeeds.stream(seeds);
    }

    @MethodSource("scriptSeeds")
    @FuzzTest
    void requests(byte[] input) throws Exception {
        try {
            new Run().play(new FuzzInput(input));
        } finally {
            store.undo(); // here, not in @AfterEach: while fuzzing, JUnit's lifecycle runs once for all inputs
        }
    }

    /**
     * The harness reaches what it is meant to: a session set up with the vectors' client key, a create in it
     * challenged and answered with the administrator's key, an encrypted resolution and the session's end
     * are all answered with success, sealed with the session key; afterwards the journal removes the handle.
     */
    @Test
    void aScriptReachesAdministrationInsideASessionAndLeavesNoTrace() throws Exception {
        Run run = new Run();
        try {
            run.play(new FuzzInput(script().raw(VectorSeeds.frame("session_setup_request_dh"))
                    .inSession(VectorSeeds.frame("create_handle_request_mint"), false).answer(0)
                    .inSession(VectorSeeds.frame("resolution_request_all"), true)
                    .inSession(VectorSeeds.frame("session_terminate_request"), false).bytes()));
            assertThat(run.outcomes).containsExactly("SUCCESS(1)", "sealed AUTHENTICATION_NEEDED(402)",
                    "sealed SUCCESS(1)", "sealed SUCCESS(1)", "sealed SUCCESS(1)");
            assertThat(store.list(NodeFixtures.PREFIX, null, 10)).hasSize(2);
        } finally {
            store.undo();
        }
        assertThat(store.list(NodeFixtures.PREFIX, null, 10)).containsExactly(HANDLE);
    }

    /** One script against a fresh chain: its clock, sessions and challenges are its own. */
    private static final class Run {
        /** Each reply's response code, after "sealed" if it went out in a session. */
        final List<String> outcomes = new ArrayList<>();
        private final ManualClock clock = new ManualClock(START_MILLIS);
        private final RequestChain chain;
        private Message lastChallenge;
        private int sessionId;
        private byte[] sessionKey;
        private int sessionCounter;
        private int requestId = 1;

        Run() throws NoSuchAlgorithmException {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(42); // before any output: a fixed sequence of session ids and DH keys
            chain = NodeFixtures.chain(store, nodeKey, nodePublic).clock(clock)
                    .pendingChallenges(new PendingChallenges(PendingChallenges.DEFAULT_LIFETIME, clock))
                    .random(random).build();
        }

        void play(FuzzInput in) throws Exception {
            for (int step = 0; step < MAX_STEPS && in.hasMore(); step++) {
                int kind = in.u8();
                switch (kind & 3) {
                    case RAW -> send(in.chunk());
                    case IN_SESSION -> send(inSession(in.chunk(), (kind & ENCRYPT) != 0));
                    case ANSWER -> answer(in.u8());
                    default -> clock.advance(Duration.ofSeconds(in.u16()));
                }
            }
        }

        /** Decodes {@code frame} as a transport does and answers it through the chain; checks the replies. */
        private void send(byte[] frame) {
            if (frame.length < EnvelopeLayout.LENGTH) {
                return;
            }
            // The frame decoder hands on frames whose length is the one their envelope announces.
            ByteBuffer.wrap(frame).putInt(EnvelopeLayout.MESSAGE_LENGTH, frame.length - EnvelopeLayout.LENGTH);
            Envelope envelope = MessageDecoderFuzzTest.decodeOrReject(frame, f -> CODEC.decodeEnvelope(f, 0));
            if (envelope == null) {
                return; // no envelope to address a reply to: the transports drop it or close
            }
            Message request;
            try {
                request = CODEC.decodeMessage(envelope, frame, EnvelopeLayout.LENGTH, envelope.messageLength());
            } catch (CodecException e) {
                checkEncodes(chain.replies().protocolError(envelope, e), null);
                return;
            }
            Replies replies = new Replies();
            chain.handle(request, RequestContext.NONE, replies);
            if (replies.fault != null) {
                throw new AssertionError("the chain failed on " + request, replies.fault);
            }
            assertThat(replies.messages).as("replies to %s", request).isNotEmpty();
            for (int i = 0; i < replies.messages.size(); i++) {
                Message reply = replies.messages.get(i);
                boolean last = i == replies.messages.size() - 1;
                assertThat(reply.hasFlag(OpFlags.CONTINUOUS)).as("CN on every reply but the last").isEqualTo(!last);
                assertThat(reply.requestId()).as("a reply echoes the request id").isEqualTo(request.requestId());
                checkEncodes(reply, replies.seals.get(i));
                outcomes.add((replies.seals.get(i) != null ? "sealed " : "") + reply.responseCode());
                learn(reply);
            }
        }

        /** The reply encodes as the edges encode it, and what a client receives decodes. */
        private void checkEncodes(Message reply, SessionSeal seal) {
            ByteBuf out = chain.encoder().encode(reply, seal, UnpooledByteBufAllocator.DEFAULT);
            byte[] bytes;
            try {
                bytes = ByteBufUtil.getBytes(out);
            } finally {
                out.release();
            }
            Message decoded = MessageDecoderFuzzTest.decodeOrReject(bytes, CODEC::decode);
            assertThat(decoded).as("the encoded reply %s decodes", reply).isNotNull();
            assertThat(decoded.requestId()).isEqualTo(reply.requestId());
        }

        /** Remembers what a client would: the last challenge, and the session a setup opened. */
        private void learn(Message reply) {
            if (reply.header() == null) {
                return;
            }
            if (reply.responseCode().equals(ResponseCode.AUTHENTICATION_NEEDED) && reply.body() instanceof Challenge) {
                lastChallenge = reply;
            } else if (reply.opCode().equals(OpCode.SESSION_SETUP) && reply.body() instanceof SessionSetupResponse r
                    && reply.responseCode().equals(ResponseCode.SUCCESS)) {
                byte[] data = r.data();
                try {
                    PublicKey serverKey = KEY_CODEC.decodePublicKey(Arrays.copyOfRange(data, 4, data.length));
                    sessionKey = SESSION_KEYS.agree(dhClientKey, serverKey);
                    sessionId = reply.sessionId();
                    sessionCounter = 1;
                } catch (CryptoException e) {
                    // The script's setup offered a DH key other than the vectors' client key: no usable session.
                    sessionKey = null;
                }
            }
        }

        /** {@code frame} as a client sends it in the script's session, or unchanged if that cannot be. */
        private byte[] inSession(byte[] frame, boolean encrypt) throws CodecException {
            if (sessionKey == null || frame.length < EnvelopeLayout.LENGTH) {
                return frame;
            }
            ByteBuffer.wrap(frame).putInt(EnvelopeLayout.SESSION_ID, sessionId)
                    .putInt(EnvelopeLayout.MESSAGE_LENGTH, frame.length - EnvelopeLayout.LENGTH);
            Message m;
            try {
                m = CODEC.decode(frame);
            } catch (CodecException e) {
                return frame;
            }
            if (m.header() == null) {
                return frame;
            }
            ByteBuf headerAndBody = Unpooled.buffer();
            try {
                CODEC.encodeHeaderAndBody(m, headerAndBody);
                m = m.withCredential(SESSION_KEYS.macCredential(sessionKey, m.envelope(), sessionCounter++,
                        ByteBufUtil.getBytes(headerAndBody)));
            } finally {
                headerAndBody.release();
            }
            byte[] plain = CODEC.encode(m);
            if (!encrypt) {
                return plain;
            }
            byte[] sealed = CIPHER.encrypt(sessionKey,
                    Arrays.copyOfRange(plain, EnvelopeLayout.LENGTH, plain.length), new SecureRandom());
            Envelope e = m.envelope();
            ByteBuf out = Unpooled.buffer();
            try {
                MessageCodec.writeEnvelope(new Envelope(e.majorVersion(), e.minorVersion(), e.flags() | Envelope.ENCRYPTED,
                        e.suggestedMajor(), e.suggestedMinor(), e.sessionId(), e.requestId(), e.messageId(),
                        sealed.length), sealed.length, out);
                out.writeBytes(sealed);
                return ByteBufUtil.getBytes(out);
            } finally {
                out.release();
            }
        }

        /**
         * Answers the last challenge as the vectors' administrator (§6.2), the low two bits of {@code identity}
         * choosing how: its RSA key at 300, the same key named by index 0, its DSA key at 301, or the RSA key
         * claimed for 301 (a wrong signature).
         */
        private void answer(int identity) {
            if (lastChallenge == null) {
                return;
            }
            byte[] nonce = ((Challenge) lastChallenge.body()).nonce();
            byte[] digest = lastChallenge.requestDigest().digest();
            int version = lastChallenge.envelope().version().number();
            int index = switch (identity & 3) {
                case 0 -> 300;
                case 1 -> 0;
                default -> 301;
            };
            PrivateKey key = (identity & 3) == 2 ? dsaKey : nodeKey;
            byte[] signed = ANSWERS.signPublicKeyAnswer(key, nonce, digest, version);
            MessageHeader h = new MessageHeader(OpCode.CHALLENGE_RESPONSE, ResponseCode.RESERVED,
                    OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY, 0xFFFF, 0, START_MILLIS / 1000 + 43_200);
            Envelope env = new Envelope(2, Math.min(11, lastChallenge.envelope().minorVersion()), 0, 2, 11,
                    lastChallenge.sessionId(), requestId++, 0, 0);
            send(CODEC.encode(Message.of(env, h, new ChallengeAnswer(ValueTypes.HS_PUBKEY, PREFIX_HANDLE, index, signed))));
        }
    }

    /** Collects one request's replies and seals, and a fault if the chain reports one. */
    private static final class Replies implements ReplySink {
        final List<Message> messages = new ArrayList<>();
        final List<SessionSeal> seals = new ArrayList<>();
        Throwable fault;

        @Override
        public void reply(Message reply, SessionSeal seal) {
            messages.add(reply);
            seals.add(seal);
        }

        @Override
        public void fault(Message request, Throwable cause) {
            fault = cause;
        }
    }

    /** Builds seed scripts in the format {@link Run#play} reads. */
    private static Script script() {
        return new Script();
    }

    private static final class Script {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Script raw(byte[] frame) {
            out.write(RAW);
            out.writeBytes(FuzzInput.chunkOf(frame));
            return this;
        }

        Script inSession(byte[] frame, boolean encrypt) {
            out.write(IN_SESSION | (encrypt ? ENCRYPT : 0));
            out.writeBytes(FuzzInput.chunkOf(frame));
            return this;
        }

        Script answer(int identity) {
            out.write(ANSWER);
            out.write(identity);
            return this;
        }

        Script clock(int seconds) {
            out.write(CLOCK);
            out.write(seconds >>> 8);
            out.write(seconds);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
