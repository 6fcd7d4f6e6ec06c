package io.idnode.handler.session;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.rsaPrivate;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.ValueCodec;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.crypto.session.CipherAlgorithm;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeyWrap;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.SessionSeal;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.store.RecordStore.RecordWrite;
import io.idnode.testing.Vectors;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SESSION_SETUP in mode 3 through the node's whole chain (cn-extensions.md §4): the SDK's setup request of the
 * vectors gets the vectors' reply (with the vectors' session key and k drawn), the connection then decrypts the
 * SDK's encrypted GET_SITE_INFO exactly, the setup reply alone goes out in the clear; RSA identities get AES;
 * and what is refused, with which code.
 */
class ConnectionKeyLinkTest {
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;
    private static final String IDENTITY = "88.100.1/sm2user";
    private static final JsonNode REPLY = Vectors.vector(Vectors.CN, "session_setup_response_mode3_sm2");
    private static final JsonNode ENCRYPTED = Vectors.vector(Vectors.CN, "sm4_encrypted_get_site_info_request");
    private static final SessionKeyWrap WRAP = new SessionKeyWrap(PROVIDERS);
    private static final HandleKeyCodec KEYS = new HandleKeyCodec(PROVIDERS);

    private InMemoryRecordStore store;
    private final Draws draws = new Draws();
    private RequestChain chain;

    /** A random source handing out the given byte strings in order, then zeros: the vectors' key and k. */
    private static final class Draws extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final transient Deque<byte[]> next = new ArrayDeque<>();

