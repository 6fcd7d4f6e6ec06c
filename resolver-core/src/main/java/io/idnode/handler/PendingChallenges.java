package io.idnode.handler;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.protocol.Message;
import io.idnode.protocol.RequestDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * Challenges waiting for their answer (handle-protocol.md §6.1–6.3), keyed by the sessionId the challenge
 * carries, so that the answer may arrive on any connection or transport. Entries expire after a fixed
 * lifetime, measured by a {@link Ticker} (tests move it by hand); Caffeine drops them lazily, no thread
 * polls. Each challenge is answered at most once. Thread-safe.
 */
public final class PendingChallenges {
    /** How long a challenge waits for its answer (the stock server's 20 s). */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(20);
    /** Most challenges held at once; beyond that the oldest are dropped (a flood cannot exhaust memory). */
    public static final long MAX_PENDING = 100_000;
    /** Length of a challenge nonce in bytes (§6.1). */
    public static final int NONCE_LENGTH = 16;

    private final Cache<Integer, Pending> pending;
    private final Ticker ticker;
    private final long lifetimeNanos;
    private final SecureRandom random = new SecureRandom();

    /** Challenges living {@code lifetime}, timed by {@code ticker}. */
    public PendingChallenges(Duration lifetime, Ticker ticker) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("challenge lifetime must be positive, got " + lifetime);
        }
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.lifetimeNanos = lifetime.toNanos();
        this.pending = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(lifetime).maximumSize(MAX_PENDING)
                .build();
    }

    /** Challenges living {@link #DEFAULT_LIFETIME} in real time. */
    public PendingChallenges() {
        this(DEFAULT_LIFETIME, Ticker.systemTicker());
    }

    /**
     * Opens a challenge to {@code request}, whose digest is {@code digest}: under {@code sessionId} when the
     * request is in a live session (replacing an earlier challenge of that session), else under a fresh
     * random positive id.
     */
    public Pending open(Message request, RequestDigest digest, int sessionId) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        long now = ticker.read();
        if (sessionId != 0) {
            Pending p = new Pending(sessionId, request, digest, nonce, now);
            pending.put(sessionId, p);
            return p;
        }
        while (true) {
            int id = random.nextInt(Integer.MAX_VALUE - 1) + 1;
            Pending p = new Pending(id, request, digest, nonce, now);
            if (pending.asMap().putIfAbsent(id, p) == null) {
                return p;
            }
        }
    }

    /** Removes and returns the live challenge with this id, or null if there is none or it expired. */
    public Pending take(int sessionId) {
        Pending p = pending.asMap().remove(sessionId);
        if (p == null || ticker.read() - p.openedNanos() >= lifetimeNanos) {
            return null;
        }
        return p;
    }

    /** Challenges currently held (expired ones may still be counted until Caffeine drops them). */
    public long size() {
        pending.cleanUp();
        return pending.estimatedSize();
    }

    /**
     * A challenge: its id, the request it holds back, the digest of that request and the nonce the answer
     * must sign together with the digest (§6.2).
     */
    public record Pending(int sessionId, Message request, RequestDigest digest, byte[] nonce, long openedNanos) {
    }
}
