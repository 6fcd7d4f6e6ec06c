package io.idnode.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2WithHmacSHA1 as the library feeds it (handle-protocol.md §5.4 key files, §6.2 secret-key answers): the
 * password is a byte string whose bytes become chars one for one ({@code b & 0xFF}). The JCA factory then
 * UTF-8-encodes those chars, so bytes above 0x7F reach HMAC as two bytes; using the JCA factory keeps that
 * quirk byte-exact.
 */
public final class Pbkdf2 {
    /** The JCA name of the derivation. */
    public static final String ALGORITHM = "PBKDF2WithHmacSHA1";

    private Pbkdf2() {
    }

    /** A key of {@code keyBits} derived from {@code password} (bytes as chars) with the JDK engines given. */
    public static byte[] derive(JcaEngines engines, byte[] password, byte[] salt, int iterations, int keyBits) {
        char[] chars = new char[password.length];
        for (int i = 0; i < password.length; i++) {
            chars[i] = (char) (password[i] & 0xFF);
        }
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, keyBits);
        try {
            return engines.secretKeyFactory(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw new CryptoEngineException("PBKDF2 refused its parameters", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /** UTF-8 bytes of a passphrase without going through an immutable String. */
    public static byte[] utf8(char[] passphrase) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        if (bb.hasArray()) {
            Arrays.fill(bb.array(), (byte) 0);
        }
        return out;
    }
}
