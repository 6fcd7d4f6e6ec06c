package io.idnode.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link CachingRecordStore}, immutable; made by {@link #builder()}, whose setters each check
 * their argument and name the setting in the error. Defaults are the {@code DEFAULT_*} constants.
 *
 * <p>A cached record lives as long as the smallest TTL among its values (handle-protocol.md §5.1: relative
 * TTLs in seconds, absolute TTLs until their Unix time), clamped to [{@code minTtl}, {@code maxTtl}]. "Not
 * found" answers are cached separately for {@code negativeTtl}.
 */
public final class CacheSettings {
    /** Default bound on the number of cached records. */
    public static final long DEFAULT_MAXIMUM_SIZE = 100_000;
    /** Default shortest lifetime of a cached record, even if its values ask for less (e.g. TTL 0). */
    public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(1);
    /** Default longest lifetime of a cached record, however long its values' TTLs are. */
    public static final Duration DEFAULT_MAX_TTL = Duration.ofMinutes(5);
    /** Default lifetime of a cached "not found"; {@link Duration#ZERO} disables negative caching. */
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);
    /** Default bound on the number of cached "not found" answers. */
    public static final long DEFAULT_NEGATIVE_MAXIMUM_SIZE = 10_000;
    /**
     * Records are cached on their second recent miss: keys asked once (a scan, uniform keys over a store much
     * larger than the cache) pass by without displacing cached records or churning the heap.
     */
    public static final boolean DEFAULT_CACHE_ON_SECOND_MISS = true;
    /** Longest lifetime any TTL setting accepts. */
    public static final Duration LONGEST_TTL = Duration.ofDays(365);

    private final long maximumSize;
    private final long maximumWeight;
    private final Duration minTtl;
    private final Duration maxTtl;
    private final Duration negativeTtl;
    private final long negativeMaximumSize;
    private final boolean cacheOnSecondMiss;
    private final Ticker ticker;
    private final Clock clock;

    private CacheSettings(Builder b) {
        this.maximumWeight = b.maximumWeight;
        this.maximumSize = b.maximumWeight >= 0 ? -1 : b.maximumSize >= 0 ? b.maximumSize : DEFAULT_MAXIMUM_SIZE;
        this.minTtl = b.minTtl;
        this.maxTtl = b.maxTtl;
        this.negativeTtl = b.negativeTtl;
        this.negativeMaximumSize = b.negativeMaximumSize;
        this.cacheOnSecondMiss = b.cacheOnSecondMiss;
        this.ticker = b.ticker;
        this.clock = b.clock;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings with every default. */
    public static CacheSettings defaults() {
        return builder().build();
    }

    /** Bound on the number of cached records, or -1 if they are bounded by {@link #maximumWeight()}. */
    public long maximumSize() {
        return maximumSize;
    }

    /** Bound on the total weight (about the encoded bytes) of cached records, or -1 if bounded by count. */
    public long maximumWeight() {
        return maximumWeight;
    }

    /** Shortest lifetime of a cached record. */
    public Duration minTtl() {
        return minTtl;
    }

    /** Longest lifetime of a cached record. */
    public Duration maxTtl() {
        return maxTtl;
    }

    /** Lifetime of a cached "not found"; zero if negative caching is off. */
    public Duration negativeTtl() {
        return negativeTtl;
    }

    /** Bound on the number of cached "not found" answers. */
    public long negativeMaximumSize() {
        return negativeMaximumSize;
    }

    /** Whether "not found" answers are cached. */
    public boolean negativeCaching() {
        return !negativeTtl.isZero();
    }

    /** Whether a record is cached on its second recent miss rather than its first. */
    public boolean cacheOnSecondMiss() {
        return cacheOnSecondMiss;
    }

    /** The time source of expiry (Caffeine's). */
    public Ticker ticker() {
        return ticker;
    }

    /** Wall-clock time, to turn absolute TTLs into lifetimes. */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "CacheSettings{" + (maximumSize >= 0 ? "maximumSize=" + maximumSize : "maximumWeight=" + maximumWeight)
                + ", minTtl=" + minTtl + ", maxTtl=" + maxTtl + ", negativeTtl=" + negativeTtl
                + ", negativeMaximumSize=" + negativeMaximumSize + ", cacheOnSecondMiss=" + cacheOnSecondMiss + "}";
    }

    /** Builds {@link CacheSettings}; every setter refuses nonsense, naming the setting. */
    public static final class Builder {
        private long maximumSize = -1;
        private long maximumWeight = -1;
        private Duration minTtl = DEFAULT_MIN_TTL;
        private Duration maxTtl = DEFAULT_MAX_TTL;
        private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
        private long negativeMaximumSize = DEFAULT_NEGATIVE_MAXIMUM_SIZE;
        private boolean cacheOnSecondMiss = DEFAULT_CACHE_ON_SECOND_MISS;
        private Ticker ticker = Ticker.systemTicker();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Bounds the cache by record count (default {@link #DEFAULT_MAXIMUM_SIZE}); excludes maximumWeight. */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize <= 0) {
                throw new IllegalArgumentException("maximumSize must be positive, got " + maximumSize);
            }
            if (maximumWeight >= 0) {
                throw new IllegalStateException("maximumSize cannot be combined with maximumWeight (already set to "
                        + maximumWeight + ")");
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** Bounds the cache by total weight, about the encoded bytes of the records; excludes maximumSize. */
        public Builder maximumWeight(long maximumWeight) {
            if (maximumWeight <= 0) {
                throw new IllegalArgumentException("maximumWeight must be positive, got " + maximumWeight);
            }
            if (maximumSize >= 0) {
                throw new IllegalStateException("maximumWeight cannot be combined with maximumSize (already set to "
                        + maximumSize + ")");
            }
            this.maximumWeight = maximumWeight;
            return this;
        }

        /** Shortest lifetime of a cached record (default {@link #DEFAULT_MIN_TTL}); zero or more. */
        public Builder minTtl(Duration minTtl) {
            this.minTtl = checkTtl("minTtl", minTtl);
            return this;
        }

        /** Longest lifetime of a cached record (default {@link #DEFAULT_MAX_TTL}); at least minTtl. */
        public Builder maxTtl(Duration maxTtl) {
            this.maxTtl = checkTtl("maxTtl", maxTtl);
            return this;
        }

        /** Lifetime of a cached "not found" (default {@link #DEFAULT_NEGATIVE_TTL}); zero disables it. */
        public Builder negativeTtl(Duration negativeTtl) {
            this.negativeTtl = checkTtl("negativeTtl", negativeTtl);
            return this;
        }

        /** Bound on cached "not found" answers (default {@link #DEFAULT_NEGATIVE_MAXIMUM_SIZE}). */
        public Builder negativeMaximumSize(long negativeMaximumSize) {
            if (negativeMaximumSize <= 0) {
                throw new IllegalArgumentException("negativeMaximumSize must be positive, got " + negativeMaximumSize);
            }
            this.negativeMaximumSize = negativeMaximumSize;
            return this;
        }

        /**
         * Whether a record is cached only when it is looked up a second time while still remembered as recently
         * missed (default {@link #DEFAULT_CACHE_ON_SECOND_MISS}), instead of on its first miss.
         */
        public Builder cacheOnSecondMiss(boolean cacheOnSecondMiss) {
            this.cacheOnSecondMiss = cacheOnSecondMiss;
            return this;
        }

        /** Time source of expiry (default {@link Ticker#systemTicker()}); tests pass a fake. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Wall clock for absolute TTLs (default {@link Clock#systemUTC()}). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The settings; fails if maxTtl is shorter than minTtl. */
        public CacheSettings build() {
            if (maxTtl.compareTo(minTtl) < 0) {
                throw new IllegalArgumentException("maxTtl (" + maxTtl + ") must not be shorter than minTtl (" + minTtl + ")");
            }
            return new CacheSettings(this);
        }

        private static Duration checkTtl(String setting, Duration ttl) {
            Objects.requireNonNull(ttl, setting);
            if (ttl.isNegative()) {
                throw new IllegalArgumentException(setting + " must not be negative, got " + ttl);
            }
            if (ttl.compareTo(LONGEST_TTL) > 0) {
                throw new IllegalArgumentException(setting + " must be at most " + LONGEST_TTL + ", got " + ttl);
            }
            return ttl;
        }
    }
}
