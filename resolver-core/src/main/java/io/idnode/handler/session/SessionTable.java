package io.idnode.handler.session;

import io.idnode.budget.SourceQuota;
import io.idnode.model.ValueReference;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's live sessions keyed by session id (handle-protocol.md §1.4, §6.5: every step of a session may
 * arrive on a new connection or another transport). Bounded by {@link SessionSettings#maxSessions()} and,
 * per address that set them up, by {@link SessionSettings#maxPerSource()}, so that one source cannot fill
 * the table. When the table is full, expired sessions are swept and then the least recently used session
 * that never authenticated is dropped to make room (its client gets 500 and sets up a new one, §6.5); only
 * a table full of authenticated sessions refuses. A session ends after its timeout without use, or
 * {@link SessionSettings#maxTimeout()} after setup, whichever comes first. Expiry is read from the injected
 * clock when a session is looked up or room is needed: no timer threads. A session holds about
 * {@link #SESSION_BYTES} bytes, so the table's memory is bounded by its count. Thread-safe.
 */
public final class SessionTable {
    /** Memory one session takes, with its entry in the table: the bound in bytes is this times the count. */
    public static final int SESSION_BYTES = 512;

    private final ConcurrentMap<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final SessionSettings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final SourceQuota perSource;
    private final LongAdder refusedFull = new LongAdder();
    private final LongAdder evicted = new LongAdder();

    public SessionTable(SessionSettings settings, Clock clock, SecureRandom random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.perSource = new SourceQuota(Integer.MAX_VALUE, settings.maxPerSource());
    }

    /**
     * Opens a session under a fresh random positive id with the idle timeout granted for the one requested
     * in seconds ({@link SessionSettings#grantedTimeoutMillis}), set up from {@code source} (null: unknown,
     * not counted per source); {@code null} when the source has its quota or the table is full of
     * authenticated sessions.
     */
    public Session open(byte[] sessionKey, int majorVersion, int minorVersion, ValueReference identity,
            int requestedTimeoutSeconds, InetAddress source) {
        long timeout = settings.grantedTimeoutMillis(requestedTimeoutSeconds);
        long max = settings.maxTimeout().toMillis();
        synchronized (this) {
            // Setups are rare and cost a DH key agreement each; serialising them keeps the bounds exact.
            long now = clock.millis();
            if (source != null) {
                if (perSource.held(source) >= settings.maxPerSource()) {
                    sweepExpired(now);
                }
                if (!perSource.tryAcquire(source)) {
                    return null;
                }
            }
            if (sessions.size() >= settings.maxSessions() && !makeRoom(now)) {
                if (source != null) {
                    perSource.release(source);
                }
                refusedFull.increment();
                return null;
            }
            while (true) {
                int id = random.nextInt(Integer.MAX_VALUE - 1) + 1;
                Session s = new Session(id, sessionKey, majorVersion, minorVersion, identity, source, now, timeout,
                        max);
                if (sessions.putIfAbsent(id, s) == null) {
                    return s;
                }
            }
        }
    }

    /** The live session {@code id}, or {@code null} if there is none or it has expired (it is then removed). */
    public Session live(int id) {
        Session s = sessions.get(id);
        if (s == null) {
            return null;
        }
        if (s.expiredAt(clock.millis())) {
            remove(s);
            return null;
        }
        return s;
    }

    /** Records that session {@code s} was used now, restarting its idle timeout. */
    public void touch(Session s) {
        s.touch(clock.millis());
    }

    /** Ends session {@code id} (SESSION_TERMINATE); {@code false} if it was not live. */
    public boolean close(int id) {
        Session s = sessions.get(id);
        return s != null && remove(s);
    }

    /** Number of sessions held, expired ones not yet swept included. */
    public int size() {
        return sessions.size();
    }

    /** Sessions held now that were set up from {@code source}, expired ones not yet swept included. */
    public int held(InetAddress source) {
        return perSource.held(source);
    }

    /** Setups refused because the table was full of authenticated sessions. */
    public long refusedFull() {
        return refusedFull.sum();
    }

    /** Setups refused because their address had its quota of sessions. */
    public long refusedPerSource() {
        return perSource.refusedPerSource();
    }

    /** Sessions that never authenticated, dropped to make room for a new one. */
    public long evicted() {
        return evicted.sum();
    }

    /** Sweeps expired sessions, then drops the least recently used unauthenticated one if still full. */
    private boolean makeRoom(long now) {
        sweepExpired(now);
        if (sessions.size() < settings.maxSessions()) {
            return true;
        }
        Session victim = null;
        for (Session s : sessions.values()) {
            if (s.authenticatedAs() == null && (victim == null || s.lastUsedMillis() < victim.lastUsedMillis())) {
                victim = s;
            }
        }
        if (victim != null && remove(victim)) {
            evicted.increment();
        }
        return sessions.size() < settings.maxSessions();
    }

    private void sweepExpired(long now) {
        for (Session s : sessions.values()) {
            if (s.expiredAt(now)) {
                remove(s);
            }
        }
    }

    /** Removes {@code s} if it is still in the table, and gives back its place in its source's quota. */
    private boolean remove(Session s) {
        if (!sessions.remove(s.id(), s)) {
            return false;
        }
        if (s.source() != null) {
            perSource.release(s.source());
        }
        return true;
    }
}
