package io.idnode.crypto;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.DSAParams;
import java.security.interfaces.DSAPrivateKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.DSAPrivateKeySpec;
import java.security.spec.DSAPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
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
 * The Handle binary key encodings of handle-protocol.md §5.4: HS_PUBKEY data ({@code RSA_PUB_KEY},
 * {@code DSA_PUB_KEY}, {@code DH_PUB_KEY}), private keys ({@code RSA_PRIVCRT_KEY}, {@code RSA_PRIV_KEY},
 * {@code DSA_PRIV_KEY}) and the private-key file wrapper (encryption type 1 plain, 4 PBKDF2/AES-CBC).
 * Integers are written as {@link BigInteger#toByteArray()} (as the library does) and read as unsigned.
 */
public final class HandleKeyCodec {
    /** Key type names written at the start of each encoding (§5.4). */
    public static final String RSA_PUB_KEY = "RSA_PUB_KEY";
    public static final String DSA_PUB_KEY = "DSA_PUB_KEY";
    public static final String DH_PUB_KEY = "DH_PUB_KEY";
    public static final String RSA_PRIVCRT_KEY = "RSA_PRIVCRT_KEY";
    public static final String RSA_PRIV_KEY = "RSA_PRIV_KEY";
    public static final String DSA_PRIV_KEY = "DSA_PRIV_KEY";

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

    /** A codec using the JDK's configured providers. */
    public static final HandleKeyCodec DEFAULT = new HandleKeyCodec(null);

    private static final int MAX_FIELD_BYTES = MAX_KEY_BITS / 8 + 1;
    private static final int MAX_SALT_BYTES = 1024;

    private final Jca jca;

    /** A codec whose key factories and ciphers come from {@code provider} ({@code null} = JDK defaults). */
    public HandleKeyCodec(Provider provider) {
        this.jca = new Jca(provider);
    }

    // ---------------------------------------------------------------- public keys

    /**
     * Decodes HS_PUBKEY data (§5.4): {@code str keyType}, {@code u16 flags}, then the fields of the type.
     * Trailing bytes are ignored as the library ignores them (it pads RSA keys with four zero bytes).
     */
    public PublicKey decodePublicKey(byte[] data) throws CodecException {
        return decodePublicKey(new WireReader(data));
    }

    /** Decodes HS_PUBKEY data starting at the reader's position; see {@link #decodePublicKey(byte[])}. */
    public PublicKey decodePublicKey(WireReader r) throws CodecException {
        String type = r.str("key type");
        r.u16("key flags");
        switch (type) {
            case RSA_PUB_KEY -> {
                BigInteger e = integer(r, "RSA exponent");
                BigInteger n = integer(r, "RSA modulus");
                return publicKey("RSA", new RSAPublicKeySpec(n, e), type);
            }
            case DSA_PUB_KEY -> {
                BigInteger q = integer(r, "DSA q");
                BigInteger p = integer(r, "DSA p");
                BigInteger g = integer(r, "DSA g");
                BigInteger y = integer(r, "DSA y");
                return publicKey("DSA", new DSAPublicKeySpec(y, p, q, g), type);
            }
            case DH_PUB_KEY -> {
                BigInteger y = integer(r, "DH y");
                BigInteger p = integer(r, "DH p");
                BigInteger g = integer(r, "DH g");
                return publicKey("DH", new DHPublicKeySpec(y, p, g), type);
            }
            default -> throw new CodecException("unknown public key type \"" + HashAlgorithm.printable(type)
                        + "\" (expected " + RSA_PUB_KEY + ", " + DSA_PUB_KEY + " or " + DH_PUB_KEY + ")");
        }
    }

    /**
     * Encodes an RSA, DSA or DH public key as HS_PUBKEY data, byte for byte as the library writes it
     * (including the four zero bytes it appends to RSA keys).
     */
    public static byte[] encodePublicKey(PublicKey key) {
        Objects.requireNonNull(key, "key");
        ByteBuf out = Unpooled.buffer(512);
        try {
            if (key instanceof RSAPublicKey) {
                RSAPublicKey rsa = (RSAPublicKey) key;
                WireWriter.str(out, RSA_PUB_KEY);
                out.writeShort(0);
                WireWriter.bytes(out, rsa.getPublicExponent().toByteArray());
                WireWriter.bytes(out, rsa.getModulus().toByteArray());
                out.writeInt(0);
            } else if (key instanceof DSAPublicKey) {
                DSAPublicKey dsa = (DSAPublicKey) key;
                DSAParams params = dsa.getParams();
                WireWriter.str(out, DSA_PUB_KEY);
                out.writeShort(0);
                WireWriter.bytes(out, params.getQ().toByteArray());
                WireWriter.bytes(out, params.getP().toByteArray());
                WireWriter.bytes(out, params.getG().toByteArray());
                WireWriter.bytes(out, dsa.getY().toByteArray());
            } else if (key instanceof DHPublicKey) {
                DHPublicKey dh = (DHPublicKey) key;
                DHParameterSpec params = dh.getParams();
                WireWriter.str(out, DH_PUB_KEY);
                out.writeShort(0);
                WireWriter.bytes(out, dh.getY().toByteArray());
                WireWriter.bytes(out, params.getP().toByteArray());
                WireWriter.bytes(out, params.getG().toByteArray());
            } else {
                throw new IllegalArgumentException("no Handle encoding for " + key.getAlgorithm()
                        + " public keys (RSA, DSA and DH only)");
            }
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    // ---------------------------------------------------------------- private keys

    /** Decodes a private key encoding (§5.4, no flags field); trailing bytes are ignored. */
    public PrivateKey decodePrivateKey(byte[] data) throws CodecException {
        return decodePrivateKey(new WireReader(data));
    }

    /** Decodes a private key encoding starting at the reader's position. */
    public PrivateKey decodePrivateKey(WireReader r) throws CodecException {
        String type = r.str("key type");
        switch (type) {
            case RSA_PRIVCRT_KEY -> {
                BigInteger n = integer(r, "RSA modulus");
                BigInteger e = integer(r, "RSA public exponent");
                BigInteger d = integer(r, "RSA private exponent");
                BigInteger p = integer(r, "RSA prime p");
                BigInteger q = integer(r, "RSA prime q");
                BigInteger dp = integer(r, "RSA exponent dp");
                BigInteger dq = integer(r, "RSA exponent dq");
                BigInteger qinv = integer(r, "RSA coefficient");
                return privateKey("RSA", new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qinv), type);
            }
            case RSA_PRIV_KEY -> {
                BigInteger n = integer(r, "RSA modulus");
                BigInteger d = integer(r, "RSA private exponent");
                return privateKey("RSA", new RSAPrivateKeySpec(n, d), type);
            }
            case DSA_PRIV_KEY -> {
                BigInteger x = integer(r, "DSA x");
                BigInteger p = integer(r, "DSA p");
                BigInteger q = integer(r, "DSA q");
                BigInteger g = integer(r, "DSA g");
                return privateKey("DSA", new DSAPrivateKeySpec(x, p, q, g), type);
            }
            default -> throw new CodecException("unknown private key type \"" + HashAlgorithm.printable(type)
                        + "\" (expected " + RSA_PRIVCRT_KEY + ", " + RSA_PRIV_KEY + " or " + DSA_PRIV_KEY + ")");
        }
    }

    /**
     * Encodes an RSA or DSA private key as the library does: {@code RSA_PRIVCRT_KEY} when the CRT factors
     * are known, else {@code RSA_PRIV_KEY}; {@code DSA_PRIV_KEY}.
     */
    public static byte[] encodePrivateKey(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        ByteBuf out = Unpooled.buffer(1024);
        try {
            if (key instanceof RSAPrivateCrtKey) {
                RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key;
                WireWriter.str(out, RSA_PRIVCRT_KEY);
                for (BigInteger v : new BigInteger[] {rsa.getModulus(), rsa.getPublicExponent(),
                    rsa.getPrivateExponent(), rsa.getPrimeP(), rsa.getPrimeQ(), rsa.getPrimeExponentP(),
                    rsa.getPrimeExponentQ(), rsa.getCrtCoefficient()}) {
                    WireWriter.bytes(out, v.toByteArray());
                }
            } else if (key instanceof RSAPrivateKey) {
                RSAPrivateKey rsa = (RSAPrivateKey) key;
                WireWriter.str(out, RSA_PRIV_KEY);
                WireWriter.bytes(out, rsa.getModulus().toByteArray());
                WireWriter.bytes(out, rsa.getPrivateExponent().toByteArray());
            } else if (key instanceof DSAPrivateKey) {
                DSAPrivateKey dsa = (DSAPrivateKey) key;
                DSAParams params = dsa.getParams();
                WireWriter.str(out, DSA_PRIV_KEY);
                WireWriter.bytes(out, dsa.getX().toByteArray());
                WireWriter.bytes(out, params.getP().toByteArray());
                WireWriter.bytes(out, params.getQ().toByteArray());
                WireWriter.bytes(out, params.getG().toByteArray());
            } else {
                throw new IllegalArgumentException("no Handle encoding for " + key.getAlgorithm()
                        + " private keys (RSA and DSA only)");
            }
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    // ---------------------------------------------------------------- private-key files

    /** The encryption type of a private-key file (its first i32), e.g. {@link #FILE_PBKDF2_AES}. */
    public static int keyFileEncryption(byte[] file) throws CodecException {
        return new WireReader(file).i32("key file encryption type");
    }

    /**
     * Opens a private-key file (§5.4): type 1 holds the key encoding, type 4 encrypts it with a key derived
     * from {@code passphrase} (may be {@code null} for type 1). Legacy DES types 0, 2 and 3 are refused.
     */
    public PrivateKey decodePrivateKeyFile(byte[] file, char[] passphrase)
            throws CodecException, WrongPassphraseException {
        WireReader r = new WireReader(file);
        int encType = r.i32("key file encryption type");
        switch (encType) {
            case FILE_UNENCRYPTED -> {
                return decodePrivateKey(r);
            }
            case FILE_PBKDF2_AES -> {
                return decodeDecrypted(decryptAes(r, passphrase));
            }
            case 0, 2, 3 -> throw new CodecException("key file encryption type " + encType
                        + " (legacy DES/DESede) is not supported; re-save the key with type " + FILE_PBKDF2_AES);
            default -> throw new CodecException("unknown key file encryption type " + encType);
        }
    }

    /** A type-1 (unencrypted) private-key file. */
    public static byte[] encodePrivateKeyFile(PrivateKey key) {
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
     */
    public byte[] encodePrivateKeyFile(PrivateKey key, char[] passphrase, SecureRandom random) {
        Objects.requireNonNull(passphrase, "passphrase");
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        byte[] plain = encodePrivateKey(key);
        byte[] pass = Pbkdf2.utf8(passphrase);
        byte[] aesKey = Pbkdf2.derive(jca, pass, salt, FILE_ITERATIONS, FILE_KEY_BITS);
        byte[] cipherText;
        try {
            Cipher c = jca.cipher("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            cipherText = c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES encryption of a key file failed", e);
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

    private byte[] decryptAes(WireReader r, char[] passphrase) throws CodecException, WrongPassphraseException {
        byte[] salt = r.bytes("key file salt");
        int iterations = r.i32("key file iterations");
        int keyBits = r.i32("key file key size");
        byte[] iv = r.bytes("key file IV");
        byte[] cipherText = r.bytes("key file ciphertext");
        if (salt.length == 0 || salt.length > MAX_SALT_BYTES) {
            throw new CodecException("key file salt of " + salt.length + " bytes");
        }
        if (iterations <= 0 || iterations > MAX_FILE_ITERATIONS) {
            throw new CodecException("key file iteration count " + iterations + " outside 1.." + MAX_FILE_ITERATIONS);
        }
        if (keyBits != 128 && keyBits != 192 && keyBits != 256) {
            throw new CodecException("key file AES key size " + keyBits + " bits (128, 192 or 256 expected)");
        }
        if (iv.length != 16) {
            throw new CodecException("key file IV of " + iv.length + " bytes (16 expected)");
        }
        if (cipherText.length == 0 || cipherText.length % 16 != 0) {
            throw new CodecException("key file ciphertext of " + cipherText.length + " bytes is not whole AES blocks");
        }
        if (passphrase == null) {
            throw new WrongPassphraseException("the private-key file is encrypted and no passphrase was given");
        }
        byte[] pass = Pbkdf2.utf8(passphrase);
        byte[] aesKey = Pbkdf2.derive(jca, pass, salt, iterations, keyBits);
        try {
            Cipher c = jca.cipher("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            return c.doFinal(cipherText);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new WrongPassphraseException("wrong passphrase (or corrupt private-key file)");
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new CryptoException("AES decryption of a key file could not start", e);
        } finally {
            Arrays.fill(pass, (byte) 0);
            Arrays.fill(aesKey, (byte) 0);
        }
    }

    private PrivateKey decodeDecrypted(byte[] plain) throws CodecException, WrongPassphraseException {
        try {
            return decodePrivateKey(new WireReader(plain));
        } catch (CodecException e) {
            // One wrong passphrase in ~256 still yields valid padding; the garbage then fails to parse.
            throw new WrongPassphraseException("wrong passphrase (or corrupt private-key file): " + e.getMessage());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static BigInteger integer(WireReader r, String what) throws CodecException {
        int n = r.length(what, MAX_FIELD_BYTES);
        byte[] b = r.raw(n, what);
        BigInteger v = new BigInteger(1, b);
        if (v.signum() == 0) {
            throw new CodecException(what + " is zero or empty");
        }
        if (v.bitLength() > MAX_KEY_BITS) {
            throw new CodecException(what + " has " + v.bitLength() + " bits (max " + MAX_KEY_BITS + ")");
        }
        return v;
    }

    private PublicKey publicKey(String alg, KeySpec spec, String type) throws CodecException {
        try {
            return jca.keyFactory(alg).generatePublic(spec);
        } catch (InvalidKeySpecException e) {
            throw new CodecException("invalid " + type + ": " + e.getMessage());
        }
    }

    private PrivateKey privateKey(String alg, KeySpec spec, String type) throws CodecException {
        try {
            return jca.keyFactory(alg).generatePrivate(spec);
        } catch (InvalidKeySpecException e) {
            throw new CodecException("invalid " + type + ": " + e.getMessage());
        }
    }
}
