package io.idnode.handler.session;

import io.idnode.crypto.JcaEngines;
import io.idnode.crypto.auth.SessionMacKey;
import io.idnode.handler.RequestContext;
import io.idnode.model.Handles;
import io.idnode.model.ValueReference;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One live session (handle-protocol.md §6.5): its id, 32-byte session key, the protocol version agreed at
 * setup, the identity named at setup and, once a challenge has been answered, the identity it is
 * authenticated as. Tracks the client's session counters to refuse replays and numbers the server's own
 * MACs from 1. Thread-safe: a session is used by every transport and connection at once.
 */
public final class Session {
    /**
     * How far below the highest counter seen a late counter is still accepted. A window rather than a
     * high-water mark because one client session is shared by the client's threads and by UDP and TCP,
     * so requests may arrive out of order; 64 in flight is far more than a client keeps.
     */
    public static final int REPLAY_WINDOW = 64;

    private final int id;
    private final byte[] key;
    private final int majorVersion;
    private final int minorVersion;
    private final ValueReference identity;
    private final InetAddress source;
    private final long timeoutMillis;
    private final long deadlineMillis;
    private final AtomicInteger serverCounter = new AtomicInteger();
    private volatile long lastUsedMillis;
    private volatile ValueReference authenticatedAs;
    /** Made on first use; a race makes two equal ones, and either serves. */
    private volatile SessionMacKey macKey;
    private volatile RequestContext context;
    // Guarded by this: the highest client counter accepted and a bitmap of the REPLAY_WINDOW below it.
    private int highestCounter;
    private long seenBelow;

    Session(int id, byte[] key, int majorVersion, int minorVersion, ValueReference identity, InetAddress source,
            long nowMillis, long timeoutMillis, long maxLifetimeMillis) {
        this.id = id;
        this.key = key.clone();
        this.majorVersion = majorVersion;
        this.minorVersion = minorVersion;
        this.identity = identity;
        this.source = source;
        this.timeoutMillis = timeoutMillis;
        this.deadlineMillis = nowMillis + maxLifetimeMillis;
        this.lastUsedMillis = nowMillis;
    }

    /** The session id, the envelope's sessionId of every message in the session. */
    public int id() {
        return id;
    }

    /** The 32-byte session key (HMAC key; AES uses its first 16 bytes). Not a copy: do not modify. */
    byte[] key() {
        return key;
    }

    /**
     * The session key as a keyed HMAC engine for the MACs of 2.7 and later (made on first use with
     * {@code engines}, the JDK's), so that MACs in the session need no key set-up.
     */
    SessionMacKey macKey(JcaEngines engines) {
        SessionMacKey k = macKey;
        if (k == null) {
            k = new SessionMacKey(engines, key);
            macKey = k;
        }
        return k;
    }

    /** What the chain knows of a request verified in this session, made once ({@link SessionLink}). */
    RequestContext context() {
        RequestContext c = context;
        if (c == null) {
            c = new SessionLink.SessionContext(this);
            context = c;
        }
        return c;
    }

    /** Protocol version agreed at setup, e.g. 211. */
    public int version() {
        return majorVersion * 100 + minorVersion;
    }

    /** The identity named in the setup request, or {@code null} for an anonymous session. */
    public ValueReference identity() {
        return identity;
    }

    /** The address the session was set up from, or {@code null} if unknown. */
    public InetAddress source() {
        return source;
    }

    /** The identity this session has proved by a challenge answer, or {@code null}. */
    public ValueReference authenticatedAs() {
        return authenticatedAs;
    }

    /** Idle timeout after which the session ends, in milliseconds. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Marks the session authenticated as {@code proved}, but only if it is the identity named at setup
     * (§6.5); anything else is ignored and {@code false} is returned.
     */
    public boolean authenticate(ValueReference proved) {
        if (proved == null || identity == null || proved.index() != identity.index()
                || !Handles.asciiUpper(proved.handle()).equals(Handles.asciiUpper(identity.handle()))) {
            return false;
        }
        authenticatedAs = identity;
        return true;
    }

    /**
     * Accepts a client session counter once: {@code false} for a counter seen before, below 1, or more than
     * {@link #REPLAY_WINDOW} below the highest one accepted (§6.5, 505).
     */
    public synchronized boolean acceptCounter(int counter) {
        if (counter < 1) {
            return false;
        }
        if (counter > highestCounter) {
            long shift = (long) counter - highestCounter;
            // Bit i of seenBelow stands for highestCounter - 1 - i; the old highest becomes bit shift-1.
            seenBelow = shift > REPLAY_WINDOW ? 0 : shift == REPLAY_WINDOW ? 1L << 63
                    : (seenBelow << shift) | (1L << (shift - 1));
            if (highestCounter == 0) {
                seenBelow = 0;
            }
            highestCounter = counter;
            return true;
        }
        long behind = (long) highestCounter - counter;
        if (behind == 0 || behind > REPLAY_WINDOW) {
            return false;
        }
        long bit = 1L << (behind - 1);
        if ((seenBelow & bit) != 0) {
            return false;
        }
        seenBelow |= bit;
        return true;
    }

    /** The counter of the server's next MAC in this session: 1, 2, 3… (§2.3). */
    public int nextServerCounter() {
        return serverCounter.incrementAndGet();
    }

    boolean expiredAt(long nowMillis) {
        return nowMillis >= deadlineMillis || nowMillis - lastUsedMillis >= timeoutMillis;
    }

    void touch(long nowMillis) {
        lastUsedMillis = nowMillis;
    }

    long lastUsedMillis() {
        return lastUsedMillis;
    }
}
