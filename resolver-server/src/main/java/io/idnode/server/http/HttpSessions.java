package io.idnode.server.http;

import io.idnode.model.ValueReference;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The HTTP sessions of the {@code Authorization: Handle} scheme (handle-protocol.md §8.1): each has a random id, the
 * server's 16-byte nonce the client signs with its own, the address that made it, and once authenticated the
 * identity later requests run as. Bounded: at most {@code maxSessions} at once and {@code maxPerSource} made from one
 * address (when full, the least recently used session that never authenticated makes room, else none is made), each
 * forgotten after {@code idle} without use and after {@code lifetime} in all. Thread-safe.
 */
final class HttpSessions {
    /** Bytes of a server nonce. */
    static final int NONCE_BYTES = 16;
    /** Defaults: the native session table's bounds (10,000, 100 per address), ten minutes idle, a day in all. */
    static final int DEFAULT_MAX = 10_000;
    static final int DEFAULT_MAX_PER_SOURCE = 100;
    static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);

    private final int maxSessions;
    private final int maxPerSource;
    private final long idleMillis;
    private final long lifetimeMillis;
    private final LongSupplier millis;
    private final SecureRandom random;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perSource = new ConcurrentHashMap<>();

    /** One session; its identity is set once it authenticates. */
    static final class Session {
        private final String id;
        private final byte[] nonce;
        private final InetAddress source;
        private final long created;
        private volatile long lastUsed;
        private volatile ValueReference identity;

        private Session(String id, byte[] nonce, InetAddress source, long now) {
            this.id = id;
            this.nonce = nonce;
            this.source = source;
            this.created = now;
            this.lastUsed = now;
        }

        /** The session's id, as clients send it. */
        String id() {
            return id;
        }

        /** A copy of the server nonce. */
        byte[] nonce() {
            return nonce.clone();
        }

        /** The nonce in base64, as the challenge and the session's JSON carry it. */
        String nonceBase64() {
            return Base64.getEncoder().encodeToString(nonce);
        }

        /** The identity the session proved, null before. */
        ValueReference identity() {
            return identity;
        }

        void authenticated(ValueReference who) {
            this.identity = who;
        }
    }

    HttpSessions(int maxSessions, int maxPerSource, Duration idle, Duration lifetime, LongSupplier millis,
            SecureRandom random) {
        if (maxSessions < 1 || maxPerSource < 1) {
            throw new IllegalArgumentException("session bounds must be at least 1");
        }
        this.maxSessions = maxSessions;
        this.maxPerSource = maxPerSource;
        this.idleMillis = idle.toMillis();
        this.lifetimeMillis = lifetime.toMillis();
        this.millis = Objects.requireNonNull(millis, "millis");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Sessions with the default bounds, on the system clock. */
    static HttpSessions withDefaults() {
        return new HttpSessions(DEFAULT_MAX, DEFAULT_MAX_PER_SOURCE, DEFAULT_IDLE, DEFAULT_LIFETIME,
                System::currentTimeMillis, new SecureRandom());
    }

    /** A new session made from {@code source}, or null if the bounds leave no room for it. */
    synchronized Session create(InetAddress source) {
        long now = millis.getAsLong();
        if (sessions.size() >= maxSessions || perSource.getOrDefault(source, 0) >= maxPerSource) {
            purge(now);
        }
        if (perSource.getOrDefault(source, 0) >= maxPerSource && !evictAnonymous(now, source)
                || sessions.size() >= maxSessions && !evictAnonymous(now, null)) {
            return null;
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        Session s = new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(id), nonce, source, now);
        sessions.put(s.id, s);
        perSource.merge(source, 1, Integer::sum);
        return s;
    }

    /** The live session {@code id}, marked used; null if unknown or expired. */
    Session find(String id) {
        if (id == null) {
            return null;
        }
        Session s = sessions.get(id);
        if (s == null) {
            return null;
        }
        long now = millis.getAsLong();
        if (expired(s, now)) {
            end(id);
            return null;
        }
        s.lastUsed = now;
        return s;
    }

    /** Ends session {@code id}; true if it was live. */
    synchronized boolean end(String id) {
        Session s = sessions.remove(id);
        if (s == null) {
            return false;
        }
        perSource.computeIfPresent(s.source, (k, n) -> n <= 1 ? null : n - 1);
        return !expired(s, millis.getAsLong());
    }

    /** Sessions held now (expired ones included until purged). */
    int size() {
        return sessions.size();
    }

    private boolean expired(Session s, long now) {
        return now - s.lastUsed >= idleMillis || now - s.created >= lifetimeMillis;
    }

    private void purge(long now) {
        for (Session s : sessions.values()) {
            if (expired(s, now)) {
                end(s.id);
            }
        }
    }

    /** Ends the least recently used session that never authenticated (of {@code source}, if not null). */
    private boolean evictAnonymous(long now, InetAddress source) {
        Session victim = null;
        for (Session s : sessions.values()) {
            if (s.identity == null && (source == null || source.equals(s.source))
                    && (victim == null || s.lastUsed < victim.lastUsed)) {
                victim = s;
            }
        }
        if (victim == null) {
            return false;
        }
        end(victim.id);
        return true;
    }
}
