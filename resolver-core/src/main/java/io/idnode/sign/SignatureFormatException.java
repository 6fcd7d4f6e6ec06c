package io.idnode.sign;

/**
 * A JWS, its claims or a certificate that cannot be read: not three base64url parts, not JSON, a claim of
 * the wrong type, an unknown {@code alg}, a public key that does not decode. The message says which.
 */
public final class SignatureFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A format error described by {@code message}. */
    public SignatureFormatException(String message) {
        super(message);
    }
}
