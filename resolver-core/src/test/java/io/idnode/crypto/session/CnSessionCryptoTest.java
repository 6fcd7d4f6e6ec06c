package io.idnode.crypto.session;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The encrypted transport's ciphers and key wraps (cn-extensions.md §4, handle-protocol.md §6.6) against the
 * cn vectors: SM4 against the published block example and the SDK's encrypted GET_SITE_INFO, byte for byte;
 * SM2 decryption of the published Annex C ciphertext and of the vectors' wrapped session key, and the wrap
 * itself reproduced with the vector's k; RSA PKCS#1 v1.5 wraps; DES, DESede and AES in CBC with their IV in
 * front; and what a wrong key gets.
 */
class CnSessionCryptoTest {
    private static final SessionCipher CIPHER = new SessionCipher(PROVIDERS);
    private static final SessionKeyWrap WRAP = new SessionKeyWrap(PROVIDERS);
    private static final JsonNode PRIMITIVES = Vectors.vector(Vectors.CN, "sm_primitives_check");
    private static final JsonNode SETUP_REPLY = Vectors.vector(Vectors.CN, "session_setup_response_mode3_sm2");
    private static final JsonNode ENCRYPTED = Vectors.vector(Vectors.CN, "sm4_encrypted_get_site_info_request");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void sm4IsThePublishedBlockCipherInCbcWithTheKeyAsIv() throws Exception {
        // GB/T 32907's example enciphers the key itself; with IV = key, a zero first block is exactly that.
        byte[] key = hex(PRIMITIVES.path("inputs").path("sm4_key_and_block").asText());
        byte[] sealed = CIPHER.encrypt(CipherAlgorithm.SM4, key, new byte[16], RANDOM);
        assertThat(sealed).hasSize(32); // no IV sent; a whole block of PKCS#7 padding after 16 bytes
        assertThat(Arrays.copyOf(sealed, 16)).isEqualTo(hex(PRIMITIVES.path("sm4_block_ciphertext_hex").asText()));
        assertThat(CIPHER.decrypt(CipherAlgorithm.SM4, key, sealed)).isEqualTo(new byte[16]);
    }

    @Test
    void theSdksEncryptedGetSiteInfoIsSm4OfItsPlaintextMessage() throws Exception {
        byte[] key = hex(ENCRYPTED.path("inputs").path("session_key_hex").asText());
        assertThat(ENCRYPTED.path("inputs").path("iv_hex").asText())
                .isEqualTo(ENCRYPTED.path("inputs").path("session_key_hex").asText());
        byte[] plain = hex(ENCRYPTED.path("plaintext_message_hex").asText());
        byte[] ciphertext = hex(ENCRYPTED.path("ciphertext_hex").asText());
        assertThat(CIPHER.encrypt(CipherAlgorithm.SM4, key, plain, RANDOM)).isEqualTo(ciphertext);
        assertThat(CIPHER.decrypt(CipherAlgorithm.SM4, key, ciphertext)).isEqualTo(plain);
    }

    @Test
    void theVectorsWrappedSessionKeyUnwrapsWithTheIdentitysSm2Key() throws Exception {
        byte[] wrapped = hex(SETUP_REPLY.path("wrapped_c1c3c2_hex").asText());
        SessionKeyWrap.SessionKey unwrapped = WRAP.unwrap(sm2Private("sm2_user"), wrapped);
        assertThat(unwrapped.algorithm()).isEqualTo(CipherAlgorithm.SM4);
        assertThat(unwrapped.key()).isEqualTo(hex(SETUP_REPLY.path("inputs").path("session_key_hex").asText()));
        assertThat(WRAP.decrypt(sm2Private("sm2_user"), wrapped))
                .isEqualTo(hex(SETUP_REPLY.path("wrapped_plaintext_hex").asText()));
        // C1 without its 04, as some SM2 encoders write it: put back and read the same.
        assertThat(WRAP.unwrap(sm2Private("sm2_user"), Arrays.copyOfRange(wrapped, 1, wrapped.length)).key())
                .isEqualTo(unwrapped.key());
    }

