package io.idnode.crypto.auth;

import io.idnode.crypto.CryptoEngineException;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.HashAlgorithm;
import io.idnode.crypto.MalformedCryptoInputException;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.crypto.UnusableKeyException;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;

/**
 * Verifies credential sections (handle-protocol.md §2.3): {@code HS_SIGNED} (and the legacy
 * {@code HS_DSAPUBKEY}) against a public key, {@code HS_MAC} against a session key. A wrong signature or MAC
 * is {@code false}; a credential that cannot be checked at all is a {@link CryptoException} saying why.
 * Thread-safe.
 */
public final class CredentialVerifier {
    /** Legacy signature credential type, accepted like {@code HS_SIGNED}. */
    public static final String TYPE_OLD_SIGNED = "HS_DSAPUBKEY";

    private final CryptoProviders providers;

    /** A verifier using the engines {@code providers} assigns to each algorithm. */
    public CredentialVerifier(CryptoProviders providers) {
        this.providers = Objects.requireNonNull(providers, "providers");
    }

    /**
     * Verifies a signature credential over the bytes covered by a message with this envelope (§2.3).
     *
     * @throws MalformedCryptoInputException if the credential is not a signature
     * @throws UnsupportedAlgorithmException if its hash id is unknown or undefined for the key's algorithm
     * @throws UnusableKeyException if the engine refuses the key
     */
    public boolean verifySignature(Credential credential, PublicKey key, Envelope envelope, byte[] headerAndBody)
            throws MalformedCryptoInputException, UnsupportedAlgorithmException, UnusableKeyException {
        byte[] covered = MessageSigner.signedBytes(envelope, credential.sessionCounter(), headerAndBody);
        return verifySignature(credential, key, covered);
    }

    /**
     * Verifies a signature credential over already computed covered bytes.
     *
     * @throws MalformedCryptoInputException if the credential is not a signature
     * @throws UnsupportedAlgorithmException if its hash id is unknown or undefined for the key's algorithm
     * @throws UnusableKeyException if the engine refuses the key
     */
    public boolean verifySignature(Credential credential, PublicKey key, byte[] signedBytes)
            throws MalformedCryptoInputException, UnsupportedAlgorithmException, UnusableKeyException {
        String type = credential.type();
        if (!Credential.TYPE_SIGNED.equals(type) && !TYPE_OLD_SIGNED.equals(type)) {
            throw new MalformedCryptoInputException("credential type \""
                    + CryptoException.printable(String.valueOf(type)) + "\" is not a signature");
        }
        HashAlgorithm hash = HashAlgorithm.fromHashId(String.valueOf(credential.hashId()));
        return verifyRaw(providers, key, hash, signedBytes, credential.signature().toByteArray(), null);
    }

    /**
     * Verifies an {@code HS_MAC} credential with the 32-byte session key, in the form the envelope's version
     * calls for (HMAC-SHA256 from 2.7; the library's legacy keyed SHA-1 below).
     *
     * @throws MalformedCryptoInputException if the credential is not a session MAC
     * @throws UnsupportedAlgorithmException if its hash id is not accepted at the envelope's version
     */
    public boolean verifyMac(Credential credential, byte[] sessionKey, Envelope envelope, byte[] headerAndBody)
            throws MalformedCryptoInputException, UnsupportedAlgorithmException {
        if (!Credential.TYPE_MAC.equals(credential.type())) {
            throw new MalformedCryptoInputException("credential type \""
                    + CryptoException.printable(String.valueOf(credential.type())) + "\" is not a session MAC");
        }
        if (credential.signature().isEmpty()) {
            return false;
        }
        byte[] expected = SessionMacs.compute(providers.jdk(), String.valueOf(credential.hashId()), sessionKey,
                envelope.majorVersion(), envelope.minorVersion(), envelope.suggestedMajor(), envelope.suggestedMinor(),
                envelope.sessionId(), envelope.requestId(), credential.sessionCounter(), headerAndBody);
        return MessageDigest.isEqual(expected, credential.signature().toByteArray());
    }

    /**
     * Verifies a raw signature made with {@code hash} by the key's registry algorithm, with engine parameters
     * {@code params} if not {@code null} (an SM2 user ID); {@code false} for a wrong or unparseable signature.
     */
    static boolean verifyRaw(CryptoProviders providers, PublicKey key, HashAlgorithm hash, byte[] data,
            byte[] signature, AlgorithmParameterSpec params) throws UnsupportedAlgorithmException, UnusableKeyException {
        if (signature == null || signature.length == 0) {
            return false;
        }
        SignatureAlgorithm algorithm = SignatureAlgorithm.forKey(key);
        Signature s = providers.forAlgorithm(algorithm).signature(algorithm.jcaSignature(hash));
        try {
            if (params != null) {
                s.setParameter(params);
            }
            s.initVerify(key);
        } catch (InvalidAlgorithmParameterException e) {
            throw new CryptoEngineException(s.getAlgorithm() + " refused its parameters", e);
        } catch (InvalidKeyException e) {
            throw new UnusableKeyException(key.getAlgorithm() + " key unusable for " + s.getAlgorithm() + ": "
                    + e.getMessage());
        }
        try {
            s.update(data);
            return s.verify(signature);
        } catch (SignatureException e) {
            // Not a well-formed signature value (e.g. bad DER for DSA): simply not a valid signature.
            return false;
        }
    }
}
