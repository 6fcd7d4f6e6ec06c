package io.idnode.crypto;

/**
 * The input names an algorithm this node does not speak, or a pairing the protocol does not define: an unknown
 * key type, hash id, JWK {@code kty} or answer algorithm, MD5 with a DSA key, a key that cannot make Handle
 * signatures.
 */
public final class UnsupportedAlgorithmException extends CryptoException {
    private static final long serialVersionUID = 1L;

    /** A verdict naming the algorithm and what is supported instead. */
    public UnsupportedAlgorithmException(String message) {
        super(message);
    }
}
