package io.idnode.crypto;

import io.idnode.codec.CodecException;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.ResponseCode;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/**
 * Verifies credential sections (handle-protocol.md §2.3): {@code HS_SIGNED} (and the legacy
 * {@code HS_DSAPUBKEY}) against a public key, {@code HS_MAC} against a session key. A wrong signature or MAC
 * is {@code false}; a credential that cannot be checked at all (wrong type, unknown hash id, MD5 with DSA)
 * is a {@link CodecException} carrying {@link ResponseCode#INVALID_CREDENTIAL}. Thread-safe.
 */
public final class CredentialVerifier {
    /** Legacy signature credential type, accepted like {@code HS_SIGNED}. */
    public static final String TYPE_OLD_SIGNED = "HS_DSAPUBKEY";

    /** A verifier using the JDK's configured providers. */
    public static final CredentialVerifier DEFAULT = new CredentialVerifier(null);

    private final Jca jca;

    /** A verifier whose engines come from {@code provider} ({@code null} = JDK defaults). */
    public CredentialVerifier(Provider provider) {
        this.jca = new Jca(provider);
    }

    /** Verifies a signature credential over the bytes covered by a message with this envelope (§2.3). */
    public boolean verifySignature(Credential credential, PublicKey key, Envelope envelope, byte[] headerAndBody)
            throws CodecException {
        byte[] covered = MessageSigner.signedBytes(envelope, credential.sessionCounter(), headerAndBody);
        return verifySignature(credential, key, covered);
    }

    /** Verifies a signature credential over already computed covered bytes. */
    public boolean verifySignature(Credential credential, PublicKey key, byte[] signedBytes) throws CodecException {
        String type = credential.type();
        if (!Credential.TYPE_SIGNED.equals(type) && !TYPE_OLD_SIGNED.equals(type)) {
            throw invalid("credential type \"" + HashAlgorithm.printable(String.valueOf(type))
                    + "\" is not a signature");
        }
        HashAlgorithm hash = hash(credential.hashId());
        return verifyRaw(jca, key, hash, signedBytes, credential.signature().toByteArray());
    }

    /**
     * Verifies an {@code HS_MAC} credential with the 32-byte session key, in the form the envelope's version
     * calls for (HMAC-SHA256 from 2.7; the library's legacy keyed SHA-1 below).
     */
    public boolean verifyMac(Credential credential, byte[] sessionKey, Envelope envelope, byte[] headerAndBody)
            throws CodecException {
        if (!Credential.TYPE_MAC.equals(credential.type())) {
            throw invalid("credential type \"" + HashAlgorithm.printable(String.valueOf(credential.type()))
                    + "\" is not a session MAC");
        }
        if (credential.signature().isEmpty()) {
            return false;
        }
        byte[] expected;
        try {
            expected = SessionMacs.compute(jca, String.valueOf(credential.hashId()), sessionKey,
                    envelope.majorVersion(), envelope.minorVersion(), envelope.suggestedMajor(),
                    envelope.suggestedMinor(), envelope.sessionId(), envelope.requestId(), credential.sessionCounter(),
                    headerAndBody);
        } catch (CodecException e) {
            throw invalid(e.getMessage());
        }
        return MessageDigest.isEqual(expected, credential.signature().toByteArray());
    }

    /**
     * Verifies a raw RSA/DSA signature made with {@code hash}; {@code false} for a wrong or unparseable
     * signature, {@link CodecException} for a key or hash that cannot verify at all.
     */
    static boolean verifyRaw(Jca jca, PublicKey key, HashAlgorithm hash, byte[] data, byte[] signature)
            throws CodecException {
        if (signature == null || signature.length == 0) {
            return false;
        }
        String alg;
        try {
            alg = hash.signatureAlgorithm(key.getAlgorithm());
        } catch (CodecException e) {
            throw invalid(e.getMessage());
        }
        Signature s = jca.signature(alg);
        try {
            s.initVerify(key);
        } catch (InvalidKeyException e) {
            throw new CodecException(ResponseCode.INVALID_CREDENTIAL,
                    key.getAlgorithm() + " key unusable for " + s.getAlgorithm() + ": " + e.getMessage());
        }
        try {
            s.update(data);
            return s.verify(signature);
        } catch (SignatureException e) {
            // Not a well-formed signature value (e.g. bad DER for DSA): simply not a valid signature.
            return false;
        }
    }

    private static HashAlgorithm hash(String hashId) throws CodecException {
        try {
            return HashAlgorithm.fromHashId(String.valueOf(hashId));
        } catch (CodecException e) {
            throw invalid(e.getMessage());
        }
    }

    private static CodecException invalid(String message) {
        return new CodecException(ResponseCode.INVALID_CREDENTIAL, message);
    }
}
