package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.CreateHandleResponse;
import io.idnode.protocol.MessageBody.EmptyBody;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleListResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.ReferralResponse;
import io.idnode.protocol.MessageBody.RemoveValuesRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageBody.SiteInfoResponse;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageBody.VerifyChallengeRequest;
import io.idnode.protocol.MessageBody.VerifyChallengeResponse;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.RequestDigest;
import io.idnode.testing.Vectors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message vector of handle-vectors.json decodes to the described fields and re-encodes byte for byte. */
class MessageVectorTest {
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;

    /** The library's class name for each vector (library_decodes_as) and the body record we decode it to. */
    private static final Map<String, Class<? extends MessageBody>> BODY_TYPES = Map.ofEntries(
            Map.entry("ResolutionRequest", ResolutionRequest.class),
            Map.entry("ResolutionResponse", ResolutionResponse.class),
            Map.entry("ErrorResponse", ErrorResponse.class),
            Map.entry("ServiceReferralResponse", ReferralResponse.class),
            Map.entry("GenericRequest", HandleRequest.class),
            Map.entry("GetSiteInfoResponse", SiteInfoResponse.class),
            Map.entry("CreateHandleRequest", ValuesRequest.class),
            Map.entry("AddValueRequest", ValuesRequest.class),
            Map.entry("ModifyValueRequest", ValuesRequest.class),
            Map.entry("CreateHandleResponse", CreateHandleResponse.class),
            Map.entry("RemoveValueRequest", RemoveValuesRequest.class),
            Map.entry("DeleteHandleRequest", HandleRequest.class),
            Map.entry("GenericResponse", EmptyBody.class),
            Map.entry("ListHandlesRequest", HandleRequest.class),
            Map.entry("ListHandlesResponse", HandleListResponse.class),
            Map.entry("ListNAsRequest", HandleRequest.class),
            Map.entry("ChallengeResponse", Challenge.class),
            Map.entry("ChallengeAnswerRequest", ChallengeAnswer.class),
            Map.entry("VerifyAuthRequest", VerifyChallengeRequest.class),
            Map.entry("VerifyAuthResponse", VerifyChallengeResponse.class),
            Map.entry("SessionSetupRequest", SessionSetupRequest.class),
            Map.entry("SessionSetupResponse", SessionSetupResponse.class));

    static Stream<String> messageVectors() {
        List<String> names = Vectors.all(Vectors.HANDLE).stream().filter(v -> v.has("tcp_hex"))
                .map(v -> v.get("name").asText()).toList();
        assertThat(names).hasSizeGreaterThan(40);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("messageVectors")
    void decodesAndReencodesExactly(String name) throws CodecException {
        JsonNode v = Vectors.vector(Vectors.HANDLE, name);
        byte[] tcp = hex(v.get("tcp_hex").asText());
        Message m = CODEC.decode(tcp);

        assertEnvelopeMatchesRawBytes(m.envelope(), hex(v.get("envelope_hex").asText()));
        assertHeaderFields(m, v.get("header_fields"));
        assertThat(m.headerAndBody().toByteArray()).isEqualTo(hex(v.get("header_hex").asText() + v.get("body_hex").asText()));
        assertThat(m.body()).isInstanceOf(BODY_TYPES.get(v.get("library_decodes_as").asText()));
        assertThat(CODEC.encode(m)).isEqualTo(tcp);
    }

    static void assertEnvelopeMatchesRawBytes(Envelope env, byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw);
        assertThat(env.majorVersion()).isEqualTo(raw[0] & 0xFF);
        assertThat(env.minorVersion()).isEqualTo(raw[1] & 0xFF);
        assertThat(env.flags()).isEqualTo(raw[2] & 0xE0);
        assertThat(env.suggestedMajor()).isEqualTo(raw[2] & 0x03);
        assertThat(env.suggestedMinor()).isEqualTo(raw[3] & 0xFF);
        assertThat(env.sessionId()).isEqualTo(b.getInt(4));
        assertThat(env.requestId()).isEqualTo(b.getInt(8));
        assertThat(env.messageId()).isEqualTo(b.getInt(12));
        assertThat(env.messageLength()).isEqualTo(b.getInt(16));
    }

    static void assertHeaderFields(Message m, JsonNode f) {
        assertThat(m.header().opCode().code()).isEqualTo(f.get("opCode").asInt());
        assertThat(m.header().responseCode().code()).isEqualTo(f.get("responseCode").asInt());
        assertThat(m.header().opFlags()).isEqualTo(Integer.parseUnsignedInt(f.get("opFlags").asText().substring(2), 16));
        assertThat(m.header().siteInfoSerial()).isEqualTo(f.get("siteInfoSerial").asInt());
        if (f.has("recursionCount")) {
            assertThat(m.header().recursionCount()).isEqualTo(f.get("recursionCount").asInt());
        }
        assertThat(m.header().expiration()).isEqualTo(f.get("expiration").asLong());
        assertThat(m.headerAndBody().length() - HeaderLayout.LENGTH).isEqualTo(f.get("bodyLength").asInt());
    }

