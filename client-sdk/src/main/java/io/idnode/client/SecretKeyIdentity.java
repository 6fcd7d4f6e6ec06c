package io.idnode.client;

import io.idnode.model.ValueReference;
import java.util.Objects;

/**
 * An identity proven with a secret shared with its HS_SECKEY value (handle-protocol.md §5.4, §6.2: a
 * PBKDF2-HMAC-SHA1 answer from protocol 2.7). The secret is copied in and out and never shown.
 */
public final class SecretKeyIdentity implements Identity {
    private final ValueReference reference;
    private final byte[] secret;

    SecretKeyIdentity(ValueReference reference, byte[] secret) {
        this.reference = Objects.requireNonNull(reference, "reference");
        if (secret.length == 0) {
            throw new IllegalArgumentException("empty secret key for " + reference);
        }
        this.secret = secret.clone();
    }

    @Override
    public ValueReference reference() {
        return reference;
    }

    /** A copy of the secret. */
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return reference + " (secret key)";
    }
}
