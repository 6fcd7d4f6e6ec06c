package io.idnode.crypto;

/**
 * A key given as input cannot be used: its encoding (Handle binary, JWK, key file) is truncated or malformed,
 * its values are outside the accepted bounds (zero, too large, a weak Diffie-Hellman group), or the engine
 * refuses it for the operation asked.
 */
public final class UnusableKeyException extends CryptoException {
    private static final long serialVersionUID = 1L;

    /** A verdict naming the key part at fault. */
    public UnusableKeyException(String message) {
        super(message);
    }
}
