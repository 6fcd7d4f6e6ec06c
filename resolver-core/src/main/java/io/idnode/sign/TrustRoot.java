package io.idnode.sign;

import java.security.PublicKey;
import java.util.Locale;
import java.util.Objects;

/**
 * A key a verifier trusts as the end of a certificate chain (cn-extensions.md §5.2, §5.3 step 5): the key of
 * a self-issued HS_CERT, optionally only at one root handle. The stock library trusts keys alone (its root
 * key is the one at {@value #STOCK_ROOT_HANDLE}); the Chinese SDK trusts a root handle, by default
 * {@value #DEFAULT_CN_ROOT_HANDLE}, with its key. Immutable.
 *
 * @param handle the handle the root certificate's {@code sub} must name; null for any
 * @param key the trusted public key
 */
public record TrustRoot(String handle, PublicKey key) {
    /** The global root handle whose key the stock library trusts. */
    public static final String STOCK_ROOT_HANDLE = "0.0/0.0";
    /** The Chinese SDK's default root handle. */
    public static final String DEFAULT_CN_ROOT_HANDLE = "88.111.1/0.0";

    public TrustRoot {
        Objects.requireNonNull(key, "key");
    }

    /** A root trusted by its key alone, at whatever handle its certificate names. */
    public static TrustRoot key(PublicKey key) {
        return new TrustRoot(null, key);
    }

    /** True if a self-issued certificate about {@code subHandle} certifying {@code certified} is this root. */
    public boolean matches(String subHandle, PublicKey certified) {
        return java.util.Arrays.equals(key.getEncoded(), certified.getEncoded())
                && (handle == null || samePrefixHandle(handle, subHandle));
    }

    @Override
    public String toString() {
        return (handle == null ? "any handle" : handle) + " with " + key.getAlgorithm() + " key";
    }

    static boolean samePrefixHandle(String a, String b) {
        int sa = a.indexOf('/');
        int sb = b.indexOf('/');
        if (sa != sb) {
            return false;
        }
        return sa < 0 ? a.equalsIgnoreCase(b) : a.substring(0, sa).toUpperCase(Locale.ROOT)
                .equals(b.substring(0, sb).toUpperCase(Locale.ROOT)) && a.substring(sa).equals(b.substring(sb));
    }
}