    @Test
    void theSm2WrapIsTheVectorsByteForByteWithItsK() throws Exception {
        byte[] k = hex(SETUP_REPLY.path("inputs").path("k").asText());
        byte[] wrapped = WRAP.wrap(sm2Public("sm2_user"), CipherAlgorithm.SM4,
                hex(SETUP_REPLY.path("inputs").path("session_key_hex").asText()), fixed(k));
        assertThat(wrapped).isEqualTo(hex(SETUP_REPLY.path("wrapped_c1c3c2_hex").asText()));
        assertThat(wrapped).hasSize(65 + 32 + 20); // C1 ‖ C3 ‖ C2, C2 as long as cipher code and key
    }

    @Test
    void thePublishedSm2EncryptionExampleDecrypts() throws Exception {
        byte[] plain = WRAP.decrypt(sm2Private("sm2_user"), hex(PRIMITIVES.path("ciphertext_c1c3c2_hex").asText()));
        assertThat(new String(plain, StandardCharsets.US_ASCII))
                .isEqualTo(PRIMITIVES.path("inputs").path("encrypt_message_ascii").asText());
    }

    @Test
    void anotherSm2KeyCannotUnwrapAndATamperedWrapFails() throws Exception {
        byte[] wrapped = hex(SETUP_REPLY.path("wrapped_c1c3c2_hex").asText());
        assertThatThrownBy(() -> WRAP.unwrap(sm2Private("sm2_signer"), wrapped))
                .isInstanceOf(MalformedCryptoInputException.class).hasMessageContaining("does not decrypt");
        byte[] tampered = CryptoFixtures.flipBit(wrapped, wrapped.length - 1);
        assertThatThrownBy(() -> WRAP.unwrap(sm2Private("sm2_user"), tampered))
                .isInstanceOf(MalformedCryptoInputException.class);
        assertThatThrownBy(() -> WRAP.unwrap(sm2Private("sm2_user"), new byte[10]))
                .isInstanceOf(MalformedCryptoInputException.class);
    }

    @Test
    void rsaWrapsArePkcs1AndOnlyTheirOwnKeyUnwraps() throws Exception {
        KeyFiles files = new KeyFiles(PROVIDERS);
        KeyPair rsa = files.generateRsa(RANDOM);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        assertThat(SessionKeyWrap.cipherFor(rsa.getPublic())).isEqualTo(CipherAlgorithm.AES);
        byte[] wrapped = WRAP.wrap(rsa.getPublic(), CipherAlgorithm.AES, key, RANDOM);
        assertThat(wrapped).hasSize(256);
        // Independently: the JDK's RSA/ECB/PKCS1Padding reads i32 3 ‖ key.
        Cipher jdk = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        jdk.init(Cipher.DECRYPT_MODE, rsa.getPrivate());
        byte[] plain = jdk.doFinal(wrapped);
        assertThat(Arrays.copyOf(plain, 4)).containsExactly(0, 0, 0, 3);
        assertThat(Arrays.copyOfRange(plain, 4, plain.length)).isEqualTo(key);

        SessionKeyWrap.SessionKey unwrapped = WRAP.unwrap(rsa.getPrivate(), wrapped);
        assertThat(unwrapped.algorithm()).isEqualTo(CipherAlgorithm.AES);
        assertThat(unwrapped.key()).isEqualTo(key);
        assertThatThrownBy(() -> WRAP.unwrap(files.generateRsa(RANDOM).getPrivate(), wrapped))
                .isInstanceOf(MalformedCryptoInputException.class);
    }

    @Test
    void keysThatCannotEncryptAreRefused() throws Exception {
        KeyFiles files = new KeyFiles(PROVIDERS);
        for (SignatureAlgorithm alg : new SignatureAlgorithm[] {SignatureAlgorithm.DSA, SignatureAlgorithm.ECDSA_P256,
                SignatureAlgorithm.ED25519}) {
            KeyPair pair = files.generate(alg, RANDOM);
            assertThatThrownBy(() -> SessionKeyWrap.cipherFor(pair.getPublic()))
                    .as(alg.name()).isInstanceOf(UnsupportedAlgorithmException.class)
                    .hasMessageContaining("cannot carry a session key");
            assertThatThrownBy(() -> WRAP.wrap(pair.getPublic(), CipherAlgorithm.AES, new byte[16], RANDOM))
                    .as(alg.name()).isInstanceOf(UnsupportedAlgorithmException.class);
        }
        assertThat(SessionKeyWrap.cipherFor(sm2Public("sm2_user"))).isEqualTo(CipherAlgorithm.SM4);
        assertThatThrownBy(() -> CipherAlgorithm.forCode(5)).isInstanceOf(UnsupportedAlgorithmException.class)
                .hasMessageContaining("4 (SM4)");
    }

