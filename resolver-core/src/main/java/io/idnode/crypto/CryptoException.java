package io.idnode.crypto;

/**
 * A cryptographic primitive could not run: the provider lacks an algorithm, or a key cannot be used for
 * the operation asked of it. A configuration or programming fault, never the verdict on bad input (bad
 * input is a {@link io.idnode.codec.CodecException} or a {@code false} verification).
 */
public final class CryptoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A fault with its JCA cause. */
    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
