package io.idnode.crypto;

/**
 * What a signature, MAC or cipher is asked to check is not well formed: a credential of the wrong kind, a
 * truncated or padded challenge answer, out-of-bounds PBKDF2 parameters, a ciphertext that is not whole
 * blocks or does not decrypt with the key. A well-formed but wrong signature or MAC is not this: it is
 * {@code false}.
 */
public final class MalformedCryptoInputException extends CryptoException {
    private static final long serialVersionUID = 1L;

    /** A verdict naming the part of the input at fault. */
    public MalformedCryptoInputException(String message) {
        super(message);
    }
}
