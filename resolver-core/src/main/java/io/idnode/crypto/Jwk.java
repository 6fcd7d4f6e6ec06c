package io.idnode.crypto;

import io.idnode.codec.CodecException;
import io.idnode.protocol.ResponseCode;
import java.math.BigInteger;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.DSAParams;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.DSAPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Public keys as JSON Web Keys, the {@code "format":"key"} value of the JSON API (handle-protocol.md §8):
 * RSA {@code {"kty":"RSA","n","e"}}, DSA {@code {"kty":"DSA","y","p","q","g"}}, each integer as base64url
 * without padding of its minimal unsigned big-endian bytes.
 */
public final class Jwk {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAX_FIELD_CHARS = (HandleKeyCodec.MAX_KEY_BITS / 8 + 2) / 3 * 4 + 4;

    private Jwk() {
    }

    /** The JWK members of an RSA or DSA public key, in the order the library writes them. */
    public static Map<String, String> toJwk(PublicKey key) {
        Map<String, String> jwk = new LinkedHashMap<>();
        if (key instanceof RSAPublicKey) {
            RSAPublicKey rsa = (RSAPublicKey) key;
            jwk.put("kty", "RSA");
            jwk.put("n", encode(rsa.getModulus()));
            jwk.put("e", encode(rsa.getPublicExponent()));
        } else if (key instanceof DSAPublicKey) {
            DSAPublicKey dsa = (DSAPublicKey) key;
            DSAParams params = dsa.getParams();
            jwk.put("kty", "DSA");
            jwk.put("y", encode(dsa.getY()));
            jwk.put("p", encode(params.getP()));
            jwk.put("q", encode(params.getQ()));
            jwk.put("g", encode(params.getG()));
        } else {
            throw new IllegalArgumentException("no JWK form for " + key.getAlgorithm() + " keys (RSA and DSA only)");
        }
        return jwk;
    }

    /** {@link #fromJwk(Map, Provider)} with the JDK's configured providers. */
    public static PublicKey fromJwk(Map<String, ?> jwk) throws CodecException {
        return fromJwk(jwk, null);
    }

    /** The public key of a JWK; a missing or malformed member is a {@link CodecException} (INVALID_VALUE). */
    public static PublicKey fromJwk(Map<String, ?> jwk, Provider provider) throws CodecException {
        Object kty = jwk.get("kty");
        Jca jca = new Jca(provider);
        KeySpec spec;
        String alg;
        if ("RSA".equals(kty)) {
            alg = "RSA";
            spec = new RSAPublicKeySpec(member(jwk, "n"), member(jwk, "e"));
        } else if ("DSA".equals(kty)) {
            alg = "DSA";
            spec = new DSAPublicKeySpec(member(jwk, "y"), member(jwk, "p"), member(jwk, "q"), member(jwk, "g"));
        } else {
            throw invalid("JWK kty " + (kty == null ? "missing" : "\"" + kty + "\"") + " (RSA or DSA expected)");
        }
        try {
            return jca.keyFactory(alg).generatePublic(spec);
        } catch (InvalidKeySpecException e) {
            throw invalid("invalid " + alg + " JWK: " + e.getMessage());
        }
    }

    private static String encode(BigInteger v) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        return ENCODER.encodeToString(b);
    }

    private static BigInteger member(Map<String, ?> jwk, String name) throws CodecException {
        Object v = jwk.get(name);
        if (!(v instanceof String)) {
            throw invalid("JWK member \"" + name + "\" " + (v == null ? "missing" : "is not a string"));
        }
        String s = (String) v;
        if (s.isEmpty() || s.length() > MAX_FIELD_CHARS) {
            throw invalid("JWK member \"" + name + "\" has " + s.length() + " characters");
        }
        byte[] b;
        try {
            b = DECODER.decode(s);
        } catch (IllegalArgumentException e) {
            throw invalid("JWK member \"" + name + "\" is not base64url");
        }
        BigInteger value = new BigInteger(1, b);
        if (value.signum() == 0) {
            throw invalid("JWK member \"" + name + "\" is zero");
        }
        return value;
    }

    private static CodecException invalid(String message) {
        return new CodecException(ResponseCode.INVALID_VALUE, message);
    }
}
