package io.idnode.handler;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.budget.MemoryBudget;
import io.idnode.budget.MessageFootprint;
import io.idnode.protocol.Message;
import io.idnode.protocol.RequestDigest;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Challenges waiting for their answer (handle-protocol.md §6.1–6.3), keyed by the sessionId the challenge
 * carries, so that the answer may arrive on any connection or transport. Each holds the challenged request
 * (a create may be 256 KiB) for its lifetime, so the table is bounded by a {@link MemoryBudget} charged with
 * each request's {@link MessageFootprint}: a challenge that does not fit is not opened, and the caller
 * answers 3 (server too busy). No one address may hold more than a {@link #SOURCE_SHARE}th of the budget,
 * so that a flood of challenged requests from one client (over TCP, where the address is not forged) leaves
 * room for everyone else's. Entries expire after a fixed lifetime, measured by a {@link Ticker} (tests
 * move it by hand); Caffeine drops them lazily, no thread polls, and an expired entry's bytes are returned
 * when it is dropped. Each challenge is answered at most once. Thread-safe.
 */
public final class PendingChallenges {
    /** How long a challenge waits for its answer (the stock server's 20 s). */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(20);
    /** Bytes of challenged requests held at most when no budget is given (16 MiB). */
    public static final long DEFAULT_MEMORY = 16L << 20;
    /** The part of the budget one address may hold: a quarter. */
    public static final int SOURCE_SHARE = 4;
    /** Length of a challenge nonce in bytes (§6.1). */
    public static final int NONCE_LENGTH = 16;

    private final Cache<Integer, Pending> pending;
    private final Ticker ticker;
    private final long lifetimeNanos;
    private final MemoryBudget budget;
    private final ConcurrentMap<InetAddress, Long> bySource = new ConcurrentHashMap<>();
    private final LongAdder refusedPerSource = new LongAdder();
    private final SecureRandom random = new SecureRandom();

    /** Challenges living {@code lifetime}, timed by {@code ticker}, their requests held within {@code budget}. */
    public PendingChallenges(Duration lifetime, Ticker ticker, MemoryBudget budget) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("challenge lifetime must be positive, got " + lifetime);
        }
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.lifetimeNanos = lifetime.toNanos();
        this.budget = Objects.requireNonNull(budget, "budget");
        // Removal is noticed on the thread that causes it (no pool), so the bytes are back before the next open.
        this.pending = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(lifetime).executor(Runnable::run)
                .<Integer, Pending>removalListener((id, p, cause) -> released(p)).build();
    }

    /** Challenges living {@code lifetime}, timed by {@code ticker}, within {@link #DEFAULT_MEMORY}. */
    public PendingChallenges(Duration lifetime, Ticker ticker) {
        this(lifetime, ticker, new MemoryBudget("challenge-memory", DEFAULT_MEMORY));
    }

    /** Challenges living {@link #DEFAULT_LIFETIME} in real time, within {@link #DEFAULT_MEMORY}. */
    public PendingChallenges() {
        this(DEFAULT_LIFETIME, Ticker.systemTicker());
    }

    /** As {@link #open(Message, RequestDigest, int, InetAddress)} from an address not known. */
    public Pending open(Message request, RequestDigest digest, int sessionId) {
        return open(request, digest, sessionId, null);
    }

    /**
     * Opens a challenge to {@code request}, whose digest is {@code digest}, sent from {@code source} (null if
     * not known): under {@code sessionId} when the request is in a live session (replacing an earlier
     * challenge of that session), else under a fresh random positive id. Returns null, opening nothing, when
     * holding the request would pass the budget or the source's share of it.
     */
    public Pending open(Message request, RequestDigest digest, int sessionId, InetAddress source) {
        long bytes = MessageFootprint.of(request);
        if (budget.used() + bytes > budget.limit()
                || source != null && bySource.getOrDefault(source, 0L) + bytes > budget.limit() / SOURCE_SHARE) {
            pending.cleanUp(); // expired challenges still holding bytes give them back first
        }
        if (source != null && !takeShare(source, bytes)) {
            refusedPerSource.increment();
            return null;
        }
        if (!budget.tryReserve(bytes)) {
            if (source != null) {
                giveShare(source, bytes);
            }
            return null;
        }
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        long now = ticker.read();
        if (sessionId != 0) {
            Pending p = new Pending(sessionId, request, digest, nonce, now, bytes, source);
            pending.put(sessionId, p);
            return p;
        }
        while (true) {
            int id = random.nextInt(Integer.MAX_VALUE - 1) + 1;
            Pending p = new Pending(id, request, digest, nonce, now, bytes, source);
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

    /** The budget the held requests are charged to. */
    public MemoryBudget budget() {
        return budget;
    }

    /** Bytes held now for requests from {@code source}. */
    public long held(InetAddress source) {
        return bySource.getOrDefault(source, 0L);
    }

    /** Challenges not opened because their address held its share of the budget. */
    public long refusedPerSource() {
        return refusedPerSource.sum();
    }

    private boolean takeShare(InetAddress source, long bytes) {
        long share = budget.limit() / SOURCE_SHARE;
        boolean[] taken = new boolean[1];
        bySource.compute(source, (k, held) -> {
            long now = held == null ? 0 : held;
            if (now + bytes > share) {
                return held;
            }
            taken[0] = true;
            return now + bytes;
        });
        return taken[0];
    }

    private void giveShare(InetAddress source, long bytes) {
        bySource.computeIfPresent(source, (k, held) -> held == bytes ? null : held - bytes);
    }

    private void released(Pending p) {
        budget.release(p.heldBytes());
        if (p.source() != null) {
            giveShare(p.source(), p.heldBytes());
        }
    }

    /**
     * A challenge: its id, the request it holds back, the digest of that request, the nonce the answer must
     * sign together with the digest (§6.2), when it was opened, the bytes it is charged for and the address
     * it is charged to (null if not known).
     */
    public record Pending(int sessionId, Message request, RequestDigest digest, byte[] nonce, long openedNanos,
            long heldBytes, InetAddress source) {
    }
}
