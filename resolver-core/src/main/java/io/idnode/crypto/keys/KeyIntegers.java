package io.idnode.crypto.keys;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.UnusableKeyException;
import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * The integers of key encodings. Handle binary (§5.4): {@code bytes} of {@link BigInteger#toByteArray()} as the
 * library writes them, read as unsigned. JWK (§8): base64url without padding of the minimal unsigned
 * big-endian bytes. Both are bounded by {@link HandleKeyCodec#MAX_KEY_BITS} before any arithmetic.
 */
final class KeyIntegers {
    private static final int MAX_FIELD_BYTES = HandleKeyCodec.MAX_KEY_BITS / 8 + 1;
    private static final int MAX_JWK_CHARS = (HandleKeyCodec.MAX_KEY_BITS / 8 + 2) / 3 * 4 + 4;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private KeyIntegers() {
    }

    /** Reads one non-zero integer field of at most {@link HandleKeyCodec#MAX_KEY_BITS} bits. */
    static BigInteger read(WireReader r, String what) throws CodecException, UnusableKeyException {
        int n = r.length(what, MAX_FIELD_BYTES);
        BigInteger v = new BigInteger(1, r.raw(n, what));
        if (v.signum() == 0) {
            throw new UnusableKeyException(what + " is zero or empty");
        }
        if (v.bitLength() > HandleKeyCodec.MAX_KEY_BITS) {
            throw new UnusableKeyException(what + " has " + v.bitLength() + " bits (max " + HandleKeyCodec.MAX_KEY_BITS
                    + ")");
        }
        return v;
    }

    /** Writes integer fields as the library does (two's complement, so a leading zero byte may appear). */
    static void write(ByteBuf out, BigInteger... values) {
        for (BigInteger v : values) {
            WireWriter.bytes(out, v.toByteArray());
        }
    }

    /** The JWK form of an integer. */
    static String jwk(BigInteger v) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        return ENCODER.encodeToString(b);
    }

    /** The integer of JWK member {@code name}: a non-empty base64url string of a non-zero value. */
    static BigInteger fromJwk(Map<String, ?> jwk, String name) throws UnusableKeyException {
        Object v = jwk.get(name);
        if (!(v instanceof String s)) {
            throw new UnusableKeyException("JWK member \"" + name + "\" "
                    + (v == null ? "missing" : "is not a string"));
        }
        if (s.isEmpty() || s.length() > MAX_JWK_CHARS) {
            throw new UnusableKeyException("JWK member \"" + name + "\" has " + s.length() + " characters");
        }
        byte[] b;
        try {
            b = DECODER.decode(s);
        } catch (IllegalArgumentException e) {
            throw new UnusableKeyException("JWK member \"" + name + "\" is not base64url");
        }
        BigInteger value = new BigInteger(1, b);
        if (value.signum() == 0) {
            throw new UnusableKeyException("JWK member \"" + name + "\" is zero");
        }
        return value;
    }
}
