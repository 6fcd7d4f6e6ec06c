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
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The registry: every entry's names work with the context's engines, and every lookup finds its entry. */
class SignatureAlgorithmTest {
    private static final byte[] DATA = "nonce and request digest".getBytes(StandardCharsets.US_ASCII);

    /** A key pair of the entry from its own engines; 1024-bit DSA so that SHA-1 signatures are allowed too. */
    private static KeyPair keyPair(SignatureAlgorithm alg) {
        KeyPairGenerator gen = PROVIDERS.forAlgorithm(alg).keyPairGenerator(alg.jcaKeyAlgorithm());
        gen.initialize(alg == SignatureAlgorithm.DSA ? 1024 : 2048);
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
        assertThat(SignatureAlgorithm.forHandleKeyType(alg.handleKeyType())).contains(alg);
        assertThat(SignatureAlgorithm.forJwsAlgorithm(alg.jwsAlgorithm())).contains(alg);
        assertThat(SignatureAlgorithm.forJwkKeyType(alg.jwkKeyType())).contains(alg);
        String oid = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getAlgorithm().getAlgorithm()
                .getId();
        assertThat(oid).isEqualTo(alg.keyOid());
        assertThat(SignatureAlgorithm.forKeyOid(oid)).contains(alg);
        KeyFactory factory = PROVIDERS.forAlgorithm(alg).keyFactory(alg.jcaKeyAlgorithm());
        PublicKey again = factory.generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
        assertThat(again).isEqualTo(pair.getPublic());
    }

    @Test
    void jwsAlgorithmsPairWithTheHandleKeyTypesOfHandleProtocol56() {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
            pairs.put(alg.jwsAlgorithm(), alg.handleKeyType());
        }
        assertThat(pairs).containsExactly(Map.entry("RS256", "RSA_PUB_KEY"), Map.entry("DS256", "DSA_PUB_KEY"));
        assertThat(SignatureAlgorithm.RSA.jwsSignature()).isEqualTo("SHA256withRSA");
        assertThat(SignatureAlgorithm.DSA.jwsSignature()).isEqualTo("SHA256withDSA");
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
    }

    @Test
    void onlyWhatWorksEndToEndIsDeclared() throws Exception {
        assertThat(SignatureAlgorithm.values()).containsExactly(SignatureAlgorithm.RSA, SignatureAlgorithm.DSA);
        assertThat(SignatureAlgorithm.forHandleKeyType("SM2_PUB_KEY")).isEmpty();
        assertThat(SignatureAlgorithm.forHandleKeyType("DH_PUB_KEY")).isEmpty();
        assertThat(SignatureAlgorithm.forJwsAlgorithm("SM2256")).isEmpty();
        assertThat(SignatureAlgorithm.forJwsAlgorithm("ES256")).isEmpty();
        assertThat(SignatureAlgorithm.forJwkKeyType("SM2")).isEmpty();
        assertThat(SignatureAlgorithm.forKeyOid("1.2.840.10045.2.1")).isEmpty();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        PublicKey key = ec.generateKeyPair().getPublic();
        assertThatThrownBy(() -> SignatureAlgorithm.forKey(key))
                .isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessage("key algorithm EC cannot make Handle signatures (RSA or DSA only)");
    }

    @Test
    void messagesQuoteUntrustedTextSafelyAndListAlternatives() {
        assertThat(CryptoException.printable("SHA-256")).isEqualTo("SHA-256");
        assertThat(CryptoException.printable("a\u0000b\u00e9")).isEqualTo("a\\u0000b\\u00e9");
        assertThat(CryptoException.printable("x".repeat(50))).isEqualTo("x".repeat(40));
        assertThat(CryptoException.oneOf(List.of("RSA"))).isEqualTo("RSA");
        assertThat(CryptoException.oneOf(List.of("RSA", "DSA"))).isEqualTo("RSA or DSA");
        assertThat(CryptoException.oneOf(List.of("RSA", "DSA", "DH"))).isEqualTo("RSA, DSA or DH");
        assertThat(SignatureAlgorithm.describe(SignatureAlgorithm::handleKeyType))
                .isEqualTo("RSA_PUB_KEY or DSA_PUB_KEY");
    }
}
