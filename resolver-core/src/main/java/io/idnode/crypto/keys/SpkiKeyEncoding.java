package io.idnode.crypto.keys;

import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.codec.WireWriter;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.KeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The common part of the keys that the Handle binary format knows only through their X.509 encoding (P-256,
 * Ed25519, SM2): a typed public key is one {@code bytes} field holding the SubjectPublicKeyInfo, as DER or as
 * its PEM text (cn-extensions.md §2.2 form B, both accepted, DER written); no Handle binary private-key
 * encoding exists for them (§2.1), so their private keys live in PKCS#8 files. Subclasses give the JWK.
 */
abstract class SpkiKeyEncoding implements KeyEncoding {
    /** Largest SubjectPublicKeyInfo field accepted, DER or PEM, in bytes. */
    static final int MAX_FIELD_BYTES = 4096;

    static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private final SignatureAlgorithm algorithm;

    SpkiKeyEncoding(SignatureAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    @Override
    public final KeySpec readPublic(WireReader r) throws CodecException, UnusableKeyException {
        byte[] field = r.raw(r.length("public key field", MAX_FIELD_BYTES), "public key field");
        byte[] der = KeyDer.looksLikePem(field)
                ? KeyDer.pemBody(new String(field, StandardCharsets.US_ASCII), KeyDer.PUBLIC_LABEL) : field;
        return ownSpki(der, algorithm.handleKeyType().orElse(algorithm.name()) + " field");
    }

    /**
     * {@code der} as a key spec, once it is known to be a SubjectPublicKeyInfo of this algorithm with a valid
     * point; {@code what} names the source in messages.
     */
    final X509EncodedKeySpec ownSpki(byte[] der, String what) throws UnusableKeyException {
        SignatureAlgorithm found;
        try {
            found = KeyDer.algorithmOf(der, false);
        } catch (UnsupportedAlgorithmException e) {
            throw new UnusableKeyException(what + ": " + e.getMessage());
        }
        if (found != algorithm) {
            throw new UnusableKeyException(what + " holds a " + found.keyName() + " key");
        }
        KeyDer.checkCurvePoint(found, der);
        return new X509EncodedKeySpec(der);
    }

    @Override
    public final void writePublic(PublicKey key, ByteBuf out) {
        byte[] der = key.getEncoded();
        if (der == null || !"X.509".equals(key.getFormat())) {
            throw new IllegalArgumentException(key.getAlgorithm() + " public key has no X.509 encoding");
        }
        WireWriter.bytes(out, der);
    }

    @Override
    public final List<String> privateKeyTypes() {
        return List.of();
    }

    @Override
    public final KeySpec readPrivate(String type, WireReader r) throws UnusableKeyException {
        throw new UnusableKeyException("no Handle binary private-key encoding for " + algorithm.keyName()
                + " keys");
    }

    @Override
    public final void writePrivate(PrivateKey key, ByteBuf out) {
        throw new IllegalArgumentException("no Handle binary private-key encoding for " + algorithm.keyName()
                + " keys (write them as PKCS#8 PEM)");
    }

    /** The bytes of a base64url JWK member, at most {@code maxBytes} long. */
    static byte[] member(Map<String, ?> jwk, String name, int maxBytes) throws UnusableKeyException {
        Object v = jwk.get(name);
        if (!(v instanceof String s)) {
            throw new UnusableKeyException("JWK member \"" + name + "\" " + (v == null ? "missing" : "is not a string"));
        }
        if (s.isEmpty() || s.length() > (maxBytes + 2) / 3 * 4) {
            throw new UnusableKeyException("JWK member \"" + name + "\" has " + s.length() + " characters");
        }
        try {
            return B64URL_DECODER.decode(s);
        } catch (IllegalArgumentException e) {
            throw new UnusableKeyException("JWK member \"" + name + "\" is not base64url");
        }
    }

    /** Checks that JWK member {@code crv} is {@code expected}. */
    static void expectCurve(Map<String, ?> jwk, String expected) throws UnusableKeyException {
        Object crv = jwk.get("crv");
        if (!expected.equals(crv)) {
            throw new UnusableKeyException("JWK crv " + (crv == null ? "missing" : "\"" + crv + "\"") + " (\""
                    + expected + "\" expected)");
        }
    }

    /** {@code value} as exactly {@code n} unsigned big-endian bytes. */
    static byte[] fixed(BigInteger value, int n) {
        byte[] b = value.toByteArray();
        byte[] out = new byte[n];
        int copy = Math.min(b.length, n);
        System.arraycopy(b, b.length - copy, out, n - copy, copy);
        return out;
    }
}