    private static Message decode(String name) throws CodecException {
        return CODEC.decode(hex(Vectors.vector(Vectors.HANDLE, name).get("tcp_hex").asText()));
    }

    private static String input(String vector, String field) {
        return Vectors.vector(Vectors.HANDLE, vector).get("inputs").get(field).asText();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("messageVectors")
    void handleInputMatchesDecodedBody(String name) throws CodecException {
        JsonNode inputs = Vectors.vector(Vectors.HANDLE, name).get("inputs");
        Message m = decode(name);
        String expected = inputs.has("handle") ? inputs.get("handle").asText()
                : inputs.has("prefix") ? inputs.get("prefix").asText() : null;
        String actual = bodyHandle(m.body());
        if (expected != null && actual != null) {
            assertThat(actual).isEqualTo(expected);
        }
        if (inputs.has("sessionId")) {
            assertThat(m.sessionId()).isEqualTo(inputs.get("sessionId").asInt());
        }
    }

    private static String bodyHandle(MessageBody body) {
        if (body instanceof ResolutionRequest b) {
            return b.handle();
        } else if (body instanceof ResolutionResponse b) {
            return b.handle();
        } else if (body instanceof ValuesRequest b) {
            return b.handle();
        } else if (body instanceof HandleRequest b) {
            return b.handle();
        } else if (body instanceof RemoveValuesRequest b) {
            return b.handle();
        } else if (body instanceof CreateHandleResponse b) {
            return b.handle();
        }
        return null;
    }

    @Test
    void resolutionRequestFiltersAndFlags() throws CodecException {
        ResolutionRequest types = (ResolutionRequest) decode("resolution_request_type_filter").body();
        assertThat(types.types()).containsExactly(input("resolution_request_type_filter", "types").split(","));
        assertThat(types.indexes()).isEmpty();
        assertThat(types.authString()).isNull();

        ResolutionRequest indexes = (ResolutionRequest) decode("resolution_request_index_filter").body();
        assertThat(indexes.indexes()).containsExactly(Arrays.stream(
                input("resolution_request_index_filter", "indexes").split(",")).mapToInt(Integer::parseInt).toArray());
        assertThat(indexes.types()).isEmpty();

        assertThat(decode("resolution_request_certify").hasFlag(OpFlags.CERTIFY)).isTrue();
        Message at = decode("resolution_request_authoritative_all_values");
        assertThat(at.hasFlag(OpFlags.AUTHORITATIVE)).isTrue();
        assertThat(at.hasFlag(OpFlags.PUBLIC_ONLY)).isFalse();

        Message v23 = decode("resolution_request_v2_3_no_site");
        assertThat(v23.envelope().version()).isEqualTo(ProtocolVersion.of(2, 3));
        assertThat(v23.envelope().suggestedVersion()).isEqualTo(ProtocolVersion.CURRENT);

        ResolutionRequest service = (ResolutionRequest) decode("resolution_request_prefix_service_lookup").body();
        assertThat(service.types()).containsExactly("HS_SITE", "HS_SITE.6", "HS_SERV", "HS_NAMESPACE");
    }

    @Test
    void resolutionResponseValuesMatchTheLibraryJson() throws CodecException {
        JsonNode v = Vectors.vector(Vectors.HANDLE, "resolution_response_url_email_admin");
        ResolutionResponse r = (ResolutionResponse) decode("resolution_response_url_email_admin").body();
        JsonNode json = v.get("json").get("values");
        assertThat(r.values()).hasSize(json.size());
        for (int i = 0; i < json.size(); i++) {
            HandleValue value = r.values().get(i);
            assertThat(value.index()).isEqualTo(json.get(i).get("index").asInt());
            assertThat(value.type()).isEqualTo(json.get(i).get("type").asText());
            assertThat(value.ttl()).isEqualTo(json.get(i).get("ttl").asInt());
            JsonNode data = json.get(i).get("data");
            if ("string".equals(data.get("format").asText())) {
                assertThat(value.dataAsString()).isEqualTo(data.get("value").asText());
            }
        }
    }

    @Test
    void signedResponseCoversPrefixAndExactHeaderAndBody() throws CodecException {
        for (String name : List.of("resolution_response_certified_rsa", "verify_auth_response_valid",
                "session_setup_response_dh", "session_request_mac", "session_response_mac")) {
            JsonNode v = Vectors.vector(Vectors.HANDLE, name);
            Message m = decode(name);
            Credential c = m.credential();
            assertThat(c).as(name).isNotNull();
            assertThat(CredentialCodec.encode(c)).as(name).isEqualTo(hex(v.get("credential_hex").asText()));

            Envelope e = m.envelope();
            ByteBuffer prefix = ByteBuffer.allocate(16).put((byte) e.majorVersion()).put((byte) e.minorVersion())
                    .put((byte) e.suggestedMajor()).put((byte) e.suggestedMinor()).putInt(e.sessionId())
                    .putInt(e.requestId()).putInt(c.sessionCounter());
            byte[] signed = ByteBuffer.allocate(16 + m.headerAndBody().length()).put(prefix.array())
                    .put(m.headerAndBody().toByteArray()).array();
            assertThat(signed).as(name).isEqualTo(hex(v.get("signed_bytes_hex").asText()));
        }
    }

    @Test
    void credentialFieldsOfSignatureAndMac() throws CodecException {
        Credential sig = decode("resolution_response_certified_rsa").credential();
        assertThat(sig.type()).isEqualTo(Credential.TYPE_SIGNED);
        assertThat(sig.hashId()).isEqualTo("SHA-256");
        assertThat(sig.signerHandle()).isEmpty();
        assertThat(sig.sessionCounter()).isZero();
        assertThat(sig.signature().length()).isEqualTo(128);

        Credential mac = decode("session_request_mac").credential();
        assertThat(mac.type()).isEqualTo(Credential.TYPE_MAC);
        assertThat(mac.hashId()).isEqualTo("HMAC-SHA256");
        assertThat(mac.sessionCounter())
                .isEqualTo(Vectors.vector(Vectors.HANDLE, "session_request_mac").get("inputs").get("sessionCounter").asInt());
        assertThat(mac.signature().length()).isEqualTo(32);

        assertThat(decode("resolution_response_url_email_admin").credential()).isNull();
    }

    @Test
    void requestDigestsAreOverTheExactRequestHeaderAndBody() throws CodecException {
        Message create = decode("create_handle_request");
        Message challenge = decode("challenge_response_to_create");
        assertThat(challenge.requestDigest().hashType()).isEqualTo(RequestDigest.SHA256);
        assertThat(challenge.requestDigest().digest())
                .isEqualTo(hex(Vectors.vector(Vectors.HANDLE, "challenge_response_to_create").get("request_digest_hex").asText()))
                .isEqualTo(sha256(create.headerAndBody().toByteArray()));
        assertThat(((Challenge) challenge.body()).nonce()).isEqualTo(hex(input("challenge_response_to_create", "nonce")));

        assertThat(decode("verify_auth_response_valid").requestDigest().digest())
                .isEqualTo(sha256(decode("verify_auth_request").headerAndBody().toByteArray()));
        assertThat(decode("session_setup_response_dh").requestDigest().digest())
                .isEqualTo(sha256(decode("session_setup_request_dh").headerAndBody().toByteArray()));
        assertThat(decode("session_challenge").requestDigest().digest())
                .isEqualTo(sha256(decode("session_request_mac").headerAndBody().toByteArray()));
    }

    @Test
    void challengeAnswersCarryIdentityAndSignedResponse() throws CodecException {
        for (String name : List.of("challenge_answer_pubkey_rsa", "challenge_answer_pubkey_dsa",
                "challenge_answer_seckey_pbkdf2")) {
            JsonNode v = Vectors.vector(Vectors.HANDLE, name);
            ChallengeAnswer a = (ChallengeAnswer) decode(name).body();
            assertThat(a.identityHandle()).isEqualTo(v.get("inputs").get("authHandle").asText());
            assertThat(a.identityIndex()).isEqualTo(v.get("inputs").get("authIndex").asInt());
            assertThat(a.authType()).isEqualTo(name.contains("seckey") ? "HS_SECKEY" : "HS_PUBKEY");
            assertThat(a.signedResponse()).isEqualTo(hex(v.get("signed_response_hex").asText()));
        }
    }

    @Test
    void verifyChallengeRequestKeepsTheLengthPrefixedDigest() throws CodecException {
        JsonNode v = Vectors.vector(Vectors.HANDLE, "verify_auth_request");
        VerifyChallengeRequest r = (VerifyChallengeRequest) decode("verify_auth_request").body();
        assertThat(r.identityHandle()).isEqualTo(v.get("inputs").get("authHandle").asText());
        assertThat(r.identityIndex()).isEqualTo(v.get("inputs").get("authIndex").asInt());
        assertThat(r.nonce()).isEqualTo(hex("00112233445566778899aabbccddeeff"));
        assertThat(r.digest().hashType()).isZero();
        assertThat(r.digest().digest()).isEqualTo(sha256(decode("create_handle_request").headerAndBody().toByteArray()));
        assertThat(r.signedResponse())
                .isEqualTo(hex(Vectors.vector(Vectors.HANDLE, "challenge_answer_seckey_pbkdf2").get("signed_response_hex").asText()));

        Message response = decode("verify_auth_response_valid");
        assertThat(((VerifyChallengeResponse) response.body()).valid())
                .isEqualTo(Vectors.vector(Vectors.HANDLE, "verify_auth_response_valid").get("inputs").get("isValid").asBoolean());
    }

    @Test
    void sessionSetupRequestAndResponse() throws CodecException {
        SessionSetupRequest req = (SessionSetupRequest) decode("session_setup_request_dh").body();
        assertThat(req.keyExchangeMode()).isEqualTo(
                Vectors.vector(Vectors.HANDLE, "session_setup_request_dh").get("inputs").get("mode").asInt());
        assertThat(req.timeout()).isEqualTo(86400);
        assertThat(req.identityHandle()).isEqualTo("0.NA/88.100.1");
        assertThat(req.identityIndex()).isEqualTo(300);
        assertThat(new String(req.exchangeKey(), 4, 10, StandardCharsets.US_ASCII)).isEqualTo("DH_PUB_KEY");
        assertThat(req.keyHandle()).isNull();

        Message resp = decode("session_setup_response_dh");
        assertThat(resp.sessionId()).isEqualTo(2);
        SessionSetupResponse body = (SessionSetupResponse) resp.body();
        assertThat(body.keyExchangeMode()).isEqualTo(4);
        assertThat(ByteBuffer.wrap(body.data()).getInt()).isEqualTo(3);
    }

    @Test
    void referralsWithAndWithoutValues() throws CodecException {
        ReferralResponse withValues = (ReferralResponse) decode("service_referral_response").body();
        assertThat(withValues.referralHandle()).isEqualTo("0.NA/88.100");
        assertThat(withValues.values()).singleElement().satisfies(v -> assertThat(v.type()).isEqualTo("HS_SITE"));
        assertThat(withValues.values().get(0).data())
                .isEqualTo(hex(Vectors.vector(Vectors.HANDLE, "hs_site_data_no_key").get("data_hex").asText()));

        ReferralResponse handleOnly = (ReferralResponse) decode("service_referral_response_handle_only").body();
        assertThat(handleOnly.referralHandle()).isEqualTo("0.NA/88.100");
        assertThat(handleOnly.values()).isNull();

        ReferralResponse prefix = (ReferralResponse) decode("prefix_referral_response").body();
        assertThat(prefix.referralHandle()).isEmpty();
        assertThat(prefix.values()).singleElement().satisfies(v -> assertThat(v.type()).isEqualTo("HS_SITE.PREFIX"));
    }

    @Test
    void errorResponsesCarryTheirMessage() throws CodecException {
        assertThat(((ErrorResponse) decode("error_response_handle_not_found").body()).message()).isEmpty();
        assertThat(((ErrorResponse) decode("error_response_handle_not_found_with_message").body()).message())
                .isEqualTo("Handle not found");
        assertThat(((ErrorResponse) decode("error_response_server_not_responsible").body()).message())
                .isEqualTo("Prefix not homed here");
    }

    @Test
    void siteInfoListsAndCreateResponses() throws CodecException {
        SiteInfoResponse site = (SiteInfoResponse) decode("get_site_info_response").body();
        assertThat(SiteInfoCodec.encode(site.siteInfo()))
                .isEqualTo(hex(Vectors.vector(Vectors.HANDLE, "hs_site_data_127_0_0_1_2641").get("data_hex").asText()));
        assertThat(((HandleRequest) decode("get_site_info_request").body()).handle()).isEqualTo("/");

        Message first = decode("list_handles_response_continued");
        assertThat(first.hasFlag(OpFlags.CONTINUOUS)).isTrue();
        assertThat(((HandleListResponse) first.body()).handles())
                .containsExactly("88.100.1/PROD-0001", "88.100.1/PROD-0002");
        Message last = decode("list_handles_response_last");
        assertThat(last.hasFlag(OpFlags.CONTINUOUS)).isFalse();
        assertThat(((HandleListResponse) last.body()).handles()).containsExactly("88.100.1/PROD-0003");

        assertThat(((RemoveValuesRequest) decode("remove_value_request").body()).indexes()).containsExactly(2, 3);
        assertThat(((ValuesRequest) decode("create_handle_request").body()).values())
                .extracting(HandleValue::index).containsExactly(100, 1);
        assertThat(decode("create_handle_request_mint").hasFlag(OpFlags.MINT)).isTrue();
        assertThat(decode("create_handle_request_overwrite").hasFlag(OpFlags.OVERWRITE)).isTrue();
        assertThat(decode("create_handle_response_after_challenge").requestId()).isEqualTo(0x12345679);
    }
}
