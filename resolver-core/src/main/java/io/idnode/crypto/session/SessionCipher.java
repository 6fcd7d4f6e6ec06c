package io.idnode.crypto.session;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.JcaEngines;
import io.idnode.crypto.MalformedCryptoInputException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption of whole messages inside a session (handle-protocol.md §6.6), cipher 3 from protocol 2.4:
 * AES/CBC/PKCS5Padding keyed with the first 16 bytes of the session key, sent as {@code IV ‖ ciphertext}
 * with a fresh 16-byte IV per message. Thread-safe.
 */
public final class SessionCipher {
    /** AES key length taken from the 32-byte session key (§6.5). */
    public static final int AES_KEY_LENGTH = 16;
    /** AES block and IV length. */
    public static final int IV_LENGTH = 16;

    private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";

    private final JcaEngines engines;

    /** A cipher whose AES engine is the JDK's of {@code providers}. */
    public SessionCipher(CryptoProviders providers) {
        this.engines = providers.jdk();
    }

    /** {@code IV ‖ AES-CBC(plain)} with a random IV. */
    public byte[] encrypt(byte[] sessionKey, byte[] plain, SecureRandom random) {
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        byte[] ct;
        try {
            Cipher c = engines.cipher(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, aesKey(sessionKey), new IvParameterSpec(iv));
            ct = c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new CryptoEngineException("AES encryption of a session message failed", e);
        }
        byte[] out = Arrays.copyOf(iv, IV_LENGTH + ct.length);
        System.arraycopy(ct, 0, out, IV_LENGTH, ct.length);
        return out;
    }

    /**
     * The plaintext of {@code IV ‖ ciphertext}.
     *
     * @throws MalformedCryptoInputException if the input is not an IV and whole blocks, or does not decrypt
     *         with valid padding under this key
     */
    public byte[] decrypt(byte[] sessionKey, byte[] ivAndCiphertext) throws MalformedCryptoInputException {
        int len = ivAndCiphertext.length;
        if (len < 2 * IV_LENGTH || len % IV_LENGTH != 0) {
            throw new MalformedCryptoInputException("encrypted message of " + len
                    + " bytes is not an IV and whole AES blocks");
        }
        try {
            Cipher c = engines.cipher(TRANSFORMATION);
            c.init(Cipher.DECRYPT_MODE, aesKey(sessionKey), new IvParameterSpec(ivAndCiphertext, 0, IV_LENGTH));
            return c.doFinal(ivAndCiphertext, IV_LENGTH, len - IV_LENGTH);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            // A wrong key shows up as bad padding: the message was not made with this session's key.
            throw new MalformedCryptoInputException("encrypted message does not decrypt with the session key");
        } catch (GeneralSecurityException e) {
            throw new CryptoEngineException("AES decryption of a session message could not start", e);
        }
    }

    private static SecretKeySpec aesKey(byte[] sessionKey) {
        if (sessionKey.length < AES_KEY_LENGTH) {
            throw new IllegalArgumentException("session key of " + sessionKey.length + " bytes is too short for AES");
        }
        return new SecretKeySpec(sessionKey, 0, AES_KEY_LENGTH, "AES");
    }
}
