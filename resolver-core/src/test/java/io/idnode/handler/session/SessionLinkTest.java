package io.idnode.handler.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.model.ValuePermissions;
import io.idnode.protocol.Bytes;
import io.idnode.testing.ManualClock;
import io.netty.buffer.ByteBufUtil;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.CredentialVerifier;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.handler.SessionSeal;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.EmptyBody;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetAddress;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
import javax.crypto.interfaces.DHPublicKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The session link against the golden vectors and as a table of outcomes: setup (mode 4 only, signed
 * with the node key, bounded table), MAC verification, replay, expiry with the clock moved by hand,
 * terminate, encrypted requests and replies, and the session's request context.
 */
class SessionLinkTest {
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;
    private static final CryptoProviders CRYPTO = CryptoFixtures.PROVIDERS;
    private static final HandleKeyCodec KEY_CODEC = new HandleKeyCodec(CRYPTO);
    private static final SessionKeys SESSION_KEYS = new SessionKeys(CRYPTO);
    private static final SessionCipher SESSION_CIPHER = new SessionCipher(CRYPTO);
    private static final CredentialVerifier VERIFIER = new CredentialVerifier(CRYPTO);
    private static final String HANDLE = "88.100.1/PROD-0001";
    private static final long VECTOR_TIME_MILLIS = 1_700_000_000_000L;
    private static final JsonNode DERIVATION = Vectors.vector("session_key_derivation_dh_aes");
    /** Client IVs from a fixed source, so that a wrong-key decryption fails the same way on every run. */
    private static final SecureRandom FIXED_IV = new FixedIdRandom(1);

    private final ManualClock clock = new ManualClock(VECTOR_TIME_MILLIS);
    private final List<RequestContext> contexts = new ArrayList<>();
    /** The context requests are handed to the chain with. */
    private RequestContext sentFrom = RequestContext.NONE;
    private InMemoryRecordStore store;
    private PrivateKey nodePrivate;
    private PublicKey nodePublic;
    private RequestChain chain;
    private SessionTable table;
    /** What the rest of the chain answers instead of the real links, or null for the real ones. */
    private RequestHandler rest;

    @BeforeEach
    void setUp() throws Exception {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        nodePrivate = rsa.generatePrivate(new PKCS8EncodedKeySpec(Vectors.key("rsa_private_pkcs8")));
        nodePublic = rsa.generatePublic(new X509EncodedKeySpec(Vectors.key("rsa_public_x509")));
        store = new InMemoryRecordStore();
        store.put(HandleRecord.of(HANDLE, List.of(
                HandleValue.builder(1, "URL").data("https://example.com/p1").build(),
                HandleValue.builder(2, "SECRET").data("restricted").permissions(ValuePermissions.ADMIN_READ).build())));
        build(SessionSettings.DEFAULT, new SecureRandom());
    }

    /** The chain, with a link after the session link that records each context and may stand in for the rest. */
    private void build(SessionSettings settings, SecureRandom random) {
        chain = NodeFixtures.chain(store, nodePrivate, nodePublic).clock(clock).sessionSettings(settings)
                .random(random).interpose(real -> (request, context, out) -> {
                    contexts.add(context);
                    (rest != null ? rest : real).handle(request, context, out);
                }).build();
        table = chain.sessions();
    }

    // ------------------------------------------------------------------ setup

