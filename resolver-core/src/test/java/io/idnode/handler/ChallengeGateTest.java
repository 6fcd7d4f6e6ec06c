package io.idnode.handler;

import io.idnode.model.ValueTypes;
import io.idnode.model.ValuePermissions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Challenge and answer through the request chain (handle-protocol.md §6.1–6.3, §4.4): the administration
 * link challenges, the challenge gate takes the answer, with messages going through the real codec, the
 * golden vectors' keys and requests, and challenge time moved by hand.
 */
class ChallengeGateTest {
    private static final HandleKeyCodec KEY_CODEC = new HandleKeyCodec(CryptoFixtures.PROVIDERS);
    private static final ChallengeAnswers ANSWERS = new ChallengeAnswers(CryptoFixtures.PROVIDERS);
    static final String PH = "0.NA/88.100.1";
    static final ValueReference ADMIN = new ValueReference(PH, 300);
    static final String SEC = "88.100.1/SEC";
    static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
    /** Replies then expire at the vectors' fixed 2000000000. */
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(2_000_000_000L - Replies.REPLY_LIFETIME_SECONDS),
            ZoneOffset.UTC);

    final AtomicLong nanos = new AtomicLong();
    final List<AuditLog.Entry> audit = new ArrayList<>();
    final MessageCodec codec = MessageCodec.DEFAULT;
    InMemoryRecordStore store;
    RequestChain chain;
    PrivateKey rsa;

    @BeforeEach
    void setUp() throws Exception {
        rsa = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Vectors.key("rsa_private_pkcs8")));
        PublicKey rsaPublic = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Vectors.key("rsa_public_x509")));
        store = new InMemoryRecordStore();
        store.put(HandleRecord.of(PH, List.of(
                HandleValue.builder(100, ValueTypes.HS_ADMIN).data(AdminValueCodec.encode(new AdminValue(AdminValue.ALL, PH,
                        300))).build(),
                HandleValue.builder(101, ValueTypes.HS_ADMIN).data(AdminValueCodec.encode(new AdminValue(AdminValue.ALL, SEC,
                        1))).build(),
                HandleValue.builder(102, ValueTypes.HS_ADMIN).data(AdminValueCodec.encode(new AdminValue(AdminValue.ALL, PH,
                        301))).build(),
                HandleValue.builder(300, "HS_PUBKEY").data(KEY_CODEC.encodePublicKey(rsaPublic)).build(),
                HandleValue.builder(301, "HS_PUBKEY").data(KEY_CODEC.encodePublicKey(KeyFactory.getInstance("DSA")
                        .generatePublic(new X509EncodedKeySpec(Vectors.key("dsa_public_x509"))))).build())));
        store.put(HandleRecord.of(SEC, List.of(HandleValue.builder(1, "HS_SECKEY").data(SECRET)
                .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).build())));
        chain = chain(List.of());
    }

    RequestChain chain(List<ValueReference> nodeAdmins) throws Exception {
        PublicKey rsaPublic = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Vectors.key("rsa_public_x509")));
        return NodeFixtures.chain(store, rsa, rsaPublic).clock(CLOCK).nodeAdmins(nodeAdmins)
                .pendingChallenges(new PendingChallenges(Duration.ofSeconds(20), nanos::get)).auditLog(audit::add)
                .build();
    }

    /** The one reply of {@code chain} to {@code request} from a sender it does not know yet. */
    static Message handle(RequestChain chain, Message request) {
        return ReplyCollector.single(chain.answer(request).join());
    }

    Message handle(Message request) {
        return handle(chain, request);
    }

    Message handle(Message request, RequestContext context) {
        return ReplyCollector.single(chain.answer(request, context).join());
    }

    Message vectorRequest(String name) throws Exception {
        return codec.decode(Vectors.hex(Vectors.vector(name).get("tcp_hex").asText()));
    }

    /** The message as a peer would receive it: encoded and decoded again. */
    Message wire(Message m) throws Exception {
        return codec.decode(codec.encode(m));
    }

    Message answer(Message challenge, int requestId, MessageBody body) throws Exception {
        MessageHeader h = new MessageHeader(OpCode.CHALLENGE_RESPONSE, ResponseCode.RESERVED,
                OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY | OpFlags.PUBLIC_ONLY, 0xFFFF, 0, 2_000_000_000L);
        return wire(Message.of(Envelope.request(challenge.sessionId(), requestId), h, body));
    }

    ChallengeAnswer rsaAnswer(Message challenge, PrivateKey key) {
        byte[] nonce = ((Challenge) challenge.body()).nonce();
        byte[] digest = challenge.requestDigest().digest();
        return new ChallengeAnswer("HS_PUBKEY", PH, 300,
                ANSWERS.signPublicKeyAnswer(key, nonce, digest, challenge.envelope().version().number()));
    }

    Message create(String handle, int requestId) throws Exception {
        MessageHeader h = new MessageHeader(OpCode.CREATE_HANDLE, ResponseCode.RESERVED,
                OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY | OpFlags.PUBLIC_ONLY, 1, 0, 2_000_000_000L);
        return wire(Message.of(Envelope.request(0, requestId), h, new ValuesRequest(handle, List.of(
                HandleValue.builder(1, "URL").data("https://example.com/" + handle).build()))));
    }

    @Test
    void challengeMatchesTheVectorAndTheFinalReplyIsByteExact() throws Exception {
        Message request = vectorRequest("create_handle_request");
        Message challenge = wire(handle(request));
        JsonNode expected = Vectors.vector("challenge_response_to_create");
        assertThat(challenge.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        assertThat(Vectors.toHex(codec.encode(challenge)).substring(8 * 2, 20 * 2))
                .isEqualTo(expected.get("envelope_hex").asText().substring(8 * 2)); // requestId, messageId, length
        assertThat(challenge.sessionId()).isNotZero();
        assertThat(challenge.header().opFlags()).isEqualTo(0x9980_0000);
        // RD block: SHA-256 of the request's header and body, as in the vector (nonces differ).
        assertThat("0" + challenge.requestDigest().hashType() + Vectors.toHex(challenge.requestDigest().digest()))
                .isEqualTo(expected.get("body_hex").asText().substring(0, 66));
        assertThat(store.get("88.100.1/PROD-0001")).isNull();

        Message reply = handle(answer(challenge, 0x12345679, rsaAnswer(challenge, rsa)));
        assertThat(Vectors.toHex(codec.encode(reply)))
                .isEqualTo(Vectors.vector("create_handle_response_after_challenge").get("tcp_hex").asText());
        assertThat(store.get("88.100.1/PROD-0001").values()).extracting(HandleValue::timestamp)
                .containsOnly((int) CLOCK.instant().getEpochSecond());
        assertThat(audit).last().satisfies(e -> {
            assertThat(e.identity()).isEqualTo(ADMIN);
            assertThat(e.result()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(e.handle()).isEqualTo("88.100.1/PROD-0001");
        });
    }

    @ParameterizedTest(name = "{0} key, answer for version {1}")
    @CsvSource({"RSA, 300, 206, SHA1", "RSA, 300, 211, SHA-256", "DSA, 301, 210, SHA1", "DSA, 301, 211, SHA-256"})
    void publicKeyAnswersInSha1AndSha256Forms(String alg, int index, int version, String hashId) throws Exception {
        PrivateKey key = alg.equals("RSA") ? rsa : KeyFactory.getInstance("DSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Vectors.key("dsa_private_pkcs8")));
        String handle = "88.100.1/" + alg + "-" + version;
        Message challenge = handle(create(handle, 7));
        byte[] signed = ANSWERS.signPublicKeyAnswer(key, ((Challenge) challenge.body()).nonce(),
                challenge.requestDigest().digest(), version);
        assertThat(new String(signed, 4, hashId.length(), StandardCharsets.US_ASCII)).isEqualTo(hashId);
        Message reply = handle(answer(challenge, 8, new ChallengeAnswer("HS_PUBKEY", PH, index, signed)));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(store.get(handle)).isNotNull();
    }

    @Test
    void answerAfterExpiryTimesOutAndChangesNothing() throws Exception {
        Message challenge = handle(create("88.100.1/LATE", 7));
        nanos.addAndGet(Duration.ofSeconds(21).toNanos());
        Message reply = handle(answer(challenge, 8, rsaAnswer(challenge, rsa)));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.AUTHEN_TIMEOUT);
        assertThat(store.get("88.100.1/LATE")).isNull();
    }

    @Test
    void answerJustBeforeExpirySucceeds() throws Exception {
        Message challenge = handle(create("88.100.1/INTIME", 7));
        nanos.addAndGet(Duration.ofSeconds(19).toNanos());
        assertThat(handle(answer(challenge, 8, rsaAnswer(challenge, rsa))).responseCode())
                .isEqualTo(ResponseCode.SUCCESS);
        assertThat(store.get("88.100.1/INTIME")).isNotNull();
    }

    @Test
    void unknownOrAlreadyAnsweredChallengeTimesOut() throws Exception {
        Message challenge = handle(create("88.100.1/ONCE", 7));
        Message forged = Message.of(Envelope.request(challenge.sessionId() ^ 0x5A5A, 1), challenge.header(),
                challenge.body());
        assertThat(handle(answer(forged, 8, rsaAnswer(challenge, rsa))).responseCode())
                .isEqualTo(ResponseCode.AUTHEN_TIMEOUT);
        assertThat(handle(answer(challenge, 9, rsaAnswer(challenge, rsa))).responseCode())
                .isEqualTo(ResponseCode.SUCCESS);
        store.delete("88.100.1/ONCE");
        assertThat(handle(answer(challenge, 10, rsaAnswer(challenge, rsa))).responseCode())
                .isEqualTo(ResponseCode.AUTHEN_TIMEOUT);
        assertThat(store.get("88.100.1/ONCE")).isNull();
    }

    @Test
    void legacySha1SecretKeyAnswerIsAcceptedAndAWrongSecretIsNot() throws Exception {
        Message challenge = handle(create("88.100.1/LEGACY", 7));
        byte[] nonce = ((Challenge) challenge.body()).nonce();
        byte[] digest = challenge.requestDigest().digest();
        byte[] wrong = ANSWERS.secretKeyAnswer("nope".getBytes(StandardCharsets.UTF_8), nonce, digest,
                206, new SecureRandom());
        assertThat(handle(answer(challenge, 8, new ChallengeAnswer("HS_SECKEY", SEC, 1, wrong))).responseCode())
                .isEqualTo(ResponseCode.AUTHENTICATION_FAILED);
        assertThat(store.get("88.100.1/LEGACY")).isNull();

        challenge = handle(create("88.100.1/LEGACY", 9));
        nonce = ((Challenge) challenge.body()).nonce();
        digest = challenge.requestDigest().digest();
        byte[] right = ANSWERS.secretKeyAnswer(SECRET, nonce, digest, 206, new SecureRandom());
        assertThat(right[0]).isEqualTo((byte) ChallengeAnswers.SECKEY_SHA1);
        assertThat(handle(answer(challenge, 10, new ChallengeAnswer("HS_SECKEY", SEC, 1, right))).responseCode())
                .isEqualTo(ResponseCode.SUCCESS);
        assertThat(store.get("88.100.1/LEGACY")).isNotNull();
    }

    @Test
    void identityOnAPrefixNotServedHereIsAnAuthenticationError() throws Exception {
        // Only a node administrator could be authorized from another prefix; its proof cannot be checked here.
        RequestChain withForeignAdmin = chain(List.of(new ValueReference("99.1/ME", 1)));
        Message challenge = handle(withForeignAdmin, create("88.100.1/FOREIGN", 7));
        byte[] nonce = ((Challenge) challenge.body()).nonce();
        byte[] any = ANSWERS.secretKeyAnswer(SECRET, nonce, challenge.requestDigest().digest(), 211,
                new SecureRandom());
        Message reply = handle(withForeignAdmin,
                answer(challenge, 8, new ChallengeAnswer("HS_SECKEY", "99.1/ME", 1, any)));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.AUTHEN_ERROR);
        assertThat(((MessageBody.ErrorResponse) reply.body()).message()).contains("not served by this node");
        assertThat(store.get("88.100.1/FOREIGN")).isNull();
    }

    @Test
    void contextThatKnowsTheSenderSkipsTheChallengeAndSessionIdsAreReused() throws Exception {
        RequestContext known = new FixedContext(ADMIN, 0);
        assertThat(handle(create("88.100.1/KNOWN", 7), known).responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(store.get("88.100.1/KNOWN")).isNotNull();

        FixedContext session = new FixedContext(null, 4242);
        Message challenge = handle(create("88.100.1/SESSION", 8), session);
        assertThat(challenge.sessionId()).isEqualTo(4242);
        assertThat(handle(answer(challenge, 9, rsaAnswer(challenge, rsa)), session).responseCode())
                .isEqualTo(ResponseCode.SUCCESS);
        assertThat(session.proven).containsExactly(ADMIN);
    }

    @Test
    void wrongKeyFailsAfterThePermissionCheck() throws Exception {
        PrivateKey other = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        Message challenge = handle(create("88.100.1/WRONG", 7));
        Message reply = handle(answer(challenge, 8, rsaAnswer(challenge, other)));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_FAILED);
        assertThat(reply.requestId()).isEqualTo(8);
        assertThat(store.get("88.100.1/WRONG")).isNull();
        assertThat(audit).last().satisfies(e -> assertThat(e.result()).isEqualTo(ResponseCode.AUTHENTICATION_FAILED));
    }

    /** A context that may already know the sender and may be in a session. */
    static final class FixedContext implements RequestContext {
        final ValueReference as;
        final int session;
        final List<ValueReference> proven = new ArrayList<>();

        FixedContext(ValueReference as, int session) {
            this.as = as;
            this.session = session;
        }

        @Override
        public ValueReference authenticatedAs() {
            return as;
        }

        @Override
        public void authenticated(ValueReference identity) {
            proven.add(identity);
        }

        @Override
        public int sessionId() {
            return session;
        }
    }
}
