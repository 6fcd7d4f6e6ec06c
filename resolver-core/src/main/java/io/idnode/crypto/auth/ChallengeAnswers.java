package io.idnode.crypto.auth;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.HashAlgorithm;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.Pbkdf2;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import io.idnode.protocol.ProtocolVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;

/**
 * The {@code signedResponse} of a challenge answer (handle-protocol.md §6.2, §6.3), both sides. The data
 * proven is {@code nonce ‖ requestDigest} from the challenge. {@code HS_PUBKEY}: {@code str hashId} +
 * {@code bytes signature} (SM2 identities: cn-extensions.md §3.2). {@code HS_SECKEY}: {@code u8 alg} + MAC, alg 0x22 (PBKDF2-HMAC-SHA1 with salt,
 * iterations and key size carried in the answer) or alg 2 (legacy SHA-1), as clients write them; a server also
 * takes the other hash codes of the protocol's secret-key MACs, alg 0x13 (HMAC-SHA256 keyed by the secret), 0x12
 * (HMAC-SHA1 keyed by the secret) and 3 (SHA-256(secret ‖ data ‖ secret)), each followed by the bare MAC: the
 * forms the HTTP {@code Authorization: Handle} scheme names (§8.1). Versions are written as one number, e.g. 211
 * for 2.11. Thread-safe.
 */
public final class ChallengeAnswers {
    /** Secret-key answer algorithm: SHA-1(secret ‖ nonce ‖ digest ‖ secret), versions 2.1–2.6. */
    public static final int SECKEY_SHA1 = 2;
    /** Secret-key answer algorithm: SHA-256(secret ‖ nonce ‖ digest ‖ secret). */
    public static final int SECKEY_SHA256 = 3;
    /** Secret-key answer algorithm: HMAC-SHA1 keyed by the secret. */
    public static final int SECKEY_HMAC_SHA1 = 0x12;
    /** Secret-key answer algorithm: HMAC-SHA256 keyed by the secret. */
    public static final int SECKEY_HMAC_SHA256 = 0x13;
    /** Secret-key answer algorithm: HMAC-SHA1 keyed by PBKDF2-HMAC-SHA1 of the secret, from 2.7. */
    public static final int SECKEY_PBKDF2 = 0x22;
    /** PBKDF2 iterations a client writes. */
    public static final int PBKDF2_ITERATIONS = 10_000;
    /** PBKDF2 derived key size a client writes, in bits. */
    public static final int PBKDF2_KEY_BITS = 160;
    /** Most PBKDF2 iterations a server will compute for one answer; more is refused as a denial of service. */
    public static final int MAX_PBKDF2_ITERATIONS = 1_000_000;
    /** Largest PBKDF2 key size accepted, in bits. */
    public static final int MAX_PBKDF2_KEY_BITS = 1024;
    /** Largest PBKDF2 salt accepted, in bytes. */
    public static final int MAX_PBKDF2_SALT = 1024;

    private static final int SALT_LENGTH = 16;

    private final CryptoProviders providers;

    /** Challenge answers using the engines {@code providers} assigns to each algorithm. */
    public ChallengeAnswers(CryptoProviders providers) {
        this.providers = Objects.requireNonNull(providers, "providers");
    }

    /** The data an answer proves: {@code nonce ‖ digest} (§6.2). */
    public static byte[] signedData(byte[] nonce, byte[] digest) {
        byte[] out = Arrays.copyOf(nonce, nonce.length + digest.length);
        System.arraycopy(digest, 0, out, nonce.length, digest.length);
        return out;
    }

    // ---------------------------------------------------------------- HS_PUBKEY

    /**
     * Server side of an {@code HS_PUBKEY} answer of an RSA, DSA or P-256 identity: {@link #verifyPublicKeyAnswer(
     * PublicKey, String, byte[], byte[], byte[])} without an identity handle, which only SM2 answers need.
     *
     * @throws MalformedCryptoInputException if the answer is truncated or has trailing bytes
     * @throws UnsupportedAlgorithmException if it names an unknown hash, one undefined for the key, or SM3
     * @throws UnusableKeyException if the engine refuses the key
     */
    public boolean verifyPublicKeyAnswer(PublicKey key, byte[] nonce, byte[] digest, byte[] signedResponse)
            throws MalformedCryptoInputException, UnsupportedAlgorithmException, UnusableKeyException {
        return verifyPublicKeyAnswer(key, null, nonce, digest, signedResponse);
    }

