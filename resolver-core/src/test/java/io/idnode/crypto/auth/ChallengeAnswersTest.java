package io.idnode.crypto.auth;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.dsaPrivate;
import static io.idnode.crypto.CryptoFixtures.dsaPublic;
import static io.idnode.crypto.CryptoFixtures.flipBit;
import static io.idnode.crypto.CryptoFixtures.hex;
import static io.idnode.crypto.CryptoFixtures.rsaPrivate;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.WireReader;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.testing.Vectors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChallengeAnswersTest {
    private final ChallengeAnswers answers = new ChallengeAnswers(PROVIDERS);
    private final JsonNode challenge = Vectors.vector("challenge_response_to_create");
    private final byte[] nonce = Vectors.hex(challenge.path("inputs").path("nonce").asText());
    private final byte[] digest = hex(challenge, "request_digest_hex");
    private final byte[] secret = Vectors.vector("challenge_answer_seckey_pbkdf2").path("inputs").path("secret")
            .asText().getBytes(StandardCharsets.UTF_8);

    @Test
    void theChallengeBodyEndsWithTheNonce() {
        String body = challenge.get("body_hex").asText();
        assertThat(body).endsWith("00000010" + Vectors.toHex(nonce));
        assertThat(body.substring(2, 66)).isEqualTo(Vectors.toHex(digest));
    }

    @Test
    void signedDataIsNonceThenDigest() {
        assertThat(Vectors.toHex(ChallengeAnswers.signedData(nonce, digest)))
                .isEqualTo(Vectors.vector("challenge_answer_pubkey_rsa").get("signed_data_hex").asText());
    }

    @Test
    void rsaAnswerVerifiesAndFailsWithWrongKeyOrNonce() throws Exception {
        byte[] response = hex(Vectors.vector("challenge_answer_pubkey_rsa"), "signed_response_hex");
        assertThat(answers.verifyPublicKeyAnswer(rsaPublic(), nonce, digest, response)).isTrue();
        assertThat(answers.verifyPublicKeyAnswer(rsaPublic(), flipBit(nonce, 0), digest, response))
                .isFalse();
        assertThat(answers.verifyPublicKeyAnswer(rsaPublic(), nonce, flipBit(digest, 31), response))
                .isFalse();
        assertThat(answers.verifyPublicKeyAnswer(otherRsaKey(), nonce, digest, response)).isFalse();
    }

    @Test
    void rsaAnswerIsReproducedByteForByte() {
        byte[] expected = hex(Vectors.vector("challenge_answer_pubkey_rsa"), "signed_response_hex");
        assertThat(answers.signPublicKeyAnswer(rsaPrivate(), nonce, digest, 211)).isEqualTo(expected);
    }

    @Test
    void dsaAnswerVerifiesAndFailsWithWrongKeyOrNonce() throws Exception {
        byte[] response = hex(Vectors.vector("challenge_answer_pubkey_dsa"), "signed_response_hex");
        assertThat(answers.verifyPublicKeyAnswer(dsaPublic(), nonce, digest, response)).isTrue();
        assertThat(answers.verifyPublicKeyAnswer(dsaPublic(), flipBit(nonce, 15), digest, response))
                .isFalse();
        assertThat(answers.verifyPublicKeyAnswer(rsaPublic(), nonce, digest, response)).isFalse();
    }

    @Test
    void dsaAnswersUseSha256FromVersion211AndSha1Before() throws Exception {
        for (int version : new int[] {211, 210, 206}) {
            byte[] response = answers.signPublicKeyAnswer(dsaPrivate(), nonce, digest, version);
            String hashId = new WireReader(response).str("hash id");
            assertThat(hashId).isEqualTo(version >= 211 ? "SHA-256" : "SHA1");
            assertThat(answers.verifyPublicKeyAnswer(dsaPublic(), nonce, digest, response)).isTrue();
        }
        byte[] rsaOld = answers.signPublicKeyAnswer(rsaPrivate(), nonce, digest, 206);
        assertThat(new WireReader(rsaOld).str("hash id")).isEqualTo("SHA1");
        assertThat(answers.verifyPublicKeyAnswer(rsaPublic(), nonce, digest, rsaOld)).isTrue();
    }

    @Test
    void malformedPublicKeyAnswersAreTypedErrors() {
        byte[] response = hex(Vectors.vector("challenge_answer_pubkey_rsa"), "signed_response_hex");
        byte[] cut = java.util.Arrays.copyOf(response, response.length - 1);
        assertThatThrownBy(() -> answers.verifyPublicKeyAnswer(rsaPublic(), nonce, digest, cut))
                .isInstanceOf(MalformedCryptoInputException.class);
        byte[] padded = java.util.Arrays.copyOf(response, response.length + 1);
        assertThatThrownBy(() -> answers.verifyPublicKeyAnswer(rsaPublic(), nonce, digest, padded))
                .isInstanceOf(MalformedCryptoInputException.class);
        byte[] unknownHash = response.clone();
        unknownHash[4] = 'X';
        assertThatThrownBy(() -> answers.verifyPublicKeyAnswer(rsaPublic(), nonce, digest, unknownHash))
                .isInstanceOf(UnsupportedAlgorithmException.class).hasMessage("unknown hash id \"XHA-256\"");
    }

    @Test
    void aKeyWithoutSignaturesInTheRegistryIsUnsupported() throws Exception {
        byte[] response = hex(Vectors.vector("challenge_answer_pubkey_rsa"), "signed_response_hex");
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(384);
        PublicKey ec = gen.generateKeyPair().getPublic();
        assertThatThrownBy(() -> answers.verifyPublicKeyAnswer(ec, nonce, digest, response))
                .isInstanceOf(UnsupportedAlgorithmException.class).hasMessageContaining("EC");
    }

    @Test
    void pbkdf2DerivedKeyEqualsTheVector() {
        JsonNode v = Vectors.vector("challenge_answer_seckey_pbkdf2");
        byte[] salt = Vectors.hex(v.path("inputs").path("salt").asText());
        byte[] key = answers.pbkdf2Key(secret, salt, 10_000, 160);
        assertThat(Vectors.toHex(key)).isEqualTo(v.get("pbkdf2_derived_key_hex").asText());
    }

    @Test
    void pbkdf2AnswerVerifiesAndFailsWithWrongSecretOrNonce() throws Exception {
        byte[] response = hex(Vectors.vector("challenge_answer_seckey_pbkdf2"), "signed_response_hex");
        assertThat(answers.verifySecretKeyAnswer(secret, nonce, digest, response)).isTrue();
        assertThat(answers.verifySecretKeyAnswer("s3cret-pasS".getBytes(StandardCharsets.UTF_8), nonce, digest,
                response)).isFalse();
        assertThat(answers.verifySecretKeyAnswer(secret, flipBit(nonce, 3), digest, response)).isFalse();
    }

    @Test
    void pbkdf2AnswerWithTheVectorSaltIsReproducedByteForByte() {
        JsonNode v = Vectors.vector("challenge_answer_seckey_pbkdf2");
        byte[] salt = Vectors.hex(v.path("inputs").path("salt").asText());
        assertThat(Vectors.toHex(answers.pbkdf2Answer(secret, nonce, digest, salt, 10_000, 160)))
                .isEqualTo(v.get("signed_response_hex").asText());
    }

    @Test
    void legacySha1AnswerVerifiesAndIsReproduced() throws Exception {
        byte[] response = hex(Vectors.vector("seckey_answer_legacy_sha1"), "signed_response_hex");
        assertThat(answers.verifySecretKeyAnswer(secret, nonce, digest, response)).isTrue();
        assertThat(answers.verifySecretKeyAnswer(secret, nonce, flipBit(digest, 0), response)).isFalse();
        assertThat(answers.verifySecretKeyAnswer(new byte[] {1}, nonce, digest, response)).isFalse();
        assertThat(answers.secretKeyAnswer(secret, nonce, digest, 206, new SecureRandom())).isEqualTo(response);
    }

    @Test
    void bareMacAnswersAreTheHmacOrEnclosedHashOfNonceAndDigestWithTheSecret() throws Exception {
        byte[] data = ChallengeAnswers.signedData(nonce, digest);
        javax.crypto.Mac hmac256 = javax.crypto.Mac.getInstance("HmacSHA256");
        hmac256.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
        javax.crypto.Mac hmac1 = javax.crypto.Mac.getInstance("HmacSHA1");
        hmac1.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA1"));
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(secret);
        sha256.update(data);
        byte[] enclosed = sha256.digest(secret);
        java.util.Map<Integer, byte[]> expected = java.util.Map.of(ChallengeAnswers.SECKEY_HMAC_SHA256,
                hmac256.doFinal(data), ChallengeAnswers.SECKEY_HMAC_SHA1, hmac1.doFinal(data),
                ChallengeAnswers.SECKEY_SHA256, enclosed);
        for (var e : expected.entrySet()) {
            byte[] answer = new byte[1 + e.getValue().length];
            answer[0] = e.getKey().byteValue();
            System.arraycopy(e.getValue(), 0, answer, 1, e.getValue().length);
            assertThat(answers.bareMacAnswer(e.getKey(), secret, nonce, digest)).isEqualTo(answer);
            assertThat(answers.verifySecretKeyAnswer(secret, nonce, digest, answer)).isTrue();
            assertThat(answers.verifySecretKeyAnswer("another secret".getBytes(StandardCharsets.UTF_8), nonce, digest,
                    answer)).isFalse();
            assertThat(answers.verifySecretKeyAnswer(secret, nonce, flipBit(digest, 3), answer)).isFalse();
        }
        byte[] empty = answers.bareMacAnswer(ChallengeAnswers.SECKEY_HMAC_SHA256, new byte[0], nonce, digest);
        assertThat(answers.verifySecretKeyAnswer(new byte[0], nonce, digest, empty)).isTrue();
    }

    @Test
    void clientAnswersFromVersion27UseFreshSaltsAndVerify() throws Exception {
        byte[] a = answers.secretKeyAnswer(secret, nonce, digest, 211, new SecureRandom());
        byte[] b = answers.secretKeyAnswer(secret, nonce, digest, 211, new SecureRandom());
        assertThat(a[0]).isEqualTo((byte) ChallengeAnswers.SECKEY_PBKDF2);
        assertThat(a).isNotEqualTo(b);
        assertThat(answers.verifySecretKeyAnswer(secret, nonce, digest, a)).isTrue();
        assertThat(answers.verifySecretKeyAnswer(secret, nonce, digest, b)).isTrue();
        assertThatThrownBy(() -> answers.secretKeyAnswer(secret, nonce, digest, 200, new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashedSecretIsTheHexOfSha1AndAuthenticatesAsItsAsciiBytes() throws Exception {
        byte[] stored = hex(Vectors.vector("hs_seckey_data_hashed"), "data_hex");
        String expectedHex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(secret));
        assertThat(new String(stored, StandardCharsets.US_ASCII)).isEqualTo(expectedHex);
        byte[] answer = answers.secretKeyAnswer(stored, nonce, digest, 211, new SecureRandom());
        assertThat(answers.verifySecretKeyAnswer(stored, nonce, digest, answer)).isTrue();
        assertThat(answers.verifySecretKeyAnswer(secret, nonce, digest, answer)).isFalse();
    }

    @Test
    void pbkdf2ParametersAreBoundedBeforeAnyWork() {
        byte[] response = hex(Vectors.vector("challenge_answer_seckey_pbkdf2"), "signed_response_hex");
        int iterationsAt = 1 + 4 + 16;
        byte[] manyIterations = response.clone();
        ByteBuffer.wrap(manyIterations).putInt(iterationsAt, ChallengeAnswers.MAX_PBKDF2_ITERATIONS + 1);
        assertThatThrownBy(() -> answers.verifySecretKeyAnswer(secret, nonce, digest, manyIterations))
                .isInstanceOf(MalformedCryptoInputException.class).hasMessageContaining("iteration");
        byte[] hugeKey = response.clone();
        ByteBuffer.wrap(hugeKey).putInt(iterationsAt + 4, 1 << 30);
        assertThatThrownBy(() -> answers.verifySecretKeyAnswer(secret, nonce, digest, hugeKey))
                .isInstanceOf(MalformedCryptoInputException.class).hasMessageContaining("key size");
        byte[] zeroKey = response.clone();
        ByteBuffer.wrap(zeroKey).putInt(iterationsAt + 4, 0);
        assertThatThrownBy(() -> answers.verifySecretKeyAnswer(secret, nonce, digest, zeroKey))
                .isInstanceOf(MalformedCryptoInputException.class);
    }

    @Test
    void unknownOrTruncatedSecretKeyAnswersAreTypedErrors() {
        assertThatThrownBy(() -> answers.verifySecretKeyAnswer(secret, nonce, digest, new byte[] {0x14, 1, 2}))
                .isInstanceOf(UnsupportedAlgorithmException.class).hasMessageContaining("algorithm 20");
        assertThatThrownBy(() -> answers.verifySecretKeyAnswer(secret, nonce, digest, new byte[] {0x13, 1, 2}))
                .isInstanceOf(MalformedCryptoInputException.class).hasMessageContaining("32 expected");
        assertThatThrownBy(() -> answers.verifySecretKeyAnswer(secret, nonce, digest, new byte[0]))
                .isInstanceOf(MalformedCryptoInputException.class);
        assertThatThrownBy(() -> answers.verifySecretKeyAnswer(secret, nonce, digest, new byte[] {2, 1, 2}))
                .isInstanceOf(MalformedCryptoInputException.class);
        byte[] response = hex(Vectors.vector("challenge_answer_seckey_pbkdf2"), "signed_response_hex");
        for (int n = 1; n < response.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(response, n);
            assertThatThrownBy(() -> answers.verifySecretKeyAnswer(secret, nonce, digest, cut))
                    .isInstanceOf(MalformedCryptoInputException.class);
        }
    }

    private static PublicKey otherRsaKey() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(1024);
        return gen.generateKeyPair().getPublic();
    }
}
