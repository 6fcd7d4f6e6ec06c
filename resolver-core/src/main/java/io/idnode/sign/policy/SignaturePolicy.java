package io.idnode.sign.policy;

import io.idnode.sign.RecordVerifier;
import io.idnode.sign.TrustRoot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which prefixes require signed records, and the roots their signatures must chain to: "records under this
 * prefix must carry a valid signature chained to these roots". Immutable.
 *
 * @param roots per prefix (as written, matched case-insensitively), the trust roots of its records
 * @param maxChainLength the longest certificate chain followed
 */
public record SignaturePolicy(Map<String, List<TrustRoot>> roots, int maxChainLength) {
    /** No prefix requires signatures. */
    public static final SignaturePolicy NONE = new SignaturePolicy(Map.of(), RecordVerifier.DEFAULT_MAX_CHAIN_LENGTH);

    public SignaturePolicy {
        Map<String, List<TrustRoot>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<TrustRoot>> e : roots.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException("prefix " + e.getKey() + " requires signatures but names no root");
            }
            copy.put(e.getKey().toUpperCase(Locale.ROOT), List.copyOf(e.getValue()));
        }
        roots = java.util.Collections.unmodifiableMap(copy);
        if (maxChainLength < 1) {
            throw new IllegalArgumentException("chain length limit must be at least 1, got " + maxChainLength);
        }
    }

    /** True if no prefix requires signatures. */
    public boolean isEmpty() {
        return roots.isEmpty();
    }

    /** The roots the records of {@code handle} must chain to, or null if its prefix requires no signature. */
    public List<TrustRoot> rootsFor(String handle) {
        int slash = handle.indexOf('/');
        return slash <= 0 ? null : roots.get(handle.substring(0, slash).toUpperCase(Locale.ROOT));
    }

    /** This policy with {@code prefix} requiring signatures chained to {@code prefixRoots}. */
    public SignaturePolicy with(String prefix, List<TrustRoot> prefixRoots) {
        Map<String, List<TrustRoot>> more = new LinkedHashMap<>(roots);
        more.put(Objects.requireNonNull(prefix, "prefix"), prefixRoots);
        return new SignaturePolicy(more, maxChainLength);
    }
}