    /**
     * Server side of an {@code HS_PUBKEY} answer given by {@code identityHandle}: verifies
     * {@code <hashId>with<key algorithm>} over {@code nonce ‖ digest} (§6.2); for an SM2 key with hash id
     * {@code SM3}, the SM2 signature over {@code SM3(nonce ‖ digest)} whose user ID is the identity handle's UTF-8
     * bytes, and with hash id {@code SHA-256} the SDK's secondary form (SHA-256 as SM2 hash, default user ID,
     * over {@code nonce ‖ digest}), cn-extensions.md §3.2. {@code false} for a wrong signature.
     *
     * @throws MalformedCryptoInputException if the answer is truncated or has trailing bytes
     * @throws UnsupportedAlgorithmException if it names an unknown hash, one undefined for the key, or SM3
     *         without an identity handle
     * @throws UnusableKeyException if the engine refuses the key
     */
    public boolean verifyPublicKeyAnswer(PublicKey key, String identityHandle, byte[] nonce, byte[] digest,
            byte[] signedResponse)
            throws MalformedCryptoInputException, UnsupportedAlgorithmException, UnusableKeyException {
        HashAlgorithm hash;
        byte[] signature;
        try {
            WireReader r = new WireReader(signedResponse);
            hash = HashAlgorithm.fromHashId(r.str("answer hash id"));
            signature = r.bytes("answer signature");
            r.expectEnd("public-key answer");
        } catch (CodecException e) {
            throw new MalformedCryptoInputException(e.getMessage());
        }
        byte[] data = signedData(nonce, digest);
        if (hash == HashAlgorithm.SM3) {
            if (identityHandle == null) {
                throw new UnsupportedAlgorithmException("an SM3 answer needs the identity handle as SM2 user ID");
            }
            if (SignatureAlgorithm.forKey(key) != SignatureAlgorithm.SM2) {
                throw new UnsupportedAlgorithmException("hash SM3 is not defined for "
                        + SignatureAlgorithm.forKey(key) + " signatures");
            }
            return CredentialVerifier.verifyRaw(providers, key, hash, sm3(data), signature, userId(identityHandle));
        }
        return CredentialVerifier.verifyRaw(providers, key, hash, data, signature, null);
    }

    /**
     * Client side of an {@code HS_PUBKEY} answer of an RSA, DSA or P-256 identity: {@link #signPublicKeyAnswer(
     * PrivateKey, String, byte[], byte[], int)} without the identity handle, which only SM2 keys need.
     *
     * @throws IllegalArgumentException if the key's algorithm has no registry entry, makes no answers, or is SM2
     */
    public byte[] signPublicKeyAnswer(PrivateKey key, byte[] nonce, byte[] digest, int challengeVersion) {
        return signPublicKeyAnswer(key, null, nonce, digest, challengeVersion);
    }

