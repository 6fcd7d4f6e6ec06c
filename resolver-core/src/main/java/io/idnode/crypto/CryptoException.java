package io.idnode.crypto;

import java.util.List;

/**
 * A verdict on cryptographic input: a key, hash, signature, MAC, challenge answer, ciphertext or key file that
 * cannot be used as given. Callers outside {@code crypto} map each kind to a protocol response code; a fault of
 * the engines themselves is a {@link CryptoEngineException} instead.
 */
public abstract sealed class CryptoException extends Exception
        permits UnsupportedAlgorithmException, UnusableKeyException, MalformedCryptoInputException,
        WrongPassphraseException {
    private static final long serialVersionUID = 1L;

    /** A verdict described by {@code message}; like the codec's exception it records no stack. */
    protected CryptoException(String message) {
        super(message, null, false, false);
    }

    /**
     * Untrusted text (a type name or hash id from the wire) made safe for a message: printable ASCII kept, other
     * characters escaped as {@code \}{@code uXXXX}, at most 40 characters.
     */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    /** Alternatives for a message, e.g. {@code "RSA, DSA or DH"}. */
    public static String oneOf(List<String> names) {
        int n = names.size();
        if (n <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, n - 1)) + " or " + names.get(n - 1);
    }
}
