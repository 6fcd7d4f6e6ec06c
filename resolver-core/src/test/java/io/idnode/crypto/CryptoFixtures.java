package io.idnode.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.CodecException;
import io.idnode.codec.WireReader;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.testing.Vectors;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * The provider context of the tests, made once, and test inputs taken from the golden vectors: the fixed keys
 * (through the JDK's own DER decoders, so the Handle codec is checked against an independent reading) and
 * message parts as byte arrays. The envelope and credential are parsed here by hand because the message
 * codec is not part of the crypto packages.
 */
public final class CryptoFixtures {
    /** One context for every test in the JVM, as a node has one. */
    public static final CryptoProviders PROVIDERS = CryptoProviders.create();

    private CryptoFixtures() {
    }

    /** An X.509 public key of the vectors' {@code keys}, read by the JDK. */
    public static PublicKey publicKey(String alg, String keyName) {
        try {
            return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(Vectors.key(keyName)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(keyName, e);
        }
    }

    /** A PKCS#8 private key of the vectors' {@code keys}, read by the JDK. */
    public static PrivateKey privateKey(String alg, String keyName) {
        try {
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(Vectors.key(keyName)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(keyName, e);
        }
    }

    /** The vectors' RSA public key. */
    public static PublicKey rsaPublic() {
        return publicKey("RSA", "rsa_public_x509");
    }

    /** The vectors' RSA private key. */
    public static PrivateKey rsaPrivate() {
        return privateKey("RSA", "rsa_private_pkcs8");
    }

    /** The vectors' DSA public key. */
    public static PublicKey dsaPublic() {
        return publicKey("DSA", "dsa_public_x509");
    }

    /** The vectors' DSA private key. */
    public static PrivateKey dsaPrivate() {
        return privateKey("DSA", "dsa_private_pkcs8");
    }

    /** A hex field of a vector, decoded; fails if absent. */
    public static byte[] hex(JsonNode vector, String field) {
        JsonNode n = vector.get(field);
        if (n == null) {
            throw new IllegalArgumentException("vector " + vector.path("name").asText() + " has no " + field);
        }
        return Vectors.hex(n.asText());
    }

    /** The exact header+body bytes of a message vector. */
    public static byte[] headerAndBody(JsonNode vector) {
        return Vectors.hex(vector.get("header_hex").asText() + vector.get("body_hex").asText());
    }

    /** The 20-byte envelope of a message vector (§1.1), suggested version from byte 2's low bits and byte 3. */
    public static Envelope envelope(JsonNode vector) {
        byte[] e = hex(vector, "envelope_hex");
        try {
            WireReader r = new WireReader(e);
            int major = r.u8("major");
            int minor = r.u8("minor");
            int b2 = r.u8("flags");
            int suggestMinor = r.u8("suggest minor");
            int sessionId = r.i32("session id");
            int requestId = r.i32("request id");
            int messageId = r.i32("message id");
            int length = r.i32("length");
            return new Envelope(major, minor, b2 & 0xE0, b2 & 0x03, suggestMinor, sessionId, requestId, messageId,
                    length);
        } catch (CodecException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The credential of a message vector (§2.3 layout). */
    public static Credential credential(JsonNode vector) {
        return parseCredential(hex(vector, "credential_hex"));
    }

    /** A credential section parsed by hand. */
    public static Credential parseCredential(byte[] c) {
        try {
            WireReader r = new WireReader(c);
            int version = r.u8("version");
            int reserved = r.u8("reserved");
            int options = r.u16("options");
            String signer = r.str("signer");
            int counter = r.i32("counter");
            String type = r.str("type");
            int signedInfoLength = r.i32("signed info length");
            WireReader info = new WireReader(r.raw(signedInfoLength, "signed info"));
            String hashId = info.str("hash id");
            byte[] sig = info.bytes("signature");
            return new Credential(version, reserved, options, signer, counter, type, hashId, Bytes.wrap(sig));
        } catch (CodecException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** {@code c} with another signature. */
    public static Credential withSignature(Credential c, byte[] sig) {
        return new Credential(c.version(), c.reserved(), c.options(), c.signerHandle(), c.sessionCounter(), c.type(),
                c.hashId(), Bytes.wrap(sig));
    }

    /** {@code c} with another hash id. */
    public static Credential withHashId(Credential c, String hashId) {
        return new Credential(c.version(), c.reserved(), c.options(), c.signerHandle(), c.sessionCounter(), c.type(),
                hashId, c.signature());
    }

    /** {@code c} with another type. */
    public static Credential withType(Credential c, String type) {
        return new Credential(c.version(), c.reserved(), c.options(), c.signerHandle(), c.sessionCounter(), type,
                c.hashId(), c.signature());
    }

    /** {@code c} with another session counter. */
    public static Credential withCounter(Credential c, int counter) {
        return new Credential(c.version(), c.reserved(), c.options(), c.signerHandle(), counter, c.type(),
                c.hashId(), c.signature());
    }

    /** A copy of {@code b} with the low bit of byte {@code index} flipped. */
    public static byte[] flipBit(byte[] b, int index) {
        byte[] out = b.clone();
        out[index] ^= 0x01;
        return out;
    }
}
