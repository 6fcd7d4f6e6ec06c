package io.idnode.handler.session;

import io.idnode.model.ValueReference;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The node's live sessions keyed by session id (handle-protocol.md §1.4, §6.5: every step of a session may
 * arrive on a new connection or another transport). Bounded by {@link SessionSettings#maxSessions()}; a
 * session ends after its timeout without use, or {@link SessionSettings#maxTimeout()} after setup,
 * whichever comes first. Expiry is read from the injected clock when a session is looked up, and expired
 * sessions are swept when the table is full: no timer threads. Thread-safe.
 */
public final class SessionTable {
    private final ConcurrentMap<Integer, Session> sessions = new ConcurrentHashMap<>();
    private final SessionSettings settings;
    private final Clock clock;
    private final SecureRandom random;

    public SessionTable(SessionSettings settings, Clock clock, SecureRandom random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Opens a session under a fresh random positive id with the requested timeout in seconds (0 or less,
     * or more than the maximum, gives the maximum); {@code null} when the table is full.
     */
    public Session open(byte[] sessionKey, int majorVersion, int minorVersion, ValueReference identity,
            int requestedTimeoutSeconds) {
        long max = settings.maxTimeout().toMillis();
        long timeout = requestedTimeoutSeconds <= 0 ? max : Math.min(max, requestedTimeoutSeconds * 1000L);
        synchronized (this) {
            // Setups are rare and cost a DH key generation each; serialising the count check keeps the bound exact.
            long now = clock.millis();
            if (sessions.size() >= settings.maxSessions()) {
                sessions.values().removeIf(s -> s.expiredAt(now));
                if (sessions.size() >= settings.maxSessions()) {
                    return null;
                }
            }
            while (true) {
                int id = random.nextInt(Integer.MAX_VALUE - 1) + 1;
                Session s = new Session(id, sessionKey, majorVersion, minorVersion, identity, now, timeout, max);
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
            sessions.remove(id, s);
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
        return sessions.remove(id) != null;
    }

    /** Number of sessions held, expired ones not yet swept included. */
    public int size() {
        return sessions.size();
    }
}
