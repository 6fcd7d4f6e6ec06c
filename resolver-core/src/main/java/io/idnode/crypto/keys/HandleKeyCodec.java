package io.idnode.crypto.keys;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.JcaEngines;
import io.idnode.crypto.Pbkdf2;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import io.idnode.crypto.WrongPassphraseException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Handle binary key encodings of handle-protocol.md §5.4: HS_PUBKEY data of every
 * {@link SignatureAlgorithm} (type from the registry, fields from the algorithm's {@link KeyEncoding}) and
 * {@value #DH_PUB_KEY} of session setup (§6.5); private keys; the private-key file wrapper (encryption type 1
 * plain, 4 PBKDF2/AES-CBC). Keys are made by the engines the {@link CryptoProviders} assign to each algorithm.
 * Integers are written as {@link BigInteger#toByteArray()} (as the library does) and read as unsigned.
 * Thread-safe.
 */
public final class HandleKeyCodec {
    /** Key type of a Diffie-Hellman public key, used only by session setup (§6.5). */
    public static final String DH_PUB_KEY = "DH_PUB_KEY";

    /** Private-key file encryption type: no passphrase (§5.4). */
    public static final int FILE_UNENCRYPTED = 1;
    /** Private-key file encryption type: PBKDF2WithHmacSHA1 + AES/CBC/PKCS5Padding (§5.4). */
    public static final int FILE_PBKDF2_AES = 4;
    /** PBKDF2 iterations the library writes into encrypted key files. */
    public static final int FILE_ITERATIONS = 10_000;
    /** AES key size the library writes into encrypted key files. */
    public static final int FILE_KEY_BITS = 128;

    /** Largest key integer accepted, in bits (the JDK's own RSA ceiling); bounds work done on hostile keys. */
    public static final int MAX_KEY_BITS = 16_384;
    /** Most PBKDF2 iterations accepted from a key file. */
    public static final int MAX_FILE_ITERATIONS = 10_000_000;

    private static final int MAX_SALT_BYTES = 1024;
    /** Base64 characters per PEM line in the untyped form, as China's SDK writes it (cn-extensions.md §2.1). */
    private static final int PEM_LINE = 76;
    private static final String FILE_CIPHER = "AES/CBC/PKCS5Padding";

    private final CryptoProviders providers;

    /** A codec whose keys are made by the engines {@code providers} assigns to each algorithm. */
    public HandleKeyCodec(CryptoProviders providers) {
        this.providers = Objects.requireNonNull(providers, "providers");
    }

    // ---------------------------------------------------------------- public keys

    /**
     * Decodes HS_PUBKEY data in any form cn-extensions.md §2.2 lists: data that starts with {@code -----BEGIN}
     * is the untyped PEM text of a SubjectPublicKeyInfo (form A, any registry algorithm); otherwise
     * {@code str keyType}, {@code u16 flags}, then the fields of the type (§5.4; {@code SM2_PUB_KEY} with a DER
     * or PEM field, form B). Trailing bytes after typed fields are ignored as the library ignores them (it pads
     * RSA keys with four zero bytes).
     *
     * @throws UnsupportedAlgorithmException if the key type (or the PEM key's algorithm) is neither in the
     *         registry nor {@value #DH_PUB_KEY}
     * @throws UnusableKeyException if the data is truncated, a field is zero or too large, an EC point is off its
     *         curve, or the engine refuses it
     */
    public PublicKey decodePublicKey(byte[] data) throws UnsupportedAlgorithmException, UnusableKeyException {
        if (KeyDer.looksLikePem(data)) {
            if (data.length > SpkiKeyEncoding.MAX_FIELD_BYTES) {
                throw new UnusableKeyException("PEM public key of " + data.length + " bytes is too large");
            }
            byte[] der = KeyDer.pemBody(new String(data, StandardCharsets.US_ASCII), KeyDer.PUBLIC_LABEL);
            return KeyDer.publicKey(providers, der);
        }
        try {
            WireReader r = new WireReader(data);
            String type = r.str("key type");
            r.u16("key flags");
            if (type.equals(DH_PUB_KEY)) {
                BigInteger y = KeyIntegers.read(r, "DH y");
                BigInteger p = KeyIntegers.read(r, "DH p");
                BigInteger g = KeyIntegers.read(r, "DH g");
                return publicKey(providers.jdk(), "DH", new DHPublicKeySpec(y, p, g), type);
            }
            SignatureAlgorithm alg = SignatureAlgorithm.forHandleKeyType(type).orElseThrow(() ->
                    new UnsupportedAlgorithmException("unknown public key type \"" + CryptoException.printable(type)
                            + "\" (expected " + CryptoException.oneOf(publicKeyTypes()) + ")"));
            KeySpec spec = KeyEncoding.of(alg).readPublic(r);
            return publicKey(providers.forAlgorithm(alg), alg.jcaKeyAlgorithm(), spec, type);
        } catch (CodecException e) {
            throw new UnusableKeyException(e.getMessage());
        }
    }

    /**
     * Encodes a public key of a registry algorithm or a DH public key as HS_PUBKEY data: typed, byte for byte
     * as the library writes it (including the four zero bytes it appends to RSA keys; {@code SM2_PUB_KEY} with
     * a DER field); for algorithms without a Handle key type (P-256, Ed25519) the untyped PEM of
     * {@link #encodePublicKeyPem}.
     *
     * @throws IllegalArgumentException for a key of another algorithm, or one that does not expose its fields
     */
    public byte[] encodePublicKey(PublicKey key) {
        Objects.requireNonNull(key, "key");
        ByteBuf out = Unpooled.buffer(512);
        try {
            if (key instanceof DHPublicKey dh) {
                DHParameterSpec params = dh.getParams();
                WireWriter.str(out, DH_PUB_KEY);
                out.writeShort(0);
                KeyIntegers.write(out, dh.getY(), params.getP(), params.getG());
            } else {
                SignatureAlgorithm alg = algorithmOf(key, "public");
                if (alg.handleKeyType().isEmpty()) {
                    return encodePublicKeyPem(key);
                }
                WireWriter.str(out, alg.handleKeyType().get());
                out.writeShort(0);
                KeyEncoding.of(alg).writePublic(key, out);
            }
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /**
     * HS_PUBKEY data in the untyped form of China's SDK (cn-extensions.md §2.2 form A): the PEM text of the
     * X.509 SubjectPublicKeyInfo as that SDK writes it, base64 in 76-character lines, every line ending CRLF.
     * Readable by that SDK for RSA and SM2 identities; the only HS_PUBKEY form of P-256 and Ed25519 keys.
     *
     * @throws IllegalArgumentException for a key without registry entry or X.509 encoding
     */
    public byte[] encodePublicKeyPem(PublicKey key) {
        algorithmOf(key, "public");
        byte[] der = key.getEncoded();
        if (der == null || !"X.509".equals(key.getFormat())) {
            throw new IllegalArgumentException(key.getAlgorithm() + " public key has no X.509 encoding");
        }
        return KeyDer.pem(KeyDer.PUBLIC_LABEL, der, PEM_LINE, "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- private keys

    /**
     * Decodes a private key encoding (§5.4, no flags field); trailing bytes are ignored.
     *
     * @throws UnsupportedAlgorithmException if no registry algorithm has an encoding of that type
     * @throws UnusableKeyException if the data is truncated, a field is zero or too large, or the engine refuses it
     */
    public PrivateKey decodePrivateKey(byte[] data) throws UnsupportedAlgorithmException, UnusableKeyException {
        try {
            return decodePrivateKey(new WireReader(data));
        } catch (CodecException e) {
            throw new UnusableKeyException(e.getMessage());
        }
    }

    /**
     * Encodes a private key of a registry algorithm as the library does, e.g. {@code RSA_PRIVCRT_KEY} when the
     * CRT factors are known, else {@code RSA_PRIV_KEY}.
     *
     * @throws IllegalArgumentException for a key of another algorithm, or one that does not expose its fields
     */
    public byte[] encodePrivateKey(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        SignatureAlgorithm alg = algorithmOf(key, "private");
        ByteBuf out = Unpooled.buffer(1024);
        try {
            KeyEncoding.of(alg).writePrivate(key, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    // ---------------------------------------------------------------- private-key files

    /**
     * Opens a private-key file (§5.4): type 1 holds the key encoding, type 4 encrypts it with a key derived
     * from {@code passphrase} (may be {@code null} for type 1).
     *
     * @throws UnsupportedAlgorithmException for the legacy DES types 0, 2 and 3, an unknown type, or a key
     *         type without encoding
     * @throws UnusableKeyException if the file is truncated or its parameters are out of bounds
     * @throws WrongPassphraseException if an encrypted file does not open with {@code passphrase}
     */
    public PrivateKey decodePrivateKeyFile(byte[] file, char[] passphrase)
            throws UnsupportedAlgorithmException, UnusableKeyException, WrongPassphraseException {
        try {
            WireReader r = new WireReader(file);
            int encType = r.i32("key file encryption type");
            switch (encType) {
                case FILE_UNENCRYPTED -> {
                    return decodePrivateKey(r);
                }
                case FILE_PBKDF2_AES -> {
                    return decodeDecrypted(decryptAes(r, passphrase));
                }
                case 0, 2, 3 -> throw new UnsupportedAlgorithmException("key file encryption type " + encType
                        + " (legacy DES/DESede) is not supported; re-save the key with type " + FILE_PBKDF2_AES);
                default -> throw new UnsupportedAlgorithmException("unknown key file encryption type " + encType);
            }
        } catch (CodecException e) {
            throw new UnusableKeyException(e.getMessage());
        }
    }

    /**
     * A type-1 (unencrypted) private-key file.
     *
     * @throws IllegalArgumentException for a key {@link #encodePrivateKey} cannot encode
     */
    public byte[] encodePrivateKeyFile(PrivateKey key) {
        byte[] enc = encodePrivateKey(key);
        byte[] out = new byte[4 + enc.length];
        out[3] = FILE_UNENCRYPTED;
        System.arraycopy(enc, 0, out, 4, enc.length);
        Arrays.fill(enc, (byte) 0);
        return out;
    }

    /**
     * A type-4 private-key file: random 16-byte salt, {@value #FILE_ITERATIONS} PBKDF2 iterations,
     * {@value #FILE_KEY_BITS}-bit AES in CBC mode with PKCS#5 padding, exactly as the library writes it.
     *
     * @throws IllegalArgumentException for a key {@link #encodePrivateKey} cannot encode
     */
    public byte[] encodePrivateKeyFile(PrivateKey key, char[] passphrase, SecureRandom random) {
        Objects.requireNonNull(passphrase, "passphrase");
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        byte[] plain = encodePrivateKey(key);
        byte[] pass = Pbkdf2.utf8(passphrase);
        byte[] aesKey = Pbkdf2.derive(providers.jdk(), pass, salt, FILE_ITERATIONS, FILE_KEY_BITS);
        byte[] cipherText;
        try {
            Cipher c = providers.jdk().cipher(FILE_CIPHER);
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            cipherText = c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new CryptoEngineException("AES encryption of a key file failed", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(pass, (byte) 0);
            Arrays.fill(aesKey, (byte) 0);
        }
        ByteBuf out = Unpooled.buffer(64 + cipherText.length);
        try {
            out.writeInt(FILE_PBKDF2_AES);
            WireWriter.bytes(out, salt);
            out.writeInt(FILE_ITERATIONS);
            out.writeInt(FILE_KEY_BITS);
            WireWriter.bytes(out, iv);
            WireWriter.bytes(out, cipherText);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    // ---------------------------------------------------------------- helpers

    private PrivateKey decodePrivateKey(WireReader r)
            throws CodecException, UnsupportedAlgorithmException, UnusableKeyException {
        String type = r.str("key type");
        List<String> known = new ArrayList<>();
        for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
            KeyEncoding encoding = KeyEncoding.of(alg);
            if (encoding.privateKeyTypes().contains(type)) {
                KeySpec spec = encoding.readPrivate(type, r);
                try {
                    return providers.forAlgorithm(alg).keyFactory(alg.jcaKeyAlgorithm()).generatePrivate(spec);
                } catch (InvalidKeySpecException e) {
                    throw new UnusableKeyException("invalid " + type + ": " + e.getMessage());
                }
            }
            known.addAll(encoding.privateKeyTypes());
        }
        throw new UnsupportedAlgorithmException("unknown private key type \"" + CryptoException.printable(type)
                + "\" (expected " + CryptoException.oneOf(known) + ")");
    }

    private byte[] decryptAes(WireReader r, char[] passphrase)
            throws CodecException, UnusableKeyException, WrongPassphraseException {
        byte[] salt = r.bytes("key file salt");
        int iterations = r.i32("key file iterations");
        int keyBits = r.i32("key file key size");
        byte[] iv = r.bytes("key file IV");
        byte[] cipherText = r.bytes("key file ciphertext");
        if (salt.length == 0 || salt.length > MAX_SALT_BYTES) {
            throw new UnusableKeyException("key file salt of " + salt.length + " bytes");
        }
        if (iterations <= 0 || iterations > MAX_FILE_ITERATIONS) {
            throw new UnusableKeyException("key file iteration count " + iterations + " outside 1.."
                    + MAX_FILE_ITERATIONS);
        }
        if (keyBits != 128 && keyBits != 192 && keyBits != 256) {
            throw new UnusableKeyException("key file AES key size " + keyBits + " bits (128, 192 or 256 expected)");
        }
        if (iv.length != 16) {
            throw new UnusableKeyException("key file IV of " + iv.length + " bytes (16 expected)");
        }
        if (cipherText.length == 0 || cipherText.length % 16 != 0) {
            throw new UnusableKeyException("key file ciphertext of " + cipherText.length
                    + " bytes is not whole AES blocks");
        }
        if (passphrase == null) {
            throw new WrongPassphraseException("the private-key file is encrypted and no passphrase was given");
        }
        byte[] pass = Pbkdf2.utf8(passphrase);
        byte[] aesKey = Pbkdf2.derive(providers.jdk(), pass, salt, iterations, keyBits);
        try {
            Cipher c = providers.jdk().cipher(FILE_CIPHER);
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            return c.doFinal(cipherText);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new WrongPassphraseException("wrong passphrase (or corrupt private-key file)");
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new CryptoEngineException("AES decryption of a key file could not start", e);
        } finally {
            Arrays.fill(pass, (byte) 0);
            Arrays.fill(aesKey, (byte) 0);
        }
    }

    private PrivateKey decodeDecrypted(byte[] plain) throws WrongPassphraseException {
        try {
            return decodePrivateKey(new WireReader(plain));
        } catch (CodecException | UnsupportedAlgorithmException | UnusableKeyException e) {
            // One wrong passphrase in ~256 still yields valid padding; the garbage then fails to parse.
            throw new WrongPassphraseException("wrong passphrase (or corrupt private-key file): " + e.getMessage());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static PublicKey publicKey(JcaEngines engines, String alg, KeySpec spec, String type)
            throws UnusableKeyException {
        try {
            return engines.keyFactory(alg).generatePublic(spec);
        } catch (InvalidKeySpecException e) {
            throw new UnusableKeyException("invalid " + type + ": " + e.getMessage());
        }
    }

    private static List<String> publicKeyTypes() {
        List<String> types = new ArrayList<>();
        for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
            alg.handleKeyType().ifPresent(types::add);
        }
        types.add(DH_PUB_KEY);
        return types;
    }

    private static SignatureAlgorithm algorithmOf(Key key, String kind) {
        try {
            return SignatureAlgorithm.forKey(key);
        } catch (UnsupportedAlgorithmException e) {
            List<String> encodable = new ArrayList<>(SignatureAlgorithm.all(SignatureAlgorithm::keyName));
            if (kind.equals("public")) {
                encodable.add("DH");
            }
            throw new IllegalArgumentException("no Handle encoding for " + key.getAlgorithm() + " " + kind
                    + " keys (" + CryptoException.oneOf(encodable) + " only)", e);
        }
    }
}