    /**
     * Client side of an {@code HS_PUBKEY} answer by {@code identityHandle} to a challenge of version
     * {@code challengeVersion}, with the hash the key's algorithm picks for it as the stock client does (§6.2):
     * SHA-256 from 2.7 (for DSA from 2.11), else SHA-1; P-256 always SHA-256; SM2 always the primary form of
     * cn-extensions.md §3.2 (hash id {@code SM3}, user ID = the identity handle).
     *
     * @throws IllegalArgumentException if the key's algorithm has no registry entry or makes no answers
     *         (Ed25519), or an SM2 key comes without identity handle
     */
    public byte[] signPublicKeyAnswer(PrivateKey key, String identityHandle, byte[] nonce, byte[] digest,
            int challengeVersion) {
        SignatureAlgorithm algorithm;
        HashAlgorithm hash;
        String alg;
        try {
            algorithm = SignatureAlgorithm.forKey(key);
            hash = algorithm.hashFor(challengeVersion);
            alg = algorithm.jcaSignature(hash);
        } catch (UnsupportedAlgorithmException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        byte[] data = signedData(nonce, digest);
        AlgorithmParameterSpec params = null;
        if (hash == HashAlgorithm.SM3) {
            if (identityHandle == null) {
                throw new IllegalArgumentException("an SM2 answer needs the identity handle as SM2 user ID");
            }
            data = sm3(data);
            params = userId(identityHandle);
        }
        byte[] sig;
        try {
            Signature s = providers.forAlgorithm(algorithm).signature(alg);
            if (params != null) {
                s.setParameter(params);
            }
            s.initSign(key);
            s.update(data);
            sig = s.sign();
        } catch (InvalidKeyException | SignatureException | InvalidAlgorithmParameterException e) {
            throw new CryptoEngineException(alg + " signing of a challenge answer failed", e);
        }
        ByteBuf out = Unpooled.buffer(16 + sig.length);
        try {
            WireWriter.str(out, hash.hashId());
            WireWriter.bytes(out, sig);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** SM3 of {@code data}: the message an SM2 answer signs (cn-extensions.md §3.2 step 1). */
    private byte[] sm3(byte[] data) {
        return providers.bouncyCastle().digest(HashAlgorithm.SM3.jcaDigest()).digest(data);
    }

    /** The SM2 user ID of an answer: the identity handle's UTF-8 bytes (cn-extensions.md §3.2 step 2). */
    private static AlgorithmParameterSpec userId(String identityHandle) {
        return new SM2ParameterSpec(identityHandle.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- HS_SECKEY

    /**
     * Server side of an {@code HS_SECKEY} answer: recomputes the MAC from the stored secret (for alg 0x22 with
     * the salt, iterations and key size taken from the answer, each bounded first); {@code false} for a wrong
     * MAC.
     *
     * @throws MalformedCryptoInputException if the answer is truncated, has trailing bytes or out-of-bounds
     *         parameters
     * @throws UnsupportedAlgorithmException if it names an algorithm other than 0x22 and 2
     */
    public boolean verifySecretKeyAnswer(byte[] secret, byte[] nonce, byte[] digest, byte[] signedResponse)
            throws MalformedCryptoInputException, UnsupportedAlgorithmException {
        try {
            WireReader r = new WireReader(signedResponse);
            int alg = r.u8("secret-key answer algorithm");
            byte[] data = signedData(nonce, digest);
            if (alg == SECKEY_PBKDF2) {
                byte[] salt = r.bytes("PBKDF2 salt");
                int iterations = r.i32("PBKDF2 iterations");
                int keyBits = r.i32("PBKDF2 key size");
                byte[] mac = r.bytes("PBKDF2 MAC");
                r.expectEnd("secret-key answer");
                checkPbkdf2(salt, iterations, keyBits);
                byte[] expected = pbkdf2Mac(secret, data, salt, iterations, keyBits);
                return MessageDigest.isEqual(expected, mac);
            }
            if (alg == SECKEY_SHA1 || alg == SECKEY_SHA256 || alg == SECKEY_HMAC_SHA1 || alg == SECKEY_HMAC_SHA256) {
                byte[] mac = r.raw(r.remaining(), "secret-key MAC");
                byte[] expected = bareMac(alg, secret, data);
                if (mac.length != expected.length) {
                    throw new MalformedCryptoInputException("secret-key answer (alg " + alg + ") of " + mac.length
                            + " bytes (" + expected.length + " expected)");
                }
                return MessageDigest.isEqual(expected, mac);
            }
            throw new UnsupportedAlgorithmException("unsupported secret-key answer algorithm " + alg
                    + " (0x22 PBKDF2-HMAC-SHA1, 0x13 HMAC-SHA256, 0x12 HMAC-SHA1, 3 SHA-256 and 2 SHA-1 are"
                    + " accepted)");
        } catch (CodecException e) {
            throw new MalformedCryptoInputException(e.getMessage());
        }
    }

    /**
     * Client side of an {@code HS_SECKEY} answer; {@code version} is the lower of the challenge's version and
     * its suggested version (§6.2): from 2.7 alg 0x22 with a random 16-byte salt, 10000 iterations and 160
     * bits; 2.1–2.6 alg 2.
     */
    public byte[] secretKeyAnswer(byte[] secret, byte[] nonce, byte[] digest, int version, SecureRandom random) {
        if (ProtocolVersion.fromNumber(version).answersSecretKeyWithPbkdf2()) {
            byte[] salt = new byte[SALT_LENGTH];
            random.nextBytes(salt);
            return pbkdf2Answer(secret, nonce, digest, salt, PBKDF2_ITERATIONS, PBKDF2_KEY_BITS);
        }
        if (ProtocolVersion.fromNumber(version).hasSecretKeyAnswers()) {
            byte[] mac = legacySha1(secret, signedData(nonce, digest));
            byte[] out = new byte[1 + mac.length];
            out[0] = SECKEY_SHA1;
            System.arraycopy(mac, 0, out, 1, mac.length);
            return out;
        }
        throw new IllegalArgumentException("secret-key answers below protocol 2.1 are not supported (version "
                + version + ")");
    }

    /**
     * An answer of one of the bare-MAC algorithms ({@link #SECKEY_HMAC_SHA256}, {@link #SECKEY_HMAC_SHA1},
     * {@link #SECKEY_SHA256}, {@link #SECKEY_SHA1}): the alg byte, then the MAC of {@code nonce ‖ digest}.
     */
    public byte[] bareMacAnswer(int alg, byte[] secret, byte[] nonce, byte[] digest) {
        byte[] mac = bareMac(alg, secret, signedData(nonce, digest));
        byte[] out = new byte[1 + mac.length];
        out[0] = (byte) alg;
        System.arraycopy(mac, 0, out, 1, mac.length);
        return out;
    }

    private byte[] bareMac(int alg, byte[] secret, byte[] data) {
        // HMAC pads its key with zeros to a block: an empty secret keys it as one zero byte does (the JCA refuses
        // an empty key).
        byte[] key = secret.length == 0 ? new byte[1] : secret;
        return switch (alg) {
            case SECKEY_HMAC_SHA256 -> providers.jdk().hmac("HmacSHA256", key, data);
            case SECKEY_HMAC_SHA1 -> providers.jdk().hmac("HmacSHA1", key, data);
            case SECKEY_SHA256 -> enclosed("SHA-256", secret, data);
            case SECKEY_SHA1 -> legacySha1(secret, data);
            default -> throw new IllegalArgumentException("not a bare-MAC secret-key algorithm: " + alg);
        };
    }

    /** An alg-0x22 answer with the given PBKDF2 parameters (deterministic; clients use a random salt). */
    public byte[] pbkdf2Answer(byte[] secret, byte[] nonce, byte[] digest, byte[] salt, int iterations,
            int keyBits) {
        byte[] mac = pbkdf2Mac(secret, signedData(nonce, digest), salt, iterations, keyBits);
        ByteBuf out = Unpooled.buffer(64);
        try {
            out.writeByte(SECKEY_PBKDF2);
            WireWriter.bytes(out, salt);
            out.writeInt(iterations);
            out.writeInt(keyBits);
            WireWriter.bytes(out, mac);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /**
     * PBKDF2WithHmacSHA1 of a secret whose bytes are taken as chars one for one ({@code b & 0xFF}), the
     * HMAC-SHA1 key of an alg-0x22 answer.
     */
    public byte[] pbkdf2Key(byte[] secret, byte[] salt, int iterations, int keyBits) {
        return Pbkdf2.derive(providers.jdk(), Objects.requireNonNull(secret, "secret"), salt, iterations, keyBits);
    }

    private byte[] pbkdf2Mac(byte[] secret, byte[] data, byte[] salt, int iterations, int keyBits) {
        byte[] key = pbkdf2Key(secret, salt, iterations, keyBits);
        try {
            return providers.jdk().hmac("HmacSHA1", key, data);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private byte[] legacySha1(byte[] secret, byte[] data) {
        return enclosed("SHA-1", secret, data);
    }

    /** {@code hash(secret ‖ data ‖ secret)}. */
    private byte[] enclosed(String hash, byte[] secret, byte[] data) {
        MessageDigest md = providers.jdk().digest(hash);
        md.update(secret);
        md.update(data);
        md.update(secret);
        return md.digest();
    }

    private static void checkPbkdf2(byte[] salt, int iterations, int keyBits) throws MalformedCryptoInputException {
        if (salt.length == 0 || salt.length > MAX_PBKDF2_SALT) {
            throw new MalformedCryptoInputException("PBKDF2 salt of " + salt.length + " bytes (1.." + MAX_PBKDF2_SALT
                    + " accepted)");
        }
        if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
            throw new MalformedCryptoInputException("PBKDF2 iteration count " + iterations + " (1.."
                    + MAX_PBKDF2_ITERATIONS + " accepted)");
        }
        if (keyBits < 8 || keyBits > MAX_PBKDF2_KEY_BITS || keyBits % 8 != 0) {
            throw new MalformedCryptoInputException("PBKDF2 key size " + keyBits + " bits (a multiple of 8 up to "
                    + MAX_PBKDF2_KEY_BITS + " accepted)");
        }
    }
}
