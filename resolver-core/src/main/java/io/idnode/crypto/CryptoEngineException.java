package io.idnode.crypto;

/**
 * A cryptographic engine could not run: the provider lacks an algorithm, or refuses this node's own key or
 * parameters. A configuration or programming fault, never the verdict on input (that is a
 * {@link CryptoException} or a {@code false} verification).
 */
public final class CryptoEngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A fault with its JCA cause. */
    public CryptoEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
