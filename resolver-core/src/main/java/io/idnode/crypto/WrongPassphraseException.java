package io.idnode.crypto;

/**
 * An encrypted Handle private-key file (handle-protocol.md §5.4, encryption type 4) could not be opened
 * with the passphrase given: the passphrase is wrong or missing, or the ciphertext is corrupt.
 */
public final class WrongPassphraseException extends CryptoException {
    private static final long serialVersionUID = 1L;

    /** A failure described for the operator (no secret material in the message). */
    public WrongPassphraseException(String message) {
        super(message);
    }
}
