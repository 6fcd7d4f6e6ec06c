package io.idnode.client;

import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.UnsupportedAlgorithmException;
import io.idnode.model.ValueReference;
import java.security.PrivateKey;
import java.util.Objects;

/**
 * An identity proven by signing challenges with a private key (HS_PUBKEY answers, handle-protocol.md §6.2).
 * Which signature is made follows the key's entry in {@link SignatureAlgorithm}, so a key type added to the
 * registry works here unchanged.
 */
public final class PrivateKeyIdentity implements Identity {
    private final ValueReference reference;
    private final PrivateKey key;
    private final SignatureAlgorithm algorithm;

    PrivateKeyIdentity(ValueReference reference, PrivateKey key) {
        this.reference = Objects.requireNonNull(reference, "reference");
        this.key = Objects.requireNonNull(key, "key");
        try {
            this.algorithm = SignatureAlgorithm.forKey(key);
        } catch (UnsupportedAlgorithmException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (algorithm.signingHashes().isEmpty()) {
            throw new IllegalArgumentException(algorithm + " keys cannot answer challenges (the protocol defines no "
                    + algorithm + " answer); use an RSA, DSA, P-256 or SM2 key");
        }
    }

    @Override
    public ValueReference reference() {
        return reference;
    }

    /** The private key. */
    public PrivateKey key() {
        return key;
    }

    /** The registry entry of the key. */
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String toString() {
        return reference + " (" + algorithm + " key)";
    }
}
