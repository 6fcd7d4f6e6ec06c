package io.idnode.crypto;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.idnode.testing.Vectors;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The registry: every entry's names work with the context's engines, every lookup finds its entry, and EC keys
 * are told apart by curve.
 */
class SignatureAlgorithmTest {
    private static final byte[] DATA = "nonce and request digest".getBytes(StandardCharsets.US_ASCII);

    /**
     * A key pair of the entry from its own engines: 1024-bit DSA so that SHA-1 signatures are allowed too, EC keys
     * on the entry's curve.
     */
    static KeyPair keyPair(SignatureAlgorithm alg) throws Exception {
        KeyPairGenerator gen = PROVIDERS.forAlgorithm(alg).keyPairGenerator(alg.jcaKeyAlgorithm());
        if (alg.curve().isPresent()) {
            gen.initialize(new ECGenParameterSpec(alg.curve().get().name()));
        } else if (alg != SignatureAlgorithm.ED25519) {
            gen.initialize(alg == SignatureAlgorithm.DSA ? 1024 : 2048);
        }
        return gen.generateKeyPair();
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void everySignatureNameSignsAndVerifiesWithTheEntrysEngines(SignatureAlgorithm alg) throws Exception {
        KeyPair pair = keyPair(alg);
        JcaEngines engines = PROVIDERS.forAlgorithm(alg);
        List<String> names = new ArrayList<>();
        for (HashAlgorithm hash : alg.hashes()) {
            names.add(alg.jcaSignature(hash));
        }
        names.add(alg.jwsSignature());
        for (String name : names) {
            Signature signer = engines.signature(name);
            signer.initSign(pair.getPrivate());
            signer.update(DATA);
            byte[] sig = signer.sign();
            Signature verifier = engines.signature(name);
            verifier.initVerify(pair.getPublic());
            verifier.update(DATA);
            assertThat(verifier.verify(sig)).as(name).isTrue();
            verifier.initVerify(pair.getPublic());
            verifier.update(CryptoFixtures.flipBit(DATA, 0));
            assertThat(verifier.verify(sig)).as(name + " over other data").isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void everyLookupLeadsBackToTheEntry(SignatureAlgorithm alg) throws Exception {
        KeyPair pair = keyPair(alg);
        assertThat(SignatureAlgorithm.forKey(pair.getPublic())).isEqualTo(alg);
        assertThat(SignatureAlgorithm.forKey(pair.getPrivate())).isEqualTo(alg);
        alg.handleKeyType().ifPresent(type -> assertThat(SignatureAlgorithm.forHandleKeyType(type)).contains(alg));
        assertThat(SignatureAlgorithm.forJwsAlgorithm(alg.jwsAlgorithm())).contains(alg);
        assertThat(SignatureAlgorithm.forJwkKeyType(alg.jwkKeyType())).contains(alg);
        AlgorithmIdentifier id = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getAlgorithm();
        String oid = id.getAlgorithm().getId();
        String curve = id.getParameters() instanceof ASN1ObjectIdentifier c ? c.getId() : null;
        assertThat(oid).isEqualTo(alg.keyOid());
        assertThat(curve).isEqualTo(alg.curve().map(EcCurve::oid).orElse(null));
        assertThat(SignatureAlgorithm.forKeyOid(oid, curve)).contains(alg);
        assertThat(SignatureAlgorithm.forKeyOid(oid)).isEqualTo(curve == null ? Optional.of(alg) : Optional.empty());
        KeyFactory factory = PROVIDERS.forAlgorithm(alg).keyFactory(alg.jcaKeyAlgorithm());
        PublicKey again = factory.generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
        assertThat(again).isEqualTo(pair.getPublic());
    }

    @Test
    void jwsAlgorithmsPairWithTheHandleKeyTypesOfHandleProtocol56AndCnExtensions5() {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
            pairs.put(alg.jwsAlgorithm(), alg.handleKeyType().orElse("(untyped PEM)") + " " + alg.jwkKeyType());
        }
        assertThat(pairs).containsExactly(Map.entry("RS256", "RSA_PUB_KEY RSA"), Map.entry("DS256", "DSA_PUB_KEY DSA"),
                Map.entry("ES256", "(untyped PEM) EC"), Map.entry("EdDSA", "(untyped PEM) OKP"),
                Map.entry("SM2256", "SM2_PUB_KEY SM2"));
        assertThat(SignatureAlgorithm.RSA.jwsSignature()).isEqualTo("SHA256withRSA");
        assertThat(SignatureAlgorithm.DSA.jwsSignature()).isEqualTo("SHA256withDSA");
        assertThat(SignatureAlgorithm.ECDSA_P256.jwsSignature()).isEqualTo("SHA256withECDSAinP1363Format");
        assertThat(SignatureAlgorithm.ED25519.jwsSignature()).isEqualTo("Ed25519");
        assertThat(SignatureAlgorithm.SM2.jwsSignature()).isEqualTo("SM3withSM2");
    }

    @Test
    void es256SignaturesAreRawRAndSOfThirtyTwoBytesEach() throws Exception {
        // RFC 7518 §3.4: the JWS signature is r‖s, 64 bytes, not DER.
        KeyPair pair = keyPair(SignatureAlgorithm.ECDSA_P256);
        Signature s = PROVIDERS.jdk().signature(SignatureAlgorithm.ECDSA_P256.jwsSignature());
        s.initSign(pair.getPrivate());
        s.update(DATA);
        assertThat(s.sign()).hasSize(64);
    }

    @Test
    void curvesTellEcKeysApartWhateverProviderMadeThem() throws Exception {
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("EC");
        jdk.initialize(new ECGenParameterSpec("secp256r1"));
        assertThat(SignatureAlgorithm.forKey(jdk.generateKeyPair().getPublic())).isEqualTo(SignatureAlgorithm.ECDSA_P256);
        KeyPairGenerator bc = PROVIDERS.bouncyCastle().keyPairGenerator("EC");
        bc.initialize(new ECGenParameterSpec("secp256r1"));
        assertThat(SignatureAlgorithm.forKey(bc.generateKeyPair().getPrivate())).isEqualTo(SignatureAlgorithm.ECDSA_P256);
        bc.initialize(new ECGenParameterSpec("sm2p256v1"));
        assertThat(SignatureAlgorithm.forKey(bc.generateKeyPair().getPublic())).isEqualTo(SignatureAlgorithm.SM2);
        KeyPairGenerator jdkEd = KeyPairGenerator.getInstance("Ed25519");
        assertThat(SignatureAlgorithm.forKey(jdkEd.generateKeyPair().getPublic())).isEqualTo(SignatureAlgorithm.ED25519);
        assertThat(EcCurve.P256.coordinateBytes()).isEqualTo(32);
        assertThat(SignatureAlgorithm.forKeyOid("1.2.840.10045.2.1", "1.2.156.10197.1.301")).contains(SignatureAlgorithm.SM2);
        assertThat(SignatureAlgorithm.forKeyOid("1.2.840.10045.2.1", "1.3.132.0.34")).isEmpty();
    }

    @Test
    void credentialSignatureNamesPerHashAreThoseOfHandleProtocol23() throws Exception {
        assertThat(SignatureAlgorithm.RSA.jcaSignature(HashAlgorithm.SHA256)).isEqualTo("SHA256withRSA");
        assertThat(SignatureAlgorithm.RSA.jcaSignature(HashAlgorithm.SHA1)).isEqualTo("SHA1withRSA");
        assertThat(SignatureAlgorithm.RSA.jcaSignature(HashAlgorithm.MD5)).isEqualTo("MD5withRSA");
        assertThat(SignatureAlgorithm.DSA.jcaSignature(HashAlgorithm.SHA256)).isEqualTo("SHA256withDSA");
        assertThat(SignatureAlgorithm.DSA.jcaSignature(HashAlgorithm.SHA1)).isEqualTo("SHA1withDSA");
        assertThatThrownBy(() -> SignatureAlgorithm.DSA.jcaSignature(HashAlgorithm.MD5))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("hash MD5 is not defined for DSA signatures");
    }

    @Test
    void theProtocolPicksSha256FromItsVersionPerAlgorithm() {
        assertThat(SignatureAlgorithm.RSA.hashFor(206)).isEqualTo(HashAlgorithm.SHA1);
        assertThat(SignatureAlgorithm.RSA.hashFor(207)).isEqualTo(HashAlgorithm.SHA256);
        assertThat(SignatureAlgorithm.RSA.hashFor(211)).isEqualTo(HashAlgorithm.SHA256);
        assertThat(SignatureAlgorithm.DSA.hashFor(207)).isEqualTo(HashAlgorithm.SHA1);
        assertThat(SignatureAlgorithm.DSA.hashFor(210)).isEqualTo(HashAlgorithm.SHA1);
        assertThat(SignatureAlgorithm.DSA.hashFor(211)).isEqualTo(HashAlgorithm.SHA256);
        assertThat(SignatureAlgorithm.RSA.signingHashes()).containsExactly(HashAlgorithm.SHA256, HashAlgorithm.SHA1);
        assertThat(SignatureAlgorithm.DSA.signingHashes()).containsExactly(HashAlgorithm.SHA256, HashAlgorithm.SHA1);
        assertThat(SignatureAlgorithm.ECDSA_P256.hashFor(206)).isEqualTo(HashAlgorithm.SHA256);
        assertThat(SignatureAlgorithm.ECDSA_P256.signingHashes()).containsExactly(HashAlgorithm.SHA256);
        assertThat(SignatureAlgorithm.SM2.hashFor(210)).isEqualTo(HashAlgorithm.SM3);
        assertThat(SignatureAlgorithm.SM2.signingHashes()).containsExactly(HashAlgorithm.SM3);
        assertThat(SignatureAlgorithm.ED25519.signingHashes()).isEmpty();
        assertThat(SignatureAlgorithm.ED25519.hashes()).isEmpty();
    }

    @Test
    void keysOutsideTheRegistryAreRefusedNamingWhatIsAccepted() throws Exception {
        assertThat(SignatureAlgorithm.forHandleKeyType("DH_PUB_KEY")).isEmpty();
        assertThat(SignatureAlgorithm.forHandleKeyType("SM9_PUB_KEY")).isEmpty();
        assertThat(SignatureAlgorithm.forJwsAlgorithm("ES384")).isEmpty();
        assertThat(SignatureAlgorithm.forKeyOid("1.2.840.10045.2.1")).isEmpty();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        PublicKey key = ec.generateKeyPair().getPublic();
        assertThatThrownBy(() -> SignatureAlgorithm.forKey(key))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("EC key on a curve other than secp256r1 or sm2p256v1 cannot make Handle signatures "
                        + "(RSA, DSA, EC/secp256r1, Ed25519 or EC/sm2p256v1 only)");
        PublicKey ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic();
        assertThatThrownBy(() -> SignatureAlgorithm.forKey(ed448))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessageStartingWith("key algorithm EdDSA cannot make Handle signatures");
        assertThatThrownBy(() -> SignatureAlgorithm.ED25519.jcaSignature(HashAlgorithm.SHA256))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("hash SHA-256 is not defined for ED25519 signatures");
    }

    @Test
    void sm3IsAHashIdWithoutOneByteCode() throws Exception {
        assertThat(HashAlgorithm.fromHashId("SM3")).isEqualTo(HashAlgorithm.SM3);
        assertThat(HashAlgorithm.SM3.code()).isZero();
        assertThatThrownBy(() -> HashAlgorithm.fromCode(0)).isInstanceOf(UnsupportedAlgorithmException.class);
        assertThat(Vectors.toHex(PROVIDERS.bouncyCastle().digest(HashAlgorithm.SM3.jcaDigest())
                .digest("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(Vectors.vector(Vectors.CN, "sm_primitives_check").path("sm3_abc_hex").asText());
    }

    @Test
    void messagesQuoteUntrustedTextSafelyAndListAlternatives() {
        assertThat(CryptoException.printable("SHA-256")).isEqualTo("SHA-256");
        assertThat(CryptoException.printable("a\u0000b\u00e9")).isEqualTo("a\\u0000b\\u00e9");
        assertThat(CryptoException.printable("x".repeat(50))).isEqualTo("x".repeat(40));
        assertThat(CryptoException.oneOf(List.of("RSA"))).isEqualTo("RSA");
        assertThat(CryptoException.oneOf(List.of("RSA", "DSA"))).isEqualTo("RSA or DSA");
        assertThat(CryptoException.oneOf(List.of("RSA", "DSA", "DH"))).isEqualTo("RSA, DSA or DH");
        assertThat(SignatureAlgorithm.describe(SignatureAlgorithm::jwsAlgorithm))
                .isEqualTo("RS256, DS256, ES256, EdDSA or SM2256");
    }
}
