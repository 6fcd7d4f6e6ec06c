package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.ValueCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RecordStore.RecordWrite;
import io.idnode.testing.Vectors;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SM2 identity logs in as China's industrial SDK does (cn-extensions.md §3) on a real node over TCP
 * loopback: GET_SITE_INFO, LOGIN (2001), the SM3 answer with the identity handle as SM2 user ID, then a create
 * on the same persistent connection without challenge or MAC; the record resolves on that connection and on
 * a new one. The login binds that connection only, and a wrong SM2 key is refused with nothing written. The
 * SDK's own messages are the cn vectors' bytes, sent as they are.
 */
@Timeout(60)
class Sm2LoginTest {
    private static final String IDENTITY = "88.100.1/sm2user";
    private static final ChallengeAnswers ANSWERS = new ChallengeAnswers(CryptoFixtures.PROVIDERS);
    private static final JsonNode KEYS = Vectors.file(Vectors.CN).path("keys");

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1"))
            .admins(List.of(new ValueReference(IDENTITY, 300))));

    @TempDir
    static Path keys;

    private static PrivateKey user;
    private static PrivateKey stranger;

    @BeforeAll
    static void identity() throws Exception {
        // The identity's record as the SDK registers it: its SM2 key at 300, untyped PEM (§2.2 form A).
        HandleValue key = ValueCodec.decode(Vectors.hex(Vectors.vector(Vectors.CN,
                "handle_value_hs_pubkey_untyped_300").get("value_hex").asText()));
        NODE.node().store().write(List.of(RecordWrite.put(HandleRecord.of(IDENTITY, List.of(key)))));
        user = keyFile("sm2_user");
        stranger = keyFile("sm2_signer");
    }

    @Test
    void anSm2LoginAuthenticatesItsConnectionForACreateThatResolvesEverywhere() throws Exception {
        try (Socket tcp = RawClient.connect(RawClient.loopback(1), NODE.port())) {
            Message site = send(tcp, "sdk_get_site_info_request");
            assertThat(site.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(login(tcp, user).responseCode()).isEqualTo(ResponseCode.SUCCESS);

            Message created = send(tcp, "sdk_create_request_in_login_session");
            assertThat(created.responseCode()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(created.opCode()).isEqualTo(OpCode.CREATE_HANDLE);

            Message same = RawClient.exchange(tcp, resolve("88.100.1/PROD-0002", 10001, 50));
            assertThat(urlOf(same)).isEqualTo("https://example.com/products/PROD-0002");
        }
        Message fresh = RawClient.overTcp(RawClient.loopback(2), NODE.port(), resolve("88.100.1/PROD-0002", 0, 51));
        assertThat(urlOf(fresh)).isEqualTo("https://example.com/products/PROD-0002");

        // The same session id on a new connection proves nothing: the SDK's create is challenged, not done.
        NODE.node().store().write(List.of(RecordWrite.delete("88.100.1/PROD-0002")));
        try (Socket other = RawClient.connect(RawClient.loopback(3), NODE.port())) {
            Message create = send(other, "sdk_create_request_in_login_session");
            assertThat(create.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        }
        assertThat(NODE.node().store().get("88.100.1/PROD-0002")).isNull();
    }

    @Test
    void aWrongSm2KeyIsRefusedAndNothingIsWritten() throws Exception {
        try (Socket tcp = RawClient.connect(RawClient.loopback(4), NODE.port())) {
            send(tcp, "sdk_get_site_info_request");
            Message refused = login(tcp, stranger);
            assertThat(refused.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_FAILED);
            assertThat(refused.opCode()).isEqualTo(OpCode.LOGIN);
            Message create = RawClient.exchange(tcp, vectorWithHandle("88.100.1/PROD-WRONG"));
            assertThat(create.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        }
        assertThat(NODE.node().store().get("88.100.1/PROD-WRONG")).isNull();
    }

    @Test
    void plainSdkResolutionNeedsNoLogin() throws Exception {
        HandleValue url = ValueCodec.decode(Vectors.hex(Vectors.vector(Vectors.CN, "hs_signature_sm2")
                .path("signed_values").get(0).path("value_hex").asText()));
        NODE.node().store().write(List.of(RecordWrite.put(HandleRecord.of("88.100.1/PROD-0001", List.of(url)))));
        try (Socket tcp = RawClient.connect(RawClient.loopback(5), NODE.port())) {
            for (String name : List.of("sdk_resolution_request", "sdk_resolution_request_recursion_auth")) {
                Message reply = send(tcp, name); // several requests in sequence on one connection
                assertThat(urlOf(reply)).as(name).isEqualTo("https://example.com/products/PROD-0001");
            }
        }
    }

    /** The exchange of cn-extensions.md §3.1 steps 2–5: LOGIN, its challenge, the answer signed with {@code key}. */
    private static Message login(Socket tcp, PrivateKey key) throws Exception {
        Message challenge = send(tcp, "sdk_login_request");
        assertThat(challenge.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        assertThat(challenge.opCode()).isEqualTo(OpCode.LOGIN);
        assertThat(challenge.hasFlag(OpFlags.REQUEST_DIGEST)).isTrue();
        assertThat(challenge.sessionId()).isEqualTo(10001);
        byte[] signed = ANSWERS.signPublicKeyAnswer(key, IDENTITY, ((Challenge) challenge.body()).nonce(),
                challenge.requestDigest().digest(), 210);
        MessageHeader h = new MessageHeader(OpCode.CHALLENGE_RESPONSE, ResponseCode.RESERVED,
                OpFlags.RECURSIVE | OpFlags.REQUEST_DIGEST, 0xFFFF, 0, 2_000_000_000L);
        Message answer = Message.of(Envelope.request(ProtocolVersion.of(2, 10), challenge.sessionId(), 0x1234567a),
                h, new ChallengeAnswer("HS_PUBKEY", IDENTITY, 300, signed));
        Message reply = RawClient.exchange(tcp, answer);
        assertThat(reply.requestId()).isEqualTo(0x1234567a);
        assertThat(reply.opCode()).isEqualTo(OpCode.LOGIN);
        return reply;
    }

    private static Message send(Socket tcp, String vector) throws Exception {
        tcp.getOutputStream().write(Vectors.hex(Vectors.vector(Vectors.CN, vector).get("tcp_hex").asText()));
        tcp.getOutputStream().flush();
        return RawClient.readReply(tcp.getInputStream());
    }

    /** The SDK's create in the login session, for another handle. */
    private static Message vectorWithHandle(String handle) throws Exception {
        Message create = io.idnode.codec.MessageCodec.DEFAULT.decode(Vectors.hex(Vectors.vector(Vectors.CN,
                "sdk_create_request_in_login_session").get("tcp_hex").asText()));
        io.idnode.protocol.MessageBody.ValuesRequest body = (io.idnode.protocol.MessageBody.ValuesRequest) create.body();
        return Message.of(create.envelope(), create.header(),
                new io.idnode.protocol.MessageBody.ValuesRequest(handle, body.values()));
    }

    private static Message resolve(String handle, int sessionId, int requestId) {
        MessageHeader h = new MessageHeader(OpCode.RESOLUTION, ResponseCode.RESERVED,
                OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY | OpFlags.PUBLIC_ONLY, 0xFFFF, 0, 2_000_000_000L);
        return Message.of(Envelope.request(sessionId, requestId), h,
                new ResolutionRequest(handle, new int[0], List.of(), null));
    }

    private static String urlOf(Message reply) {
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        List<HandleValue> values = ((ResolutionResponse) reply.body()).values();
        return values.stream().filter(v -> v.hasType("URL")).findFirst().orElseThrow().dataAsString();
    }

    private static PrivateKey keyFile(String name) throws IOException {
        Path file = keys.resolve(name + ".pem");
        Files.writeString(file, KEYS.path(name).path("pkcs8_pem").asText());
        return new KeyFiles(CryptoFixtures.PROVIDERS).readPrivateKey(file, null);
    }
}
