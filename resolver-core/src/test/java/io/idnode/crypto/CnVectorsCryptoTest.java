package io.idnode.crypto;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.flipBit;
import static io.idnode.crypto.CryptoFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.codec.WireReader;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.Jwk;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key and signature vectors of cn-vectors.json through the registry and the crypto packages, as the node
 * and the SDK use them: SM2256 JWS signatures checked with the key the registry finds for their {@code alg}
 * and the JWK of the issuer, and SM2 challenge answers in both of the SDK's forms (cn-extensions.md §3.2, §5).
 */
class CnVectorsCryptoTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HandleKeyCodec CODEC = new HandleKeyCodec(PROVIDERS);
    private static final Jwk JWK = new Jwk(PROVIDERS);
    private static final ChallengeAnswers ANSWERS = new ChallengeAnswers(PROVIDERS);
    private static final JsonNode KEYS = Vectors.file(Vectors.CN).path("keys");
    private static final String IDENTITY = "88.100.1/sm2user";

    @TempDir
    Path dir;

    @Test
    void thePublishedSm2ExampleSignatureVerifiesWithTheDefaultUserId() throws Exception {
        JsonNode v = Vectors.vector(Vectors.CN, "sm_primitives_check");
        PublicKey user = sm2Public("sm2_user");
        byte[] message = v.path("inputs").path("sign_message_ascii").asText().getBytes(StandardCharsets.US_ASCII);
        assertThat(v.path("inputs").path("sm2_id_ascii").asText()).isEqualTo("1234567812345678");
        assertThat(verifyJws(SignatureAlgorithm.SM2, user, message, hex(v, "signature_der_hex"))).isTrue();
        assertThat(verifyJws(SignatureAlgorithm.SM2, user, flipBit(message, 0), hex(v, "signature_der_hex"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hs_cert_sm2_root_selfsigned", "hs_cert_sm2_signer", "hs_signature_sm2"})
    void sm2256JwsSignaturesVerifyWithTheKeyOfTheirIssuer(String name) throws Exception {
        JsonNode v = Vectors.vector(Vectors.CN, name);
        String[] jws = dataOf(v).split("\\.");
        assertThat(jws).hasSize(3);
        Map<String, Object> header = json(jws[0]);
        SignatureAlgorithm alg = SignatureAlgorithm.forJwsAlgorithm((String) header.get("alg")).orElseThrow();
        assertThat(alg).isEqualTo(SignatureAlgorithm.SM2);
        Map<String, Object> payload = json(jws[1]);
        String issuerKey = "301:88.100.1/0.0".equals(payload.get("iss")) ? "sm2_root" : "sm2_signer";
        PublicKey issuer = sm2Public(issuerKey);
        byte[] input = (jws[0] + "." + jws[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = Base64.getUrlDecoder().decode(jws[2]);
        assertThat(Vectors.toHex(signature)).isEqualTo(v.path("signature_der_hex").asText());
        assertThat(verifyJws(alg, issuer, input, signature)).isTrue();
        assertThat(verifyJws(alg, issuer, flipBit(input, input.length - 1), signature)).isFalse();
        PublicKey other = sm2Public(issuerKey.equals("sm2_root") ? "sm2_signer" : "sm2_root");
        assertThat(verifyJws(alg, other, input, signature)).isFalse();
        if (payload.get("publicKey") instanceof Map<?, ?> claimed) {
            // The certified key is the SM2 JWK of cn-extensions.md §5.1, and the root certifies itself.
            @SuppressWarnings("unchecked")
            PublicKey certified = JWK.fromJwk((Map<String, ?>) claimed);
            String subject = payload.get("sub").equals("301:88.100.1/0.0") ? "sm2_root" : "sm2_signer";
            assertThat(certified).isEqualTo(sm2Public(subject));
        }
    }

    @Test
    void theCertificateRecordsHoldTheirKeysAsUntypedPemAtIndex301() throws Exception {
        for (String name : new String[] {"hs_cert_sm2_root_selfsigned", "hs_cert_sm2_signer"}) {
            JsonNode key = Vectors.vector(Vectors.CN, name).path("record_values").get(0);
            assertThat(key.path("index").asInt()).isEqualTo(301);
            byte[] value = Vectors.hex(key.path("value_hex").asText());
            WireReader r = new WireReader(value);
            r.raw(4 + 4 + 1 + 4 + 1, "index, timestamp, ttl type, ttl, permissions");
            assertThat(r.str("type")).isEqualTo("HS_PUBKEY");
            PublicKey decoded = CODEC.decodePublicKey(r.bytes("data"));
            assertThat(SignatureAlgorithm.forKey(decoded)).isEqualTo(SignatureAlgorithm.SM2);
        }
    }

    @Test
    void theSm3ChallengeAnswerVerifiesWithTheIdentityHandleAsUserIdOnly() throws Exception {
        JsonNode v = Vectors.vector(Vectors.CN, "sdk_challenge_answer_sm2_sm3");
        JsonNode challenge = Vectors.vector(Vectors.CN, "challenge_to_sdk_login");
        byte[] nonce = Vectors.hex(challenge.path("inputs").path("nonce").asText());
        byte[] digest = hex(challenge, "request_digest_hex");
        byte[] answer = hex(v, "signed_response_hex");
        PublicKey user = sm2Public("sm2_user");
        assertThat(ANSWERS.verifyPublicKeyAnswer(user, IDENTITY, nonce, digest, answer)).isTrue();
        // Negatives of cn-extensions.md §9 item 5: the default user ID, another identity, a flipped bit.
        assertThat(ANSWERS.verifyPublicKeyAnswer(user, "1234567812345678", nonce, digest, answer)).isFalse();
        assertThat(ANSWERS.verifyPublicKeyAnswer(user, "88.100.1/other", nonce, digest, answer)).isFalse();
        assertThat(ANSWERS.verifyPublicKeyAnswer(user, IDENTITY, flipBit(nonce, 3), digest, answer)).isFalse();
        assertThat(ANSWERS.verifyPublicKeyAnswer(sm2Public("sm2_root"), IDENTITY, nonce, digest, answer)).isFalse();
        // The same signature under another hash id is the SHA-256 form, which it does not satisfy.
        byte[] relabelled = relabel(answer, "SHA-256");
        assertThat(ANSWERS.verifyPublicKeyAnswer(user, IDENTITY, nonce, digest, relabelled)).isFalse();
        assertThatThrownBy(() -> ANSWERS.verifyPublicKeyAnswer(user, nonce, digest, answer))
                .isInstanceOf(UnsupportedAlgorithmException.class).hasMessageContaining("identity handle");
        assertThatThrownBy(() -> ANSWERS.verifyPublicKeyAnswer(CryptoFixtures.rsaPublic(), IDENTITY, nonce, digest,
                answer)).isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("hash SM3 is not defined for RSA signatures");
    }

    @Test
    void theSha256VariantOfTheSdkVerifiesWithTheDefaultUserId() throws Exception {
        JsonNode v = Vectors.vector(Vectors.CN, "sdk_challenge_answer_sm2_sha256_variant");
        byte[] signed = hex(v, "signed_data_hex");
        byte[] nonce = java.util.Arrays.copyOf(signed, 16);
        byte[] digest = java.util.Arrays.copyOfRange(signed, 16, signed.length);
        byte[] answer = hex(v, "signed_response_hex");
        PublicKey user = sm2Public("sm2_user");
        assertThat(ANSWERS.verifyPublicKeyAnswer(user, IDENTITY, nonce, digest, answer)).isTrue();
        assertThat(ANSWERS.verifyPublicKeyAnswer(user, IDENTITY, nonce, flipBit(digest, 0), answer)).isFalse();
        assertThat(ANSWERS.verifyPublicKeyAnswer(user, IDENTITY, nonce, digest, relabel(answer, "SM3"))).isFalse();
    }

    @Test
    void anSm2KeyFileAnswersChallengesTheSdkWay() throws Exception {
        Path file = dir.resolve("sm2user.pem");
        Files.writeString(file, KEYS.path("sm2_user").path("pkcs8_pem").asText());
        PrivateKey key = new KeyFiles(PROVIDERS).readPrivateKey(file, null);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        byte[] digest = PROVIDERS.jdk().digest("SHA-256").digest(nonce);
        byte[] answer = ANSWERS.signPublicKeyAnswer(key, IDENTITY, nonce, digest, 210);
        assertThat(new WireReader(answer).str("hash id")).isEqualTo("SM3");
        assertThat(ANSWERS.verifyPublicKeyAnswer(sm2Public("sm2_user"), IDENTITY, nonce, digest, answer)).isTrue();
        assertThat(ANSWERS.verifyPublicKeyAnswer(sm2Public("sm2_user"), "88.100.1/SM2USER", nonce, digest, answer))
                .isFalse();
        assertThatThrownBy(() -> ANSWERS.signPublicKeyAnswer(key, nonce, digest, 210))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identity handle");
    }

    private static boolean verifyJws(SignatureAlgorithm alg, PublicKey key, byte[] input, byte[] sig)
            throws Exception {
        Signature s = PROVIDERS.forAlgorithm(alg).signature(alg.jwsSignature());
        s.initVerify(key);
        s.update(input);
        return s.verify(sig);
    }

    private static PublicKey sm2Public(String name) throws Exception {
        return CODEC.decodePublicKey(KEYS.path(name).path("spki_pem").asText().getBytes(StandardCharsets.US_ASCII));
    }

    /** The JWS text of a vector: {@code data_utf8} may be shortened in the file, the value's data never is. */
    private static String dataOf(JsonNode v) throws Exception {
        if (v.has("record_values")) {
            JsonNode cert = v.path("record_values").get(1);
            WireReader r = new WireReader(Vectors.hex(cert.path("value_hex").asText()));
            r.raw(14, "value head");
            r.str("type");
            return new String(r.bytes("data"), StandardCharsets.UTF_8);
        }
        return v.path("data_utf8").asText();
    }

    private static Map<String, Object> json(String b64url) throws Exception {
        return MAPPER.readValue(Base64.getUrlDecoder().decode(b64url), new TypeReference<>() { });
    }

    private static byte[] relabel(byte[] answer, String hashId) throws Exception {
        WireReader r = new WireReader(answer);
        r.str("hash id");
        byte[] sig = r.bytes("signature");
        byte[] id = hashId.getBytes(StandardCharsets.US_ASCII);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + id.length + sig.length);
        out.putInt(id.length).put(id).putInt(sig.length).put(sig);
        return out.array();
    }
}
