package io.idnode.crypto.session;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.JcaEngines;
import io.idnode.crypto.MalformedCryptoInputException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption of whole messages with a session key (handle-protocol.md §6.6, cn-extensions.md §4), for every
 * {@link CipherAlgorithm}: DES, DESede and AES in CBC as {@code IV ‖ ciphertext} with a fresh IV per message
 * (from protocol 2.4); SM4 in CBC with IV = key and no IV sent, as China's industrial SDK does. The two-argument
 * forms are AES, the cipher of Diffie-Hellman sessions. Thread-safe.
 */
public final class SessionCipher {
    /** AES key length taken from the 32-byte session key (§6.5). */
    public static final int AES_KEY_LENGTH = CipherAlgorithm.AES.keyLength();
    /** AES block and IV length. */
    public static final int IV_LENGTH = CipherAlgorithm.AES.blockLength();

    private final CryptoProviders providers;

    /** A cipher whose engines come from {@code providers}: the JDK's for DES, DESede and AES, BouncyCastle's for SM4. */
    public SessionCipher(CryptoProviders providers) {
        this.providers = Objects.requireNonNull(providers, "providers");
    }

    /** {@code IV ‖ AES-CBC(plain)} with a random IV. */
    public byte[] encrypt(byte[] sessionKey, byte[] plain, SecureRandom random) {
        return encrypt(CipherAlgorithm.AES, sessionKey, plain, random);
    }

    /**
     * The plaintext of {@code IV ‖ ciphertext} under AES.
     *
     * @throws MalformedCryptoInputException if the input is not an IV and whole blocks, or does not decrypt
     *         with valid padding under this key
     */
    public byte[] decrypt(byte[] sessionKey, byte[] ivAndCiphertext) throws MalformedCryptoInputException {
        return decrypt(CipherAlgorithm.AES, sessionKey, ivAndCiphertext);
    }

    /**
     * {@code plain} encrypted with {@code algorithm} under {@code key}: {@code IV ‖ ciphertext} with an IV drawn
     * from {@code random}, or for SM4 the ciphertext alone.
     *
     * @throws IllegalArgumentException if {@code key} is shorter than the cipher's key length
     */
    public byte[] encrypt(CipherAlgorithm algorithm, byte[] key, byte[] plain, SecureRandom random) {
        byte[] iv = algorithm.ivSent() ? new byte[algorithm.blockLength()] : null;
        if (iv != null) {
            random.nextBytes(iv);
        }
        byte[] ct;
        try {
            Cipher c = engines(algorithm).cipher(algorithm.transformation());
            c.init(Cipher.ENCRYPT_MODE, secretKey(algorithm, key), iv(algorithm, key, iv, 0));
            ct = c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new CryptoEngineException(algorithm.jcaName() + " encryption of a session message failed", e);
        }
        if (iv == null) {
            return ct;
        }
        byte[] out = Arrays.copyOf(iv, iv.length + ct.length);
        System.arraycopy(ct, 0, out, iv.length, ct.length);
        return out;
    }

    /**
     * The plaintext of a message encrypted with {@code algorithm} under {@code key} ({@code IV ‖ ciphertext},
     * or for SM4 the ciphertext alone).
     *
     * @throws MalformedCryptoInputException if the input is not (an IV and) whole blocks, or does not decrypt
     *         with valid padding under this key
     */
    public byte[] decrypt(CipherAlgorithm algorithm, byte[] key, byte[] message) throws MalformedCryptoInputException {
        int block = algorithm.blockLength();
        int ivLength = algorithm.ivSent() ? block : 0;
        int len = message.length;
        if (len < ivLength + block || len % block != 0) {
            throw new MalformedCryptoInputException("encrypted message of " + len + " bytes is not "
                    + (ivLength > 0 ? "an IV and " : "") + "whole " + algorithm.jcaName() + " blocks");
        }
        try {
            Cipher c = engines(algorithm).cipher(algorithm.transformation());
            c.init(Cipher.DECRYPT_MODE, secretKey(algorithm, key), iv(algorithm, key, message, 0));
            return c.doFinal(message, ivLength, len - ivLength);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            // A wrong key shows up as bad padding: the message was not made with this session's key.
            throw new MalformedCryptoInputException("encrypted message does not decrypt with the session key");
        } catch (GeneralSecurityException e) {
            throw new CryptoEngineException(algorithm.jcaName() + " decryption of a session message could not start", e);
        }
    }

    private JcaEngines engines(CipherAlgorithm algorithm) {
        return algorithm.source() == CryptoProviders.Source.JDK ? providers.jdk() : providers.bouncyCastle();
    }

    /** The IV: the first block of {@code from} at {@code off} when IVs are sent, else the key's first block. */
    private static IvParameterSpec iv(CipherAlgorithm algorithm, byte[] key, byte[] from, int off) {
        return algorithm.ivSent() ? new IvParameterSpec(from, off, algorithm.blockLength())
                : new IvParameterSpec(key, 0, algorithm.blockLength());
    }

    private static SecretKeySpec secretKey(CipherAlgorithm algorithm, byte[] key) {
        if (key.length < algorithm.keyLength()) {
            throw new IllegalArgumentException("session key of " + key.length + " bytes is too short for "
                    + algorithm.jcaName() + " (" + algorithm.keyLength() + ")");
        }
        return new SecretKeySpec(key, 0, algorithm.keyLength(), algorithm.jcaName());
    }
}
