package io.idnode.crypto.session;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;

/**
 * The session key of SESSION_SETUP mode 3, "key in a handle" (handle-protocol.md §6.5, cn-extensions.md §4):
 * {@code i32 cipherAlg ‖ key} encrypted to the identity's public key, RSA with PKCS#1 v1.5 padding or SM2
 * public-key encryption with SM3 in the order C1‖C3‖C2 (C1 the uncompressed point with its {@code 04}). The
 * node wraps, the client unwraps; a C1 without its {@code 04}, as some SM2 encoders write it, unwraps too.
 * RSA comes from the JDK's providers, SM2 from BouncyCastle's. Thread-safe.
 */
public final class SessionKeyWrap {
    /** Bytes of C1 (the uncompressed point) and C3 (SM3) in an SM2 ciphertext on a 256-bit curve. */
    private static final int SM2_OVERHEAD = 65 + 32;

    private final CryptoProviders providers;

    /** Wraps and unwraps with the engines of {@code providers}. */
    public SessionKeyWrap(CryptoProviders providers) {
        this.providers = Objects.requireNonNull(providers, "providers");
    }

    /** A session key and the cipher it is for, as unwrapped by a client. */
    public record SessionKey(CipherAlgorithm algorithm, byte[] key) {
        public SessionKey {
            Objects.requireNonNull(algorithm, "algorithm");
            key = key.clone();
        }

        /** A copy of the key bytes. */
        @Override
        public byte[] key() {
            return key.clone();
        }
    }

    /**
     * The cipher a session keyed to {@code exchangeKey} uses: SM4 for an SM2 key (as China's SDK expects), AES
     * for an RSA key.
     *
     * @throws UnsupportedAlgorithmException if the key can carry no session key (DSA, P-256, Ed25519)
     */
    public static CipherAlgorithm cipherFor(PublicKey exchangeKey) throws UnsupportedAlgorithmException {
        return switch (kind(exchangeKey)) {
            case SM2 -> CipherAlgorithm.SM4;
            default -> CipherAlgorithm.AES;
        };
    }

    /**
     * {@code i32 algorithm ‖ key} encrypted to {@code exchangeKey} (RSA or SM2), with randomness from {@code random}.
     *
     * @throws UnsupportedAlgorithmException if the key is neither RSA nor SM2
     * @throws UnusableKeyException if the engine refuses the key (e.g. an RSA key too short for the block)
     */
    public byte[] wrap(PublicKey exchangeKey, CipherAlgorithm algorithm, byte[] key, SecureRandom random)
            throws UnsupportedAlgorithmException, UnusableKeyException {
        byte[] plain = ByteBuffer.allocate(4 + key.length).putInt(algorithm.code()).put(key).array();
        try {
            return encrypt(exchangeKey, plain, random);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The cipher and key {@code wrapped} carries, decrypted with {@code privateKey} (RSA or SM2).
     *
     * @throws UnsupportedAlgorithmException if the key is neither RSA nor SM2, or the cipher code is unknown
     * @throws MalformedCryptoInputException if {@code wrapped} does not decrypt with this key, or holds no key
     *         long enough for its cipher
     */
    public SessionKey unwrap(PrivateKey privateKey, byte[] wrapped)
            throws UnsupportedAlgorithmException, MalformedCryptoInputException {
        byte[] plain = decrypt(privateKey, wrapped);
        try {
            if (plain.length < 4) {
                throw new MalformedCryptoInputException("wrapped session key of " + plain.length
                        + " bytes has no cipher code");
            }
            CipherAlgorithm algorithm = CipherAlgorithm.forCode(ByteBuffer.wrap(plain).getInt());
            if (plain.length - 4 < algorithm.keyLength()) {
                throw new MalformedCryptoInputException("wrapped " + algorithm.jcaName() + " key of "
                        + (plain.length - 4) + " bytes is shorter than " + algorithm.keyLength());
            }
            return new SessionKey(algorithm, Arrays.copyOfRange(plain, 4, plain.length));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * {@code plain} encrypted to {@code publicKey}: RSA PKCS#1 v1.5, or SM2 (SM3, C1‖C3‖C2).
     *
     * @throws UnsupportedAlgorithmException if the key is neither RSA nor SM2
     * @throws UnusableKeyException if the engine refuses the key or the input (too long for an RSA block)
     */
    public byte[] encrypt(PublicKey publicKey, byte[] plain, SecureRandom random)
            throws UnsupportedAlgorithmException, UnusableKeyException {
        try {
            Cipher c = cipher(kind(publicKey));
            c.init(Cipher.ENCRYPT_MODE, publicKey, random);
            return c.doFinal(plain);
        } catch (InvalidKeyException | IllegalBlockSizeException | BadPaddingException e) {
            throw new UnusableKeyException("public key refused for encryption: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new CryptoEngineException("public-key encryption could not start", e);
        }
    }

    /**
     * The plaintext of {@code ciphertext}, decrypted with {@code privateKey} (RSA or SM2; an SM2 C1 without its
     * {@code 04} is accepted).
     *
     * @throws UnsupportedAlgorithmException if the key is neither RSA nor SM2
     * @throws MalformedCryptoInputException if the ciphertext does not decrypt with this key
     */
    public byte[] decrypt(PrivateKey privateKey, byte[] ciphertext)
            throws UnsupportedAlgorithmException, MalformedCryptoInputException {
        SignatureAlgorithm kind = kind(privateKey);
        byte[] input = ciphertext;
        if (kind == SignatureAlgorithm.SM2 && ciphertext.length >= SM2_OVERHEAD - 1 && ciphertext[0] != 0x04) {
            // C1 written without its point-format byte: put it back.
            input = new byte[ciphertext.length + 1];
            input[0] = 0x04;
            System.arraycopy(ciphertext, 0, input, 1, ciphertext.length);
        }
        try {
            Cipher c = cipher(kind);
            c.init(Cipher.DECRYPT_MODE, privateKey);
            return c.doFinal(input);
        } catch (InvalidKeyException e) {
            throw new MalformedCryptoInputException("private key refused for decryption: " + e.getMessage());
        } catch (IllegalBlockSizeException | BadPaddingException | IllegalArgumentException | IllegalStateException e) {
            // A wrong key fails the SM2 check value (C3) or the PKCS#1 padding; BouncyCastle reports a point off
            // the curve as an unchecked exception.
            throw new MalformedCryptoInputException("ciphertext does not decrypt with this key");
        } catch (GeneralSecurityException e) {
            throw new CryptoEngineException("public-key decryption could not start", e);
        }
    }

    private Cipher cipher(SignatureAlgorithm kind) {
        return kind == SignatureAlgorithm.SM2 ? providers.bouncyCastle().cipher("SM2/C1C3C2/NoPadding")
                : providers.jdk().cipher("RSA/ECB/PKCS1Padding");
    }

    /** RSA or SM2, the two kinds of key a session key can be wrapped for (§4). */
    private static SignatureAlgorithm kind(Key key) throws UnsupportedAlgorithmException {
        SignatureAlgorithm kind = SignatureAlgorithm.forKey(key);
        if (kind != SignatureAlgorithm.RSA && kind != SignatureAlgorithm.SM2) {
            throw new UnsupportedAlgorithmException(kind.keyName() + " key cannot carry a session key (RSA or SM2 only)");
        }
        return kind;
    }
}
