package io.idnode.crypto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.MalformedCryptoInputException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Session message encryption (handle-protocol.md §6.6): AES/CBC/PKCS5 with the first 16 key bytes, IV first. */
class SessionCipherTest {
    private final SessionCipher cipher = new SessionCipher(CryptoFixtures.PROVIDERS);
    private final byte[] key = new byte[32];
    private final SecureRandom random = new SecureRandom();

    SessionCipherTest() {
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
    }

    @Test
    void layoutIsIvThenAesCbcUnderTheFirst16KeyBytes() throws Exception {
        byte[] plain = "header body credential".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = cipher.encrypt(key, plain, random);
        assertThat(sealed.length).isEqualTo(16 + 32);
        // Decrypt independently with the JDK to pin the layout.
        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Arrays.copyOf(key, 16), "AES"),
                new IvParameterSpec(sealed, 0, 16));
        assertThat(c.doFinal(sealed, 16, sealed.length - 16)).isEqualTo(plain);
        assertThat(cipher.decrypt(key, sealed)).isEqualTo(plain);
    }

    @Test
    void freshIvPerMessage() {
        byte[] plain = new byte[40];
        assertThat(cipher.encrypt(key, plain, random))
                .isNotEqualTo(cipher.encrypt(key, plain, random));
    }

    @Test
    void wrongKeyOrBrokenLengthIsMalformedInput() {
        // A fixed IV keeps the outcome deterministic: a wrong key yields valid padding 1 time in ~256.
        SecureRandom zeroIv = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) 0);
            }
        };
        byte[] sealed = cipher.encrypt(key, new byte[50], zeroIv);
        byte[] other = key.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(other, sealed))
                .isInstanceOf(MalformedCryptoInputException.class)
                .hasMessage("encrypted message does not decrypt with the session key");
        for (int len : new int[] {0, 15, 16, 31, 33}) {
            assertThatThrownBy(() -> cipher.decrypt(key, new byte[len]))
                    .as("length %d", len).isInstanceOf(MalformedCryptoInputException.class)
                    .hasMessageContaining(len + " bytes");
        }
    }
}