    @ParameterizedTest
    @EnumSource(value = CipherAlgorithm.class, names = {"DES", "DESEDE", "AES"})
    void theStockCiphersSendTheirIvFirstInCbc(CipherAlgorithm algorithm) throws Exception {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] plain = "header, body and credential".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = CIPHER.encrypt(algorithm, key, plain, RANDOM);
        int iv = algorithm.blockLength();
        assertThat(sealed.length - iv).isEqualTo((plain.length / iv + 1) * iv);
        Cipher jdk = Cipher.getInstance(algorithm.jcaName() + "/CBC/PKCS5Padding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 0, algorithm.keyLength(), algorithm.jcaName()),
                new IvParameterSpec(sealed, 0, iv));
        assertThat(jdk.doFinal(sealed, iv, sealed.length - iv)).isEqualTo(plain);
        assertThat(CIPHER.decrypt(algorithm, key, sealed)).isEqualTo(plain);
        // Two encryptions differ by their IVs; a wrong key does not decrypt; broken lengths are refused.
        assertThat(CIPHER.encrypt(algorithm, key, plain, RANDOM)).isNotEqualTo(sealed);
        byte[] other = key.clone();
        other[0] ^= 0x55;
        other[algorithm.keyLength() - 1] ^= 0x55;
        assertThatThrownBy(() -> CIPHER.decrypt(algorithm, other, sealed)).isInstanceOf(
                MalformedCryptoInputException.class);
        assertThatThrownBy(() -> CIPHER.decrypt(algorithm, key, Arrays.copyOf(sealed, sealed.length - 1)))
                .isInstanceOf(MalformedCryptoInputException.class).hasMessageContaining("whole");
    }

    @Test
    void sm4RefusesWrongKeysAndBrokenLengths() throws Exception {
        byte[] key = hex(ENCRYPTED.path("inputs").path("session_key_hex").asText());
        byte[] ciphertext = hex(ENCRYPTED.path("ciphertext_hex").asText());
        byte[] other = key.clone();
        other[3] ^= 1;
        assertThatThrownBy(() -> CIPHER.decrypt(CipherAlgorithm.SM4, other, ciphertext))
                .isInstanceOf(MalformedCryptoInputException.class);
        assertThatThrownBy(() -> CIPHER.decrypt(CipherAlgorithm.SM4, key, Arrays.copyOf(ciphertext, 40)))
                .isInstanceOf(MalformedCryptoInputException.class).hasMessageContaining("whole SM4 blocks");
        assertThatThrownBy(() -> CIPHER.decrypt(CipherAlgorithm.SM4, key, new byte[0]))
                .isInstanceOf(MalformedCryptoInputException.class);
    }

    static PrivateKey sm2Private(String name) throws Exception {
        return PROVIDERS.bouncyCastle().keyFactory("EC").generatePrivate(new PKCS8EncodedKeySpec(
                hex(Vectors.file(Vectors.CN).path("keys").path(name).path("pkcs8_der_hex").asText())));
    }

    static PublicKey sm2Public(String name) throws Exception {
        return PROVIDERS.bouncyCastle().keyFactory("EC").generatePublic(new X509EncodedKeySpec(
                hex(Vectors.file(Vectors.CN).path("keys").path(name).path("spki_der_hex").asText())));
    }

    /** A random source that gives {@code k}: SM2 encryption draws its ephemeral scalar as one 32-byte read. */
    private static SecureRandom fixed(byte[] k) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(k, 0, bytes, 0, Math.min(k.length, bytes.length));
            }
        };
    }
}
