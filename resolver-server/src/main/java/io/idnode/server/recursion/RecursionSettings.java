package io.idnode.server.recursion;

import io.idnode.model.SiteInfo;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of a recursive node (README "The tree of nodes"): the top-level nodes it starts from
 * ({@code --root}), how long one answer may take ({@code recursion-timeout}), how long a not-found answer is kept
 * ({@code recursion-negative-ttl}) and any answer or referral at most ({@code recursion-max-ttl}), how many
 * answers and referrals are kept ({@code recursion-cache}), and how many resolutions a second one source network
 * may make it ask other nodes about ({@code recursion-rate}).
 */
public record RecursionSettings(List<SiteInfo> roots, Duration timeout, Duration negativeTtl, Duration maxTtl,
        long cacheEntries, int ratePerSource) {
    /**
     * Upstream requests one answer may take at most, the recursion counts of the request included
     * (handle-protocol.md §2.1; the stock client follows at most 40 referrals, the SDK 20).
     */
    public static final int MAX_HOPS = 20;

    /** Checks the settings; the roots are copied. */
    public RecursionSettings {
        roots = List.copyOf(Objects.requireNonNull(roots, "roots"));
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a recursive node needs at least one top-level node to start from");
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(negativeTtl, "negativeTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
    }
}