    @Test
    void setupVectorIsAnsweredWithASignedDhReplyAndTheVectorKeyDerivation() throws Exception {
        JsonNode v = Vectors.vector("session_setup_request_dh");
        Message request = CODEC.decode(Vectors.hex(v.get("tcp_hex").asText()));
        assertThat(request.body()).isInstanceOf(SessionSetupRequest.class);

        Reply reply = send(request, null);
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(reply.message.opCode()).isEqualTo(OpCode.SESSION_SETUP);
        assertThat(reply.message.requestId()).isEqualTo(request.requestId());
        int sessionId = reply.message.sessionId();
        assertThat(sessionId).isPositive();
        assertThat(table.live(sessionId)).isNotNull();
        // RD block over the request, CT echoed: signed with the node key (HS_SIGNED), never with the MAC.
        assertThat(reply.message.requestDigest()).isNotNull();
        Credential cred = reply.message.credential();
        assertThat(cred.type()).isEqualTo(Credential.TYPE_SIGNED);
        assertThat(VERIFIER.verifySignature(cred, nodePublic, reply.message.envelope(),
                reply.message.headerAndBody().toByteArray())).isTrue();

        SessionSetupResponse body = (SessionSetupResponse) reply.message.body();
        assertThat(body.keyExchangeMode()).isEqualTo(SessionSetupRequest.MODE_DIFFIE_HELLMAN);
        byte[] data = body.data();
        assertThat(Arrays.copyOf(data, 4)).containsExactly(0, 0, 0, SessionKeys.CIPHER_AES);
        DHPublicKey serverKey = (DHPublicKey) KEY_CODEC.decodePublicKey(
                Arrays.copyOfRange(data, 4, data.length));
        DHPublicKey clientKey = (DHPublicKey) KEY_CODEC.decodePublicKey(
                ((SessionSetupRequest) request.body()).exchangeKey());
        assertThat(serverKey.getParams().getP()).isEqualTo(clientKey.getParams().getP());
        assertThat(serverKey.getParams().getG()).isEqualTo(clientKey.getParams().getG());

        byte[] clientSideKey = SESSION_KEYS.agree(dhClientPrivate(), serverKey);
        assertThat(table.live(sessionId).key()).isEqualTo(clientSideKey);
        assertThat(table.live(sessionId).identity()).isEqualTo(new ValueReference("0.NA/88.100.1", 300));

        // The derived key works: a resolution in the session verifies and is answered with a MAC.
        Reply inSession = send(sessionRequest(sessionId, clientSideKey, 1, resolution(HANDLE), 0), clientSideKey);
        assertThat(inSession.message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(inSession.macVerified).isTrue();
    }

    @Test
    void derivationVectorIsWhatTheClientComputesFromTheServerKey() throws Exception {
        PublicKey serverPublic = KeyFactory.getInstance("DH")
                .generatePublic(new X509EncodedKeySpec(Vectors.key("dh_server_public_x509")));
        assertThat(Vectors.toHex(SESSION_KEYS.agree(dhClientPrivate(), serverPublic)))
                .isEqualTo(DERIVATION.get("session_key_hex").asText());
    }

    static Stream<Arguments> refusedSetups() {
        return Stream.of(
                Arguments.of("mode 1 (client cipher)", SessionSetupRequest.MODE_CLIENT_CIPHER, true),
                Arguments.of("mode 2 (server cipher)", SessionSetupRequest.MODE_SERVER_CIPHER, false),
                Arguments.of("mode 3 (key in a handle)", SessionSetupRequest.MODE_KEY_IN_HANDLE, false),
                Arguments.of("unknown mode 9", 9, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSetups")
    void otherKeyExchangeModesAreRefusedAndNothingIsStored(String name, int mode, boolean withKey) throws Exception {
        byte[] key = withKey ? Vectors.key("dh_client_public_hs_encoding") : null;
        String keyHandle = mode == SessionSetupRequest.MODE_KEY_IN_HANDLE ? "0.NA/88.100.1" : null;
        Message setup = request(0, OpCode.SESSION_SETUP, OpFlags.CERTIFY | OpFlags.REQUEST_DIGEST,
                new SessionSetupRequest(mode, 600, "", -1, key, keyHandle, 300));
        Reply reply = send(setup, null);
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.INVALID_SESSIONSETUP_REQUEST);
        assertThat(reply.message.sessionId()).isZero();
        assertThat(table.size()).isZero();
    }

    @Test
    void degenerateClientDhKeyIsRefused() throws Exception {
        KeyPair weak = KeyPairGenerator.getInstance("DH").generateKeyPair();
        DHPublicKey pub = (DHPublicKey) weak.getPublic();
        PublicKey one = KeyFactory.getInstance("DH").generatePublic(
                new javax.crypto.spec.DHPublicKeySpec(java.math.BigInteger.ONE, pub.getParams().getP(),
                        pub.getParams().getG()));
        Message setup = request(0, OpCode.SESSION_SETUP, OpFlags.CERTIFY,
                new SessionSetupRequest(4, 600, "", -1, KEY_CODEC.encodePublicKey(one), null, 0));
        assertThat(send(setup, null).message.responseCode()).isEqualTo(ResponseCode.INVALID_SESSIONSETUP_REQUEST);
        assertThat(table.size()).isZero();
    }

    @Test
    void setupsBeyondTheMaximumAreTooBusyUntilASessionExpires() throws Exception {
        build(new SessionSettings(1, 1, Duration.ofMinutes(10)), new SecureRandom());
        ValueReference admin = new ValueReference("0.NA/88.100.1", 300);
        Client first = setupSession(60, admin);
        // An authenticated session is not dropped to make room for a new one.
        assertThat(table.live(first.sessionId).authenticate(admin)).isTrue();
        Message second = setupRequest(60);
        assertThat(send(second, null).message.responseCode()).isEqualTo(ResponseCode.SERVER_TOO_BUSY);
        assertThat(table.size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(61));
        assertThat(send(setupRequest(60), null).message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(table.live(first.sessionId)).isNull();
    }

    @Test
    void setupsFromOneAddressBeyondItsQuotaAreTooBusyWhileOtherAddressesGetSessions() throws Exception {
        build(new SessionSettings(10, 2, Duration.ofMinutes(10)), new SecureRandom());
        InetAddress flooder = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        sentFrom = new FromAddress(flooder);
        setupSession(60);
        setupSession(60);

        Message refused = send(setupRequest(60), null).message;

        assertThat(refused.responseCode()).isEqualTo(ResponseCode.SERVER_TOO_BUSY);
        assertThat(((ErrorResponse) refused.body()).message()).contains("127.0.0.2");
        assertThat(table.held(flooder)).isEqualTo(2);
        assertThat(table.refusedPerSource()).isEqualTo(1);
        sentFrom = new FromAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        assertThat(setupSession(60).sessionId).isPositive();
        assertThat(table.size()).isEqualTo(3);
    }

    // ------------------------------------------------------------------ vectors of MACs

    @Test
    void requestMacVectorVerifiesAndTheReplyIsTheResponseMacVector() throws Exception {
        // A random source whose first pick gives session id 2, the vectors' session.
        build(SessionSettings.DEFAULT, new FixedIdRandom(1));
        Session s = table.open(Vectors.hex(DERIVATION.get("session_key_hex").asText()), 2, 11, null, 0, null);
        assertThat(s.id()).isEqualTo(2);
        JsonNode response = Vectors.vector("session_response_mac");
        // The rest of the chain answers exactly the vector's reply; the session link adds the MAC (server counter 1).
        rest = (request, context, out) -> out.reply(Message.of(request.envelope().replyEnvelope(request.sessionId()),
                new MessageHeader(OpCode.ADD_VALUE, ResponseCode.SUCCESS, 0xd900_0000, 1, 0, 2_000_000_000L),
                EmptyBody.INSTANCE), null);
        Message request = CODEC.decode(Vectors.hex(Vectors.vector("session_request_mac").get("tcp_hex").asText()));

        assertThat(Vectors.toHex(respond(request))).isEqualTo(response.get("tcp_hex").asText());
        assertThat(contexts).hasSize(1);
        assertThat(contexts.get(0).sessionId()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ requests in a session

    @Test
    void wrongMacIsInvalidSessionKey() throws Exception {
        Client c = setupSession(600);
        Message good = sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), 0);
        byte[] mac = good.credential().signature().toByteArray();
        mac[0] ^= 1;
        Message bad = reencode(good.withCredential(Credential.mac(1, good.credential().hashId(), Bytes.wrap(mac))));
        Reply reply = send(bad, c.key);
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.INVALID_SESSION_KEY);
        assertThat(reply.message.credential() == null || !Credential.TYPE_MAC.equals(reply.message.credential().type()))
                .isTrue();
        assertThat(contexts).isEmpty();
        // The failed attempt did not use up counter 1.
        assertThat(send(good, c.key).message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
    }

    @Test
    void macWithAnotherSessionsKeyIsRejected() throws Exception {
        Client a = setupSession(600);
        Client b = setupSession(600);
        Reply reply = send(sessionRequest(a.sessionId, b.key, 1, resolution(HANDLE), 0), a.key);
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.INVALID_SESSION_KEY);
    }

    @Test
    void repeatedCounterIsRejected() throws Exception {
        Client c = setupSession(600);
        Message first = sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), 0);
        assertThat(send(first, c.key).message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        Reply replay = send(first, c.key);
        assertThat(replay.message.responseCode()).isEqualTo(ResponseCode.SESSION_MESSAGE_REJECTED);
        // The MAC verified: the refusal belongs to the session and is MAC-signed (§2.3).
        assertThat(replay.macVerified).isTrue();
        // Same counter, new request id and a valid MAC: still a replay.
        Message again = sessionRequest(c.sessionId, c.key, 1, resolution("88.100.1/OTHER"), 0);
        assertThat(send(again, c.key).message.responseCode()).isEqualTo(ResponseCode.SESSION_MESSAGE_REJECTED);
        assertThat(contexts).hasSize(1);
    }

    @Test
    void countersMayArriveOutOfOrderWithinTheWindow() throws Exception {
        Client c = setupSession(600);
        for (int counter : new int[] {3, 1, 2}) {
            assertThat(send(sessionRequest(c.sessionId, c.key, counter, resolution(HANDLE), 0), c.key)
                    .message.responseCode()).as("counter %d", counter).isEqualTo(ResponseCode.SUCCESS);
        }
        int far = 4 + Session.REPLAY_WINDOW + 1;
        assertThat(send(sessionRequest(c.sessionId, c.key, far, resolution(HANDLE), 0), c.key)
                .message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        // 4 is now more than the window below the highest counter: refused although never seen; 5 is the
        // oldest counter still inside the window.
        assertThat(send(sessionRequest(c.sessionId, c.key, 4, resolution(HANDLE), 0), c.key)
                .message.responseCode()).isEqualTo(ResponseCode.SESSION_MESSAGE_REJECTED);
        assertThat(send(sessionRequest(c.sessionId, c.key, 5, resolution(HANDLE), 0), c.key)
                .message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
    }

    @Test
    void unknownSessionWithMacIsSessionTimeout() throws Exception {
        byte[] key = new byte[32];
        Reply reply = send(sessionRequest(12345, key, 1, resolution(HANDLE), 0), null);
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.SESSION_TIMEOUT);
        assertThat(contexts).isEmpty();
    }

    @Test
    void sessionIdWithoutMacIsPassedOnWithoutSession() throws Exception {
        Client c = setupSession(600);
        for (int sessionId : new int[] {777, c.sessionId}) {
            contexts.clear();
            Message plain = reencode(request(sessionId, OpCode.RESOLUTION, 0, resolution(HANDLE)));
            Reply reply = send(plain, null);
            assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(reply.message.sessionId()).isEqualTo(sessionId);
            assertThat(reply.message.credential()).isNull();
            assertThat(contexts).containsExactly(RequestContext.NONE);
        }
    }

    @Test
    void idleSessionExpiresAndUseRestartsTheTimeout() throws Exception {
        Client c = setupSession(60);
        clock.advance(Duration.ofSeconds(50));
        assertThat(send(sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), 0), c.key).message.responseCode())
                .isEqualTo(ResponseCode.SUCCESS);
        clock.advance(Duration.ofSeconds(50));
        assertThat(send(sessionRequest(c.sessionId, c.key, 2, resolution(HANDLE), 0), c.key).message.responseCode())
                .isEqualTo(ResponseCode.SUCCESS);
        clock.advance(Duration.ofSeconds(60));
        assertThat(send(sessionRequest(c.sessionId, c.key, 3, resolution(HANDLE), 0), c.key).message.responseCode())
                .isEqualTo(ResponseCode.SESSION_TIMEOUT);
        assertThat(table.size()).isZero();
    }

    @Test
    void requestedTimeoutIsCappedAndNoSessionOutlivesTheMaximum() throws Exception {
        build(new SessionSettings(10, 10, Duration.ofMinutes(2)), new SecureRandom());
        Client c = setupSession(86_400);
        assertThat(table.live(c.sessionId).timeoutMillis()).isEqualTo(120_000);
        int counter = 1;
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(50));
            ResponseCode rc = send(sessionRequest(c.sessionId, c.key, counter++, resolution(HANDLE), 0), c.key)
                    .message.responseCode();
            // Used every 50 s, so never idle for 2 minutes, but 150 s after setup it is over.
            assertThat(rc).isEqualTo(i < 2 ? ResponseCode.SUCCESS : ResponseCode.SESSION_TIMEOUT);
        }
    }

    @Test
    void terminateEndsTheSession() throws Exception {
        Client c = setupSession(600);
        Reply reply = send(sessionRequest(c.sessionId, c.key, 1, OpCode.SESSION_TERMINATE, new HandleRequest("/"), 0),
                c.key);
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(reply.macVerified).isTrue();
        assertThat(table.live(c.sessionId)).isNull();
        assertThat(send(sessionRequest(c.sessionId, c.key, 2, resolution(HANDLE), 0), c.key).message.responseCode())
                .isEqualTo(ResponseCode.SESSION_TIMEOUT);
    }

    @Test
    void everyReplyIsMacSignedWithIncreasingServerCounters() throws Exception {
        Client c = setupSession(600);
        for (int counter = 1; counter <= 3; counter++) {
            int flags = counter == 2 ? OpFlags.CERTIFY : 0;
            Reply reply = send(sessionRequest(c.sessionId, c.key, counter, resolution(HANDLE), flags), c.key);
            assertThat(reply.macVerified).isTrue();
            assertThat(reply.message.credential().sessionCounter()).isEqualTo(counter);
            assertThat(reply.encrypted).isFalse();
        }
    }

    @Test
    void encryptedRequestIsDecryptedAndAnsweredEncrypted() throws Exception {
        Client c = setupSession(600);
        Message plain = sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), OpFlags.ENCRYPT);
        Message encrypted = encrypt(plain, c.key);
        assertThat(encrypted.header()).isNull();
        Reply reply = send(encrypted, c.key);
        assertThat(reply.encrypted).isTrue();
        assertThat(reply.macVerified).isTrue();
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        ResolutionResponse body = (ResolutionResponse) reply.message.body();
        assertThat(body.values()).extracting(HandleValue::index).containsExactly(1);
    }

    @Test
    void encryptFlagWithoutEncryptedRequestStillEncryptsTheReply() throws Exception {
        Client c = setupSession(600);
        Reply reply = send(sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), OpFlags.ENCRYPT), c.key);
        assertThat(reply.encrypted).isTrue();
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
    }

    @Test
    void replyCarryingARestrictedValueIsEncryptedFrom28() throws Exception {
        Client c = setupSession(600);
        HandleValue secret = HandleValue.builder(2, "SECRET").data("s").permissions(ValuePermissions.ADMIN_READ).build();
        rest = (request, context, out) -> out.reply(chain.replies().reply(request, ResponseCode.SUCCESS,
                new ResolutionResponse(HANDLE, List.of(secret))), null);
        Reply reply = send(sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), 0), c.key);
        assertThat(reply.encrypted).isTrue();
        assertThat(((ResolutionResponse) reply.message.body()).values()).containsExactly(secret);
    }

    @Test
    void encryptedGarbageIsRefusedAndChangesNothing() throws Exception {
        Client c = setupSession(600);
        Message plain = sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), 0);
        Message wrongKey = encrypt(plain, new byte[32]);
        assertThat(send(wrongKey, null).message.responseCode()).isEqualTo(ResponseCode.INVALID_SESSION_KEY);
        assertThat(contexts).isEmpty();
        assertThat(send(plain, c.key).message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
    }

    @Test
    void hostileEncryptedBytesGetAnErrorReplyAndChangeNothing() throws Exception {
        Client c = setupSession(600);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[random.nextInt(120)];
            random.nextBytes(junk);
            // Half the cases are well-formed ciphertexts under the right key whose plaintext is junk.
            byte[] body = i % 2 == 0 ? junk : SESSION_CIPHER.encrypt(c.key, junk, FIXED_IV);
            Envelope ec = new Envelope(2, 11, Envelope.ENCRYPTED, 2, 11, c.sessionId, 5000 + i, 0, body.length);
            Message request = new Message(ec, null, null, new MessageBody.OpaqueBody(Bytes.wrap(body)), null, null);
            ResponseCode rc = send(request, c.key).message.responseCode();
            assertThat(rc).as("case %d", i).isIn(ResponseCode.INVALID_SESSION_KEY, ResponseCode.PROTOCOL_ERROR);
        }
        assertThat(contexts).isEmpty();
        assertThat(table.size()).isEqualTo(1);
        assertThat(send(sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), 0), c.key).message.responseCode())
                .isEqualTo(ResponseCode.SUCCESS);
    }

    @Test
    void encryptedRequestForAnUnknownSessionIsSessionTimeout() throws Exception {
        Message enc = encrypt(sessionRequest(4242, new byte[32], 1, resolution(HANDLE), 0), new byte[32]);
        assertThat(send(enc, null).message.responseCode()).isEqualTo(ResponseCode.SESSION_TIMEOUT);
    }

    // ------------------------------------------------------------------ the session's request context

    @Test
    void contextAuthenticatesOnlyTheIdentityNamedAtSetup() throws Exception {
        ValueReference named = new ValueReference("0.NA/88.100.1", 300);
        Client c = setupSession(600, named);
        send(sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), 0), c.key);
        RequestContext ctx = contexts.get(0);
        assertThat(ctx.sessionId()).isEqualTo(c.sessionId);
        assertThat(ctx.authenticatedAs()).isNull();
        ctx.authenticated(new ValueReference("0.NA/88.100.1", 301));
        ctx.authenticated(new ValueReference("0.NA/88.100.2", 300));
        assertThat(ctx.authenticatedAs()).isNull();
        ctx.authenticated(new ValueReference("0.na/88.100.1", 300));
        assertThat(ctx.authenticatedAs()).isEqualTo(named);
        // Later requests of the session see the identity.
        send(sessionRequest(c.sessionId, c.key, 2, resolution(HANDLE), 0), c.key);
        assertThat(contexts.get(1).authenticatedAs()).isEqualTo(named);
    }

    @Test
    void challengeAnswerWithoutMacInALiveSessionIsAnsweredInThatSession() throws Exception {
        ValueReference named = new ValueReference("0.NA/88.100.1", 300);
        Client c = setupSession(600, named);
        rest = (request, context, out) -> out.reply(chain.replies().error(request, ResponseCode.INVALID_ADMIN, "stub"),
                null);
        Message answer = reencode(request(c.sessionId, OpCode.CHALLENGE_RESPONSE, OpFlags.CERTIFY,
                new MessageBody.ChallengeAnswer("HS_PUBKEY", named.handle(), named.index(), new byte[8])));
        Reply reply = send(answer, c.key);
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.INVALID_ADMIN);
        assertThat(reply.message.sessionId()).isEqualTo(c.sessionId);
        // As the stock client sends it (no MAC): the reply is still the session's, MAC-signed.
        assertThat(reply.macVerified).isTrue();
        RequestContext ctx = contexts.get(0);
        assertThat(ctx.sessionId()).isEqualTo(c.sessionId);
        // A valid answer binds the identity named at setup for the rest of the session.
        ctx.authenticated(named);
        send(sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), 0), c.key);
        assertThat(contexts.get(1).authenticatedAs()).isEqualTo(named);
    }

    @Test
    void challengeAnswerForNoLiveSessionGetsNoSession() throws Exception {
        rest = (request, context, out) -> out.reply(chain.replies().error(request, ResponseCode.INVALID_ADMIN, "stub"),
                null);
        Message answer = reencode(request(4242, OpCode.CHALLENGE_RESPONSE, 0,
                new MessageBody.ChallengeAnswer("HS_PUBKEY", "0.NA/88.100.1", 300, new byte[8])));
        Reply reply = send(answer, null);
        assertThat(reply.message.sessionId()).isEqualTo(4242);
        assertThat(reply.message.credential()).isNull();
        assertThat(contexts).containsExactly(RequestContext.NONE);
    }

    @Test
    void anonymousSessionIsNeverAuthenticated() throws Exception {
        Client c = setupSession(600);
        send(sessionRequest(c.sessionId, c.key, 1, resolution(HANDLE), 0), c.key);
        contexts.get(0).authenticated(new ValueReference("0.NA/88.100.1", 300));
        assertThat(contexts.get(0).authenticatedAs()).isNull();
    }

    @Test
    void requestsWithoutSessionGetNoContext() throws Exception {
        Reply reply = send(reencode(request(0, OpCode.RESOLUTION, 0, resolution(HANDLE))), null);
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(contexts).containsExactly(RequestContext.NONE);
    }

    // ------------------------------------------------------------------ helpers

    private record Client(int sessionId, byte[] key) {
    }

    /** A request from {@code source}, as a transport reports it, with nothing else known. */
    private record FromAddress(InetAddress source) implements RequestContext {
        @Override
        public ValueReference authenticatedAs() {
            return null;
        }

        @Override
        public void authenticated(ValueReference identity) {
            // nothing to bind to
        }
    }

    private record Reply(Message message, boolean encrypted, boolean macVerified) {
    }

    private Client setupSession(int timeout) throws Exception {
        return setupSession(timeout, null);
    }

    /** Sets up a session as a client would, with a fresh DH key in the 1024-bit group, and derives its key. */
    private Client setupSession(int timeout, ValueReference identity) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("DH");
        gen.initialize(1024);
        KeyPair pair = gen.generateKeyPair();
        Message setup = request(0, OpCode.SESSION_SETUP, OpFlags.CERTIFY | OpFlags.REQUEST_DIGEST,
                new SessionSetupRequest(4, timeout, identity == null ? "" : identity.handle(),
                        identity == null ? -1 : identity.index(), KEY_CODEC.encodePublicKey(pair.getPublic()),
                        null, 0));
        Reply reply = send(reencode(setup), null);
        assertThat(reply.message.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        byte[] data = ((SessionSetupResponse) reply.message.body()).data();
        PublicKey server = KEY_CODEC.decodePublicKey(Arrays.copyOfRange(data, 4, data.length));
        return new Client(reply.message.sessionId(), SESSION_KEYS.agree(pair.getPrivate(), server));
    }

    private Message setupRequest(int timeout) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("DH");
        gen.initialize(1024);
        return reencode(request(0, OpCode.SESSION_SETUP, OpFlags.CERTIFY, new SessionSetupRequest(4, timeout, "", -1,
                KEY_CODEC.encodePublicKey(gen.generateKeyPair().getPublic()), null, 0)));
    }

    private static ResolutionRequest resolution(String handle) {
        return new ResolutionRequest(handle, new int[0], List.of(), null);
    }

    private static int nextRequestId = 1000;

    private static Message request(int sessionId, OpCode op, int flags, MessageBody body) {
        // PO as clients send it by default: the record's restricted value would otherwise draw a challenge.
        MessageHeader h = new MessageHeader(op, ResponseCode.valueOf(0), OpFlags.RECURSIVE | OpFlags.PUBLIC_ONLY | flags,
                0xFFFF, 0, 2_000_000_000L);
        return Message.of(Envelope.request(sessionId, nextRequestId++), h, body);
    }

    private static Message sessionRequest(int sessionId, byte[] key, int counter, ResolutionRequest body, int flags)
            throws CodecException {
        return sessionRequest(sessionId, key, counter, OpCode.RESOLUTION, body, flags);
    }

    /** A request MAC-signed with {@code key} as a client in the session signs it (§2.3), decoded from its bytes. */
    private static Message sessionRequest(int sessionId, byte[] key, int counter, OpCode op, MessageBody body,
            int flags) throws CodecException {
        Message m = request(sessionId, op, flags, body);
        ByteBuf hb = Unpooled.buffer();
        try {
            CODEC.encodeHeaderAndBody(m, hb);
            Credential mac = SESSION_KEYS.macCredential(key, m.envelope(), counter, ByteBufUtil.getBytes(hb));
            return reencode(m.withCredential(mac));
        } finally {
            hb.release();
        }
    }

    /** The message as the transport would hand it over: encoded, then decoded (with its exact bytes). */
    private static Message reencode(Message m) throws CodecException {
        return CODEC.decode(CODEC.encode(m));
    }

    /** The request as a client encrypts it (§6.6): the message bytes under EC, {@code IV ‖ ciphertext}. */
    private static Message encrypt(Message m, byte[] key) throws CodecException {
        byte[] frame = CODEC.encode(m);
        byte[] plain = Arrays.copyOfRange(frame, EnvelopeLayout.LENGTH, frame.length);
        byte[] sealed = SESSION_CIPHER.encrypt(key, plain, FIXED_IV);
        Envelope e = m.envelope();
        Envelope ec = new Envelope(e.majorVersion(), e.minorVersion(), Envelope.ENCRYPTED, e.suggestedMajor(),
                e.suggestedMinor(), e.sessionId(), e.requestId(), 0, sealed.length);
        ByteBuf out = Unpooled.buffer();
        try {
            MessageCodec.writeEnvelope(ec, sealed.length, out);
            out.writeBytes(sealed);
            return CODEC.decode(ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }

    /** The one reply of the chain to {@code request}, encoded as the edge encodes it (sealed in a session). */
    private byte[] respond(Message request) {
        List<byte[]> frames = new ArrayList<>();
        chain.handle(request, sentFrom, new ReplySink() {
            @Override
            public void reply(Message reply, SessionSeal seal) {
                ByteBuf out = chain.encoder().encode(reply, seal, UnpooledByteBufAllocator.DEFAULT);
                try {
                    frames.add(ByteBufUtil.getBytes(out));
                } finally {
                    out.release();
                }
            }

            @Override
            public void fault(Message failed, Throwable cause) {
                throw new AssertionError("the chain failed on " + failed, cause);
            }
        });
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    /** Sends through the chain and decodes the reply, decrypting with {@code key} and checking its MAC. */
    private Reply send(Message request, byte[] key) throws CodecException, CryptoException {
        byte[] frame = respond(request);
        Message reply = CODEC.decode(frame);
        boolean encrypted = reply.header() == null;
        if (encrypted) {
            assertThat(key).as("an encrypted reply needs the session key").isNotNull();
            byte[] plain = SESSION_CIPHER.decrypt(key, ((MessageBody.OpaqueBody) reply.body()).bytes().toByteArray());
            Envelope e = reply.envelope();
            Envelope clear = new Envelope(e.majorVersion(), e.minorVersion(), 0, e.suggestedMajor(),
                    e.suggestedMinor(), e.sessionId(), e.requestId(), 0, plain.length);
            reply = CODEC.decodeMessage(clear, plain, 0, plain.length);
        }
        boolean macVerified = key != null && reply.credential() != null
                && Credential.TYPE_MAC.equals(reply.credential().type())
                && VERIFIER.verifyMac(reply.credential(), key, reply.envelope(),
                        reply.headerAndBody().toByteArray());
        return new Reply(reply, encrypted, macVerified);
    }

    private static PrivateKey dhClientPrivate() throws Exception {
        return KeyFactory.getInstance("DH").generatePrivate(
                new PKCS8EncodedKeySpec(Vectors.key("dh_client_private_pkcs8")));
    }


    /** A random source always answering {@code value}: pins a session id or an IV. */
    static final class FixedIdRandom extends SecureRandom {
        private final int value;

        FixedIdRandom(int value) {
            this.value = value;
        }

        @Override
        public int nextInt(int bound) {
            return value;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) value);
        }
    }
}