        @Override
        public void nextBytes(byte[] bytes) {
            byte[] b = next.poll();
            Arrays.fill(bytes, (byte) 0x5a);
            if (b != null) {
                System.arraycopy(b, 0, bytes, 0, Math.min(b.length, bytes.length));
            }
        }
    }

    @BeforeEach
    void node() throws Exception {
        store = new InMemoryRecordStore();
        HandleValue key = ValueCodec.decode(hex(Vectors.vector(Vectors.CN, "handle_value_hs_pubkey_untyped_300")
                .get("value_hex").asText()));
        store.write(List.of(RecordWrite.put(HandleRecord.of(IDENTITY, List.of(key)))));
        Clock clock = Clock.fixed(Instant.ofEpochSecond(2_000_000_000L - 43_200), ZoneOffset.UTC);
        chain = NodeFixtures.chain(store, rsaPrivate(), rsaPublic()).clock(clock).random(draws).build();
    }

    @Test
    void theSdksSetupGetsTheVectorsReplyAndEncryptsTheConnection() throws Exception {
        draws.next.add(hex(REPLY.path("inputs").path("session_key_hex").asText()));
        draws.next.add(hex(REPLY.path("inputs").path("k").asText()));
        TestConnection tcp = new TestConnection();
        List<Boolean> sentInTheClear = new ArrayList<>();
        Message reply = single(vector("sdk_session_setup_request_mode3"), tcp, sentInTheClear);

        assertThat(sentInTheClear).containsExactly(true);
        byte[] expected = hex(REPLY.path("tcp_hex").asText());
        Message vectorReply = CODEC.decode(expected);
        assertThat(reply.envelope().version()).isEqualTo(vectorReply.envelope().version());
        assertThat(reply.sessionId()).isEqualTo(10001);
        assertThat(reply.requestId()).isEqualTo(vectorReply.requestId());
        assertThat(reply.header().opFlags()).isEqualTo(vectorReply.header().opFlags());
        assertThat(reply.opCode()).isEqualTo(OpCode.SESSION_SETUP);
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(reply.credential()).isNull(); // no CT: unsigned
        SessionSetupResponse body = (SessionSetupResponse) reply.body();
        assertThat(body.keyExchangeMode()).isEqualTo(3);
        assertThat(body.data()).isEqualTo(hex(REPLY.path("wrapped_c1c3c2_hex").asText()));
        // Our encoding is the vector's plus the two surplus body bytes the stock library writes as well.
        byte[] encoded = CODEC.encode(reply);
        assertThat(encoded).hasSize(expected.length + 2);
        assertThat(CODEC.decode(encoded).body()).usingRecursiveComparison().isEqualTo(vectorReply.body());

        ConnectionCipher in = tcp.encryption().incoming();
        assertThat(in).isNotNull();
        assertThat(in.algorithm()).isEqualTo(CipherAlgorithm.SM4);
        assertThat(tcp.encryption().outgoing()).isSameAs(in);

        // The SDK's first encrypted message decrypts to its plaintext, header and body exactly.
        byte[] tcpBytes = hex(ENCRYPTED.path("tcp_hex").asText());
        Envelope envelope = CODEC.decodeEnvelope(tcpBytes, 0);
        Message site = in.decrypt(envelope, tcpBytes, 20, tcpBytes.length - 20);
        byte[] plain = hex(ENCRYPTED.path("plaintext_message_hex").asText());
        assertThat(site.opCode()).isEqualTo(OpCode.GET_SITE_INFO);
        assertThat(site.envelope().hasFlag(Envelope.ENCRYPTED)).isFalse();
        assertThat(site.requestId()).isEqualTo(envelope.requestId());
        assertThat(site.headerAndBody().toByteArray()).isEqualTo(Arrays.copyOf(plain, plain.length - 4));
        // And the same cipher on the client's side writes those bytes.
        byte[] clearFrame = new byte[20 + plain.length];
        System.arraycopy(tcpBytes, 0, clearFrame, 0, 20);
        clearFrame[2] = 0x02;
        clearFrame[19] = (byte) plain.length;
        System.arraycopy(plain, 0, clearFrame, 20, plain.length);
        assertThat(in.encrypt(clearFrame)).isEqualTo(tcpBytes);
    }

    @Test
    void anRsaIdentityGetsAnAesKeyWrappedWithPkcs1() throws Exception {
        KeyPair rsa = new KeyFiles(PROVIDERS).generateRsa(new SecureRandom());
        store.write(List.of(RecordWrite.put(HandleRecord.of("88.100.1/rsauser", List.of(
                HandleValue.builder(300, "HS_PUBKEY").data(KEYS.encodePublicKey(rsa.getPublic())).build())))));
        TestConnection tcp = new TestConnection();
        Message reply = single(setup("88.100.1/rsauser", 300, 0), tcp, new ArrayList<>());
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(reply.sessionId()).isZero();
        SessionKeyWrap.SessionKey key = WRAP.unwrap(rsa.getPrivate(), ((SessionSetupResponse) reply.body()).data());
        assertThat(key.algorithm()).isEqualTo(CipherAlgorithm.AES);
        assertThat(key.key()).hasSize(16);
        assertThat(tcp.encryption().incoming().algorithm()).isEqualTo(CipherAlgorithm.AES);

        // A request the client encrypts with that key decrypts on the node's side; a guessed key does not.
        ConnectionCipher client = new ConnectionCipher(new SessionCipher(PROVIDERS), key.algorithm(), key.key(),
                new SecureRandom());
        byte[] frame = client.encrypt(CODEC.encode(vector("sdk_get_site_info_request")));
        Envelope env = CODEC.decodeEnvelope(frame, 0);
        assertThat(tcp.encryption().incoming().decrypt(env, frame, 20, frame.length - 20).opCode())
                .isEqualTo(OpCode.GET_SITE_INFO);
        ConnectionCipher guess = new ConnectionCipher(new SessionCipher(PROVIDERS), CipherAlgorithm.AES,
                new byte[16], new SecureRandom());
        byte[] forged = guess.encrypt(CODEC.encode(vector("sdk_get_site_info_request")));
        CodecException refused = org.junit.jupiter.api.Assertions.assertThrows(CodecException.class,
                () -> tcp.encryption().incoming().decrypt(env, forged, 20, forged.length - 20));
        assertThat(refused.responseCode()).isEqualTo(ResponseCode.INVALID_SESSION_KEY);
    }

    @Test
    void refusalsSayWhatIsWrongAndLeaveTheConnectionInTheClear() throws Exception {
        TestConnection tcp = new TestConnection();
        assertRefused(single(setup(IDENTITY, 300, 0), RequestContext.NONE, new ArrayList<>()),
                ResponseCode.INVALID_SESSIONSETUP_REQUEST, "persistent TCP connection");
        assertRefused(single(setup("88.100.1/nobody", 300, 0), tcp, new ArrayList<>()),
                ResponseCode.INVALID_SESSIONSETUP_REQUEST, "300:88.100.1/nobody is not kept on this node");
        assertRefused(single(setup("99.1/elsewhere", 300, 0), tcp, new ArrayList<>()),
                ResponseCode.INVALID_SESSIONSETUP_REQUEST, "not kept on this node");
        assertRefused(single(setup(IDENTITY, 301, 0), tcp, new ArrayList<>()),
                ResponseCode.INVALID_SESSIONSETUP_REQUEST, "no HS_PUBKEY at 301:" + IDENTITY);
        assertRefused(single(setup("", 300, 0), tcp, new ArrayList<>()),
                ResponseCode.INVALID_SESSIONSETUP_REQUEST, "no exchange key named");
        KeyPair dsa = new KeyFiles(PROVIDERS).generate(SignatureAlgorithm.DSA, new SecureRandom());
        store.write(List.of(RecordWrite.put(HandleRecord.of("88.100.1/dsauser", List.of(
                HandleValue.builder(300, "HS_PUBKEY").data(KEYS.encodePublicKey(dsa.getPublic())).build())))));
        assertRefused(single(setup("88.100.1/dsauser", 300, 0), tcp, new ArrayList<>()),
                ResponseCode.NEED_RSAKEY_FOR_SESSIONEXCHANGE, "cannot carry a session key");
        assertThat(tcp.encryption().active()).isFalse();

        // A second setup on an encrypted connection is refused (encrypted, like every reply now) and keeps the key.
        assertThat(single(setup(IDENTITY, 300, 10001), tcp, new ArrayList<>()).responseCode())
                .isEqualTo(ResponseCode.SUCCESS);
        ConnectionCipher first = tcp.encryption().incoming();
        List<Boolean> clear = new ArrayList<>();
        assertRefused(single(setup(IDENTITY, 300, 10001), tcp, clear), ResponseCode.INVALID_SESSIONSETUP_REQUEST,
                "already has a session key");
        assertThat(clear).containsExactly(false);
        assertThat(tcp.encryption().incoming()).isSameAs(first);
    }

    @Test
    void theSm2KeyOfTheSetupOnlyOpensForItsHolder() throws Exception {
        Message reply = single(vector("sdk_session_setup_request_mode3"), new TestConnection(), new ArrayList<>());
        byte[] wrapped = ((SessionSetupResponse) reply.body()).data();
        assertThat(WRAP.unwrap(sm2Private("sm2_user"), wrapped).algorithm()).isEqualTo(CipherAlgorithm.SM4);
        org.junit.jupiter.api.Assertions.assertThrows(io.idnode.crypto.MalformedCryptoInputException.class,
                () -> WRAP.unwrap(sm2Private("sm2_signer"), wrapped));
    }

    private static void assertRefused(Message reply, ResponseCode rc, String message) {
        assertThat(reply.responseCode()).isEqualTo(rc);
        assertThat(reply.opCode()).isEqualTo(OpCode.SESSION_SETUP);
        assertThat(((ErrorResponse) reply.body()).message()).contains(message);
    }

    private static Message setup(String handle, int index, int sessionId) throws Exception {
        Message sdk = vector("sdk_session_setup_request_mode3");
        return Message.of(Envelope.request(sessionId, 77), sdk.header(), new SessionSetupRequest(
                SessionSetupRequest.MODE_KEY_IN_HANDLE, 86_400, "", -1, null, handle, index));
    }

    private static Message vector(String name) throws Exception {
        return CODEC.decode(hex(Vectors.vector(Vectors.CN, name).get("tcp_hex").asText()));
    }

    private static PrivateKey sm2Private(String name) throws Exception {
        return PROVIDERS.bouncyCastle().keyFactory("EC").generatePrivate(new PKCS8EncodedKeySpec(
                hex(Vectors.file(Vectors.CN).path("keys").path(name).path("pkcs8_der_hex").asText())));
    }

    /**
     * The one reply to {@code request} on {@code context}; for a connection, whether it went out in the clear
     * (as the transport would see it when writing) is added to {@code clear}.
     */
    private Message single(Message request, RequestContext context, List<Boolean> clear) throws Exception {
        List<Message> replies = new ArrayList<>();
        chain.handle(request, context, new ReplySink() {
            @Override
            public void reply(Message reply, SessionSeal seal) {
                if (context instanceof LoginConnection c) {
                    clear.add(c.encryption().outgoing() == null);
                }
                replies.add(reply);
            }

            @Override
            public void fault(Message failed, Throwable cause) {
                throw new AssertionError(cause);
            }
        });
        assertThat(replies).hasSize(1);
        return replies.get(0);
    }
}
