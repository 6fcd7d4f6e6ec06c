package io.idnode.crypto;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.flipBit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * The provider context: the standard algorithms from the JDK as before, and a BouncyCastle of its own that
 * already makes what the registry does not declare yet (SM2 with SM3 as in cn-extensions.md §3.2 and §5,
 * Ed25519), without being installed in the JVM.
 */
class CryptoProvidersTest {
    private static final JsonNode CN_KEYS = Vectors.file(Vectors.CN).path("keys");

    @Test
    void bouncyCastleServesThisContextOnlyAndIsNeverInstalled() {
        CryptoProviders providers = CryptoProviders.create();
        Signature sm2 = providers.bouncyCastle().signature("SM3withSM2");
        assertThat(sm2.getProvider().getName()).isEqualTo("BC");
        assertThat(Security.getProvider("BC")).isNull();
        assertThatThrownBy(() -> providers.jdk().signature("SM3withSM2"))
                .isInstanceOf(CryptoEngineException.class)
                .hasMessage("SM3withSM2 is not available from the JDK's providers");
        assertThatThrownBy(() -> providers.bouncyCastle().signature("NONEwithNOTHING"))
                .isInstanceOf(CryptoEngineException.class)
                .hasMessage("NONEwithNOTHING is not available from provider BC");
    }

    @Test
    void standardAlgorithmsComeFromTheJdkAsBefore() throws Exception {
        for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
            boolean bc = alg == SignatureAlgorithm.SM2 || alg == SignatureAlgorithm.ED25519;
            assertThat(alg.source()).isEqualTo(bc ? CryptoProviders.Source.BOUNCY_CASTLE
                    : CryptoProviders.Source.JDK);
            assertThat(PROVIDERS.forAlgorithm(alg)).isSameAs(bc ? PROVIDERS.bouncyCastle() : PROVIDERS.jdk());
        }
        assertThat(PROVIDERS.jdk().signature("SHA256withRSA").getProvider())
                .isSameAs(Signature.getInstance("SHA256withRSA").getProvider());
        assertThat(PROVIDERS.jdk().cipher("AES/CBC/PKCS5Padding").getProvider().getName()).isEqualTo("SunJCE");
    }

    @Test
    void sm2SignaturesWithSm3SignAndVerify() throws Exception {
        KeyPairGenerator gen = PROVIDERS.bouncyCastle().keyPairGenerator("EC");
        gen.initialize(new ECGenParameterSpec("sm2p256v1"));
        KeyPair pair = gen.generateKeyPair();
        byte[] data = "b64url(header).b64url(payload)".getBytes(StandardCharsets.US_ASCII);
        Signature s = PROVIDERS.bouncyCastle().signature("SM3withSM2");
        s.initSign(pair.getPrivate());
        s.update(data);
        byte[] sig = s.sign();
        assertThat(sig[0]).as("DER SEQUENCE{r,s}").isEqualTo((byte) 0x30);
        assertThat(verify("SM3withSM2", null, pair.getPublic(), data, sig)).isTrue();
        assertThat(verify("SM3withSM2", null, pair.getPublic(), flipBit(data, 0), sig)).isFalse();
    }

    @Test
    void theSm2256RecordSignatureOfTheCnVectorsVerifies() throws Exception {
        JsonNode v = Vectors.vector(Vectors.CN, "hs_signature_sm2");
        assertThat(v.path("header_json").asText()).isEqualTo("{\"alg\":\"SM2256\"}");
        PublicKey signer = sm2PublicKey("sm2_signer");
        byte[] input = v.path("signing_input_ascii").asText().getBytes(StandardCharsets.US_ASCII);
        byte[] sig = Vectors.hex(v.path("signature_der_hex").asText());
        assertThat(verify("SM3withSM2", null, signer, input, sig)).isTrue();
        assertThat(verify("SM3withSM2", null, signer, flipBit(input, 5), sig)).isFalse();
        assertThat(verify("SM3withSM2", null, sm2PublicKey("sm2_root"), input, sig)).isFalse();
    }

    @Test
    void theSm2ChallengeAnswerOfTheCnVectorsVerifiesWithTheIdentityAsUserId() throws Exception {
        JsonNode v = Vectors.vector(Vectors.CN, "sdk_challenge_answer_sm2_sm3");
        byte[] signedData = Vectors.hex(v.path("signed_data_hex").asText());
        byte[] m = PROVIDERS.bouncyCastle().digest("SM3").digest(signedData);
        assertThat(Vectors.toHex(m)).isEqualTo(v.path("sm2_message_m_hex").asText());
        byte[] id = v.path("inputs").path("sm2_user_id_utf8").asText().getBytes(StandardCharsets.UTF_8);
        byte[] sig = Vectors.hex(v.path("signature_der_hex").asText());
        PublicKey user = sm2PublicKey("sm2_user");
        assertThat(verify("SM3withSM2", id, user, m, sig)).isTrue();
        // The default user ID is the classic mistake (cn-extensions.md §9 item 5): it must not verify.
        assertThat(verify("SM3withSM2", null, user, m, sig)).isFalse();
    }

    @Test
    void ed25519SignsTheRfc8032TestVector() throws Exception {
        // RFC 8032 §7.1, TEST 1: the empty message; Ed25519 is deterministic, so the signature is fixed.
        byte[] pkcs8 = Vectors.hex("302e020100300506032b657004220420"
                + "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] spki = Vectors.hex("302a300506032b6570032100"
                + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        PrivateKey privateKey = PROVIDERS.bouncyCastle().keyFactory("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        PublicKey publicKey = PROVIDERS.bouncyCastle().keyFactory("Ed25519")
                .generatePublic(new X509EncodedKeySpec(spki));
        Signature s = PROVIDERS.bouncyCastle().signature("Ed25519");
        s.initSign(privateKey);
        byte[] sig = s.sign();
        assertThat(Vectors.toHex(sig)).isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertThat(verify("Ed25519", null, publicKey, new byte[0], sig)).isTrue();
        assertThat(verify("Ed25519", null, publicKey, new byte[] {0}, sig)).isFalse();
    }

    private static PublicKey sm2PublicKey(String name) throws Exception {
        byte[] spki = Vectors.hex(CN_KEYS.path(name).path("spki_der_hex").asText());
        return PROVIDERS.bouncyCastle().keyFactory("EC").generatePublic(new X509EncodedKeySpec(spki));
    }

    private static boolean verify(String alg, byte[] sm2UserId, PublicKey key, byte[] data, byte[] sig)
            throws Exception {
        Signature s = PROVIDERS.bouncyCastle().signature(alg);
        if (sm2UserId != null) {
            s.setParameter(new SM2ParameterSpec(sm2UserId));
        }
        s.initVerify(key);
        s.update(data);
        return s.verify(sig);
    }
}
