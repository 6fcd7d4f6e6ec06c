package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.ValueCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.crypto.session.CipherAlgorithm;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeyWrap;
import io.idnode.handler.session.ConnectionCipher;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.LoginRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RecordStore.RecordWrite;
import io.idnode.testing.Vectors;
import java.net.DatagramSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * China's SDK's encrypted transport (cn-extensions.md §4) against a real node over TCP loopback, with real keys:
 * SESSION_SETUP in mode 3 for an SM2 identity gives an SM4 key wrapped with SM2 (C1‖C3‖C2), for an RSA identity
 * an AES key wrapped with RSA PKCS#1; then GET_SITE_INFO, LOGIN (2001) with its challenge over the decrypted
 * bytes, a create and resolutions run encrypted both ways on that one connection. A client without the
 * identity's private key cannot open the key and its requests are refused; bad frames get 502 and the
 * connection goes on; plaintext clients on other connections, and the stock client, are not affected.
 */
@Timeout(90)
class EncryptedSdkTransportTest {
    private static final String SM2_USER = "88.100.1/sm2user";
    private static final String RSA_USER = "88.100.1/rsauser";
    private static final ChallengeAnswers ANSWERS = new ChallengeAnswers(CryptoFixtures.PROVIDERS);
    private static final SessionCipher CIPHER = new SessionCipher(CryptoFixtures.PROVIDERS);
    private static final SecureRandom RANDOM = new SecureRandom();

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1"))
            .admins(List.of(new ValueReference(SM2_USER, 300), new ValueReference(RSA_USER, 300))));

    @TempDir
    static Path temp;

    private static PrivateKey sm2User;
    private static PrivateKey stranger;
    private static KeyPair rsaUser;

    @BeforeAll
    static void identities() throws Exception {
        // The SM2 identity as the SDK registers it (untyped PEM at 300); the RSA one as RSA_PUB_KEY at 300.
        HandleValue sm2Key = ValueCodec.decode(Vectors.hex(Vectors.vector(Vectors.CN,
                "handle_value_hs_pubkey_untyped_300").get("value_hex").asText()));
        rsaUser = new KeyFiles(CryptoFixtures.PROVIDERS).generateRsa(RANDOM);
        HandleValue rsaKey = HandleValue.builder(300, "HS_PUBKEY")
                .data(new HandleKeyCodec(CryptoFixtures.PROVIDERS).encodePublicKey(rsaUser.getPublic())).build();
        NODE.node().store().write(List.of(RecordWrite.put(HandleRecord.of(SM2_USER, List.of(sm2Key))),
                RecordWrite.put(HandleRecord.of(RSA_USER, List.of(rsaKey)))));
        sm2User = sm2Private("sm2_user");
        stranger = sm2Private("sm2_signer");
    }

    @Test
    void anSm2IdentityLogsInCreatesAndResolvesOverSm4() throws Exception {
        try (EncryptedSdkConnection sdk = new EncryptedSdkConnection(RawClient.loopback(21), NODE.port())) {
            Message setup = sdk.setup(frame("sdk_session_setup_request_mode3"));
            assertThat(setup.sessionId()).isEqualTo(10001);
            assertThat(setup.credential()).isNull();
            SessionKeyWrap.SessionKey key = sdk.open(setup, sm2User);
            assertThat(key.algorithm()).isEqualTo(CipherAlgorithm.SM4);
            assertThat(key.key()).hasSize(16);

            // §3.1 step 1: the SDK's GET_SITE_INFO as in the vector, encrypted with the session's key.
            JsonNode siteVector = Vectors.vector(Vectors.CN, "sm4_encrypted_get_site_info_request");
            byte[] sitePlain = Vectors.hex(siteVector.path("plaintext_message_hex").asText());
            byte[] siteFrame = Arrays.copyOf(Vectors.hex(siteVector.path("envelope_hex").asText()), 20 + sitePlain.length);
            siteFrame[2] = 0x02;
            ByteBuffer.wrap(siteFrame).putInt(16, sitePlain.length);
            System.arraycopy(sitePlain, 0, siteFrame, 20, sitePlain.length);
            Message site = sdk.exchange(siteFrame);
            assertThat(sdk.lastEncrypted).isTrue();
            assertThat(site.opCode()).isEqualTo(OpCode.GET_SITE_INFO);
            assertThat(site.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(site.sessionId()).isEqualTo(10001);

            // LOGIN: the challenge's digest is over the decrypted header and body, as the SDK sent them.
            byte[] login = frame("sdk_login_request");
            Message challenge = sdk.exchange(login);
            assertThat(sdk.lastEncrypted).isTrue();
            assertThat(challenge.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
            assertThat(challenge.opCode()).isEqualTo(OpCode.LOGIN);
            byte[] sentHeaderAndBody = Arrays.copyOfRange(login, 20, login.length);
            ByteBuffer.wrap(sentHeaderAndBody).putInt(8, 0x10800000 | EncryptedSdkConnection.ENC);
            assertThat(challenge.requestDigest().digest())
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(sentHeaderAndBody));
            Message loggedIn = sdk.exchange(answer(challenge, SM2_USER, sm2User));
            assertThat(sdk.lastEncrypted).isTrue();
            assertThat(loggedIn.opCode()).isEqualTo(OpCode.LOGIN);
            assertThat(loggedIn.responseCode()).isEqualTo(ResponseCode.SUCCESS);

            Message created = sdk.exchange(frame("sdk_create_request_in_login_session"));
            assertThat(sdk.lastEncrypted).isTrue();
            assertThat(created.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(urlOf(sdk.exchange(resolve("88.100.1/PROD-0002", 10001, 60))))
                    .isEqualTo("https://example.com/products/PROD-0002");
            assertThat(sdk.lastEncrypted).isTrue();

            // A plaintext client on another connection meanwhile, over TCP and UDP.
            Message plain = RawClient.overTcp(RawClient.loopback(22), NODE.port(), resolve("88.100.1/PROD-0002", 0, 61));
            assertThat(urlOf(plain)).isEqualTo("https://example.com/products/PROD-0002");
            try (DatagramSocket udp = new DatagramSocket(0, RawClient.loopback(22))) {
                assertThat(urlOf(RawClient.overUdp(udp, NODE.port(), resolve("88.100.1/PROD-0002", 0, 62))))
                        .isEqualTo("https://example.com/products/PROD-0002");
            }

            // A frame in the clear, and one under another key, on the encrypted connection: 502, nothing else.
            sdk.write(io.idnode.codec.MessageCodec.DEFAULT.encode(resolve("88.100.1/PROD-0002", 10001, 63)));
            Message clear = sdk.readReply();
            assertThat(sdk.lastEncrypted).isFalse();
            assertThat(clear.responseCode()).isEqualTo(ResponseCode.INVALID_SESSION_KEY);
            assertThat(clear.requestId()).isEqualTo(63);
            assertThat(((ErrorResponse) clear.body()).message()).contains("must be encrypted");
            ConnectionCipher own = new ConnectionCipher(CIPHER, key.algorithm(), key.key(), RANDOM);
            sdk.keyed(new ConnectionCipher(CIPHER, CipherAlgorithm.SM4, new byte[16], RANDOM));
            Message forged = sdk.exchange(create("88.100.1/PROD-FORGED", 10001, 64));
            assertThat(sdk.lastEncrypted).isFalse();
            assertThat(forged.responseCode()).isEqualTo(ResponseCode.INVALID_SESSION_KEY);
            assertThat(((ErrorResponse) forged.body()).message()).contains("does not decrypt");
            sdk.keyed(own);
            assertThat(urlOf(sdk.exchange(resolve("88.100.1/PROD-0002", 10001, 65))))
                    .isEqualTo("https://example.com/products/PROD-0002");
        }
        assertThat(NODE.node().store().get("88.100.1/PROD-FORGED")).isNull();

        // The login and the key were the connection's: a new connection is neither encrypted nor logged in.
        try (Socket other = RawClient.connect(RawClient.loopback(23), NODE.port())) {
            Message create = RawClient.exchange(other, create("88.100.1/PROD-OTHER", 10001, 66));
            assertThat(create.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        }
        assertThat(NODE.node().store().get("88.100.1/PROD-OTHER")).isNull();
    }

    @Test
    void anRsaIdentityLogsInCreatesAndResolvesOverAes() throws Exception {
        try (EncryptedSdkConnection sdk = new EncryptedSdkConnection(RawClient.loopback(24), NODE.port())) {
            SessionKeyWrap.SessionKey key = sdk.open(sdk.setup(io.idnode.codec.MessageCodec.DEFAULT.encode(
                    setup(RSA_USER, 10002, 70))), rsaUser.getPrivate());
            assertThat(key.algorithm()).isEqualTo(CipherAlgorithm.AES);

            Message challenge = sdk.exchange(login(RSA_USER, 10002, 71));
            assertThat(challenge.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
            Message loggedIn = sdk.exchange(answer(challenge, RSA_USER, rsaUser.getPrivate()));
            assertThat(loggedIn.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(sdk.lastEncrypted).isTrue();

            Message created = sdk.exchange(create("88.100.1/PUMP-AES-1", 10002, 72));
            assertThat(created.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(sdk.lastEncrypted).isTrue();
            assertThat(urlOf(sdk.exchange(resolve("88.100.1/PUMP-AES-1", 10002, 73))))
                    .isEqualTo("https://example.com/88.100.1/PUMP-AES-1");
        }
        Message fresh = RawClient.overTcp(RawClient.loopback(25), NODE.port(), resolve("88.100.1/PUMP-AES-1", 0, 74));
        assertThat(urlOf(fresh)).isEqualTo("https://example.com/88.100.1/PUMP-AES-1");
    }

    @Test
    void withoutTheIdentitysKeyTheWrapStaysClosedAndRequestsAreRefused() throws Exception {
        try (EncryptedSdkConnection sdk = new EncryptedSdkConnection(RawClient.loopback(26), NODE.port())) {
            Message setup = sdk.setup(frame("sdk_session_setup_request_mode3"));
            assertThat(setup.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            // Anyone may ask for a key wrapped to an identity; only its holder opens it.
            assertThatThrownBy(() -> sdk.open(setup, stranger)).isInstanceOf(MalformedCryptoInputException.class);
            sdk.keyed(new ConnectionCipher(CIPHER, CipherAlgorithm.SM4, new byte[16], RANDOM));
            for (int i = 0; i < 2; i++) { // refused each time, on the same open connection
                Message refused = sdk.exchange(frame("sdk_login_request"));
                assertThat(sdk.lastEncrypted).isFalse();
                assertThat(refused.responseCode()).isEqualTo(ResponseCode.INVALID_SESSION_KEY);
            }
            Message create = sdk.exchange(create("88.100.1/PROD-STRANGER", 10001, 80));
            assertThat(create.responseCode()).isEqualTo(ResponseCode.INVALID_SESSION_KEY);
        }
        assertThat(NODE.node().store().get("88.100.1/PROD-STRANGER")).isNull();
    }

    @Test
    void setupsTheNodeCannotServeAreRefusedInTheClear() throws Exception {
        try (Socket tcp = RawClient.connect(RawClient.loopback(27), NODE.port())) {
            Message unknown = RawClient.exchange(tcp, setup("88.100.1/nobody", 10001, 90));
            assertThat(unknown.responseCode()).isEqualTo(ResponseCode.INVALID_SESSIONSETUP_REQUEST);
            assertThat(((ErrorResponse) unknown.body()).message()).contains("300:88.100.1/nobody");
            // The connection is still in the clear and usable.
            Message site = RawClient.exchange(tcp, resolve("88.100.1/sm2user", 0, 91));
            assertThat(site.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        }
        try (DatagramSocket udp = new DatagramSocket(0, RawClient.loopback(27))) {
            Message overUdp = RawClient.overUdp(udp, NODE.port(), setup(SM2_USER, 0, 92));
            assertThat(overUdp.responseCode()).isEqualTo(ResponseCode.INVALID_SESSIONSETUP_REQUEST);
            assertThat(((ErrorResponse) overUdp.body()).message()).contains("persistent TCP connection");
        }
    }

    @Test
    void theStockClientResolvesWhileAnEncryptedConnectionIsOpen() throws Exception {
        NODE.node().store().write(List.of(RecordWrite.put(HandleRecord.of("88.100.1/STOCK-1", List.of(
                HandleValue.builder(1, "URL").data("https://example.com/stock").build())))));
        try (EncryptedSdkConnection sdk = new EncryptedSdkConnection(RawClient.loopback(28), NODE.port())) {
            sdk.open(sdk.setup(frame("sdk_session_setup_request_mode3")), sm2User);
            for (int protocol : new int[] {Interface.SP_HDL_TCP, Interface.SP_HDL_UDP}) {
                HandleResolver stock = StockClients.resolver(NODE.dataDir(), temp.resolve("stock-" + protocol),
                        protocol);
                net.handle.hdllib.HandleValue[] values = stock.resolveHandle("88.100.1/STOCK-1", null, null);
                assertThat(values).extracting(net.handle.hdllib.HandleValue::getDataAsString)
                        .containsExactly("https://example.com/stock");
            }
            assertThat(urlOf(sdk.exchange(resolve("88.100.1/STOCK-1", 10001, 95))))
                    .isEqualTo("https://example.com/stock");
        }
    }

    private static byte[] frame(String vector) {
        return Vectors.hex(Vectors.vector(Vectors.CN, vector).get("tcp_hex").asText());
    }

    private static MessageHeader header(OpCode op, int flags) {
        return new MessageHeader(op, ResponseCode.RESERVED, flags, 0xFFFF, 0, 2_000_000_000L);
    }

    private static Message setup(String identity, int sessionId, int requestId) {
        return Message.of(Envelope.request(ProtocolVersion.of(2, 10), sessionId, requestId),
                header(OpCode.SESSION_SETUP, 0x19000000), new SessionSetupRequest(
                        SessionSetupRequest.MODE_KEY_IN_HANDLE, 86_400, "", -1, null, identity, 300));
    }

    private static Message login(String identity, int sessionId, int requestId) {
        return Message.of(Envelope.request(ProtocolVersion.of(2, 10), sessionId, requestId),
                header(OpCode.LOGIN, OpFlags.RECURSIVE | OpFlags.REQUEST_DIGEST), new LoginRequest(identity, 300));
    }

    /** §3.1 step 4: the answer to a login challenge, signed with {@code key} as the SDK signs it. */
    private static Message answer(Message challenge, String identity, PrivateKey key) throws Exception {
        byte[] signed = ANSWERS.signPublicKeyAnswer(key, identity, ((Challenge) challenge.body()).nonce(),
                challenge.requestDigest().digest(), 210);
        return Message.of(Envelope.request(ProtocolVersion.of(2, 10), challenge.sessionId(), challenge.requestId() + 1000),
                header(OpCode.CHALLENGE_RESPONSE, OpFlags.RECURSIVE | OpFlags.REQUEST_DIGEST),
                new ChallengeAnswer("HS_PUBKEY", identity, 300, signed));
    }

    private static Message create(String handle, int sessionId, int requestId) {
        HandleValue url = HandleValue.builder(1, "URL").data("https://example.com/" + handle).build();
        return Message.of(Envelope.request(ProtocolVersion.of(2, 10), sessionId, requestId),
                header(OpCode.CREATE_HANDLE, 0x19000000), new ValuesRequest(handle, List.of(url)));
    }

    private static Message resolve(String handle, int sessionId, int requestId) {
        return Message.of(Envelope.request(ProtocolVersion.of(2, 10), sessionId, requestId),
                header(OpCode.RESOLUTION, 0x19000000), new ResolutionRequest(handle, new int[0], List.of(), null));
    }

    private static String urlOf(Message reply) {
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        List<HandleValue> values = ((ResolutionResponse) reply.body()).values();
        return values.stream().filter(v -> v.hasType("URL")).findFirst().orElseThrow().dataAsString();
    }

    private static PrivateKey sm2Private(String name) throws Exception {
        return CryptoFixtures.PROVIDERS.bouncyCastle().keyFactory("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Vectors.hex(Vectors.file(Vectors.CN).path("keys").path(name).path("pkcs8_der_hex").asText())));
    }
}
