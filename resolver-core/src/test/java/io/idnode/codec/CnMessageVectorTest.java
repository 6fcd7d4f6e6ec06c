package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.EmptyBody;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.LoginRequest;
import io.idnode.protocol.MessageBody.OpaqueBody;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.RequestDigest;
import io.idnode.testing.Vectors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The plain messages of cn-vectors.json (the Chinese SDK's additions) decode; symmetric layouts re-encode. */
class CnMessageVectorTest {
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;
    /** The login request is the only message the SDK sends without the credential length word. */
    private static final String LOGIN = "sdk_login_request";
    /**
     * Built from cn-extensions.md, not by a library: its session-setup reply lacks the two surplus body bytes
     * the CNRI library writes (handle-vectors.json session_setup_response_dh), which we write as well.
     */
    private static final String SETUP_REPLY = "session_setup_response_mode3_sm2";

    static Stream<String> plainMessages() {
        List<String> names = Vectors.all(Vectors.CN).stream()
                .filter(v -> v.has("tcp_hex") && v.has("header_fields"))
                .map(v -> v.get("name").asText()).toList();
        assertThat(names).contains(LOGIN, "sdk_resolution_request", "challenge_to_sdk_login",
                "login_success_response", "sdk_get_site_info_request");
        return names.stream();
    }

    private static Message decode(String name) throws CodecException {
        return CODEC.decode(hex(Vectors.vector(Vectors.CN, name).get("tcp_hex").asText()));
    }

    @ParameterizedTest
    @MethodSource("plainMessages")
    void decodesWithTheDescribedHeader(String name) throws CodecException {
        JsonNode v = Vectors.vector(Vectors.CN, name);
        byte[] tcp = hex(v.get("tcp_hex").asText());
        Message m = CODEC.decode(tcp);
        MessageVectorTest.assertEnvelopeMatchesRawBytes(m.envelope(), hex(v.get("envelope_hex").asText()));
        MessageVectorTest.assertHeaderFields(m, v.get("header_fields"));
        assertThat(m.headerAndBody().toByteArray()).isEqualTo(hex(v.get("header_hex").asText() + v.get("body_hex").asText()));

        byte[] reencoded = CODEC.encode(m);
        if (name.equals(SETUP_REPLY)) {
            Message again = CODEC.decode(reencoded);
            assertThat(again.headerAndBody().length()).isEqualTo(m.headerAndBody().length() + 2);
            assertThat(again.body()).usingRecursiveComparison().isEqualTo(m.body());
        } else if (v.get("header_fields").get("credentialLengthWritten").asBoolean()) {
            assertThat(reencoded).isEqualTo(tcp);
        } else {
            // We always write the credential length word: the same message plus four zero bytes.
            assertThat(reencoded).hasSize(tcp.length + 4);
            assertThat(CODEC.decode(reencoded).headerAndBody()).isEqualTo(m.headerAndBody());
            assertThat(ByteBuffer.wrap(reencoded).getInt(reencoded.length - 4)).isZero();
        }
    }

    @Test
    void resolutionRequestKeepsTheAuthString() throws CodecException {
        ResolutionRequest empty = (ResolutionRequest) decode("sdk_resolution_request").body();
        assertThat(empty.handle()).isEqualTo("88.100.1/PROD-0001");
        assertThat(empty.authString()).isEqualTo(Bytes.EMPTY);

        Message withToken = decode("sdk_resolution_request_recursion_auth");
        assertThat(withToken.hasFlag(OpFlags.RECURSION_AUTH)).isTrue();
        assertThat(new String(((ResolutionRequest) withToken.body()).authString().toByteArray(), StandardCharsets.UTF_8))
                .isEqualTo("eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
    }

    @Test
    void loginExchange() throws CodecException {
        Message login = decode(LOGIN);
        assertThat(login.body()).isEqualTo(new LoginRequest("88.100.1/sm2user", 300));
        assertThat(login.credential()).isNull();
        assertThat(login.sessionId()).isEqualTo(10001);

        Message challenge = decode("challenge_to_sdk_login");
        assertThat(challenge.requestDigest().hashType()).isEqualTo(RequestDigest.SHA256);
        assertThat(challenge.requestDigest().digest())
                .isEqualTo(hex(Vectors.vector(Vectors.CN, "challenge_to_sdk_login").get("request_digest_hex").asText()))
                .isEqualTo(MessageVectorTest.sha256(login.headerAndBody().toByteArray()));
        assertThat(((Challenge) challenge.body()).nonce()).isEqualTo(hex("00112233445566778899aabbccddeeff"));

        JsonNode answerVector = Vectors.vector(Vectors.CN, "sdk_challenge_answer_sm2_sm3");
        ChallengeAnswer answer = (ChallengeAnswer) decode("sdk_challenge_answer_sm2_sm3").body();
        assertThat(answer.authType()).isEqualTo("HS_PUBKEY");
        assertThat(answer.identityHandle()).isEqualTo("88.100.1/sm2user");
        assertThat(answer.identityIndex()).isEqualTo(300);
        assertThat(answer.signedResponse()).isEqualTo(hex(answerVector.get("signed_response_hex").asText()));

        Message success = decode("login_success_response");
        assertThat(success.body()).isEqualTo(EmptyBody.INSTANCE);
        assertThat(success.requestDigest().digest()).isEqualTo(challenge.requestDigest().digest());

        ValuesRequest create = (ValuesRequest) decode("sdk_create_request_in_login_session").body();
        assertThat(create.handle()).isEqualTo("88.100.1/PROD-0002");
        assertThat(create.values()).singleElement().satisfies(v -> {
            assertThat(v.type()).isEqualTo("URL");
            assertThat(v.dataAsString()).isEqualTo("https://example.com/products/PROD-0002");
        });
        assertThat(((HandleRequest) decode("sdk_get_site_info_request").body()).handle()).isEqualTo("/");
    }

    @Test
    void sessionSetupModeThree() throws CodecException {
        SessionSetupRequest req = (SessionSetupRequest) decode("sdk_session_setup_request_mode3").body();
        assertThat(req.keyExchangeMode()).isEqualTo(SessionSetupRequest.MODE_KEY_IN_HANDLE);
        assertThat(req.identityHandle()).isEmpty();
        assertThat(req.identityIndex()).isEqualTo(-1);
        assertThat(req.keyHandle()).isEqualTo("88.100.1/sm2user");
        assertThat(req.keyIndex()).isEqualTo(300);
        assertThat(req.exchangeKey()).isNull();

        SessionSetupResponse resp = (SessionSetupResponse) decode("session_setup_response_mode3_sm2").body();
        assertThat(resp.keyExchangeMode()).isEqualTo(3);
        assertThat(resp.data()).isEqualTo(
                hex(Vectors.vector(Vectors.CN, "session_setup_response_mode3_sm2").get("wrapped_c1c3c2_hex").asText()));
    }

    @Test
    void encryptedMessageStaysOpaqueAndDecodesAfterDecryption() throws CodecException {
        JsonNode v = Vectors.vector(Vectors.CN, "sm4_encrypted_get_site_info_request");
        byte[] tcp = hex(v.get("tcp_hex").asText());
        Message m = CODEC.decode(tcp);
        assertThat(m.envelope().hasFlag(Envelope.ENCRYPTED)).isTrue();
        assertThat(m.header()).isNull();
        assertThat(((OpaqueBody) m.body()).bytes().toByteArray()).isEqualTo(hex(v.get("ciphertext_hex").asText()));
        assertThat(CODEC.encode(m)).isEqualTo(tcp);

        // What the server does after decrypting: the same envelope without EC, the plaintext message.
        Envelope e = m.envelope();
        Envelope clear = new Envelope(e.majorVersion(), e.minorVersion(), 0, e.suggestedMajor(), e.suggestedMinor(),
                e.sessionId(), e.requestId(), e.messageId(), e.messageLength());
        byte[] plain = hex(v.get("plaintext_message_hex").asText());
        Message decrypted = CODEC.decodeMessage(clear, plain, 0, plain.length);
        assertThat(decrypted.body()).isEqualTo(new HandleRequest("/"));
        assertThat(decrypted.hasFlag(OpFlags.ENCRYPT)).isTrue();
    }
}
