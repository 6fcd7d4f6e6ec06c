package io.idnode.client;

import io.idnode.protocol.ProtocolVersion;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session with one server, bound to one connection of its pool (handle-protocol.md §6.5): its id, its 32-byte
 * key (HMAC key; AES uses the first 16), the version it speaks and the client's message counter (from 1), whose
 * values go out over that connection in order. Until the server has taken a challenge answer in it, one
 * administrative request at a time goes ahead (the pilot: it is challenged, answers, and so authenticates the
 * session for everyone); the others wait, then go on MACs alone. Thread-safe.
 */
final class ClientSession {
    private final int id;
    private final byte[] key;
    private final ProtocolVersion version;
    private final AtomicInteger counter = new AtomicInteger();
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private boolean authenticated;
    private boolean piloting;

    ClientSession(int id, byte[] key, ProtocolVersion version) {
        this.id = id;
        this.key = key;
        this.version = version;
    }

    int id() {
        return id;
    }

    /** The session key; shared, not copied: not to be modified. */
    byte[] key() {
        return key;
    }

    ProtocolVersion version() {
        return version;
    }

    /** The counter of the next message sent in the session (§6.5). */
    int nextCounter() {
        return counter.incrementAndGet();
    }

    /**
     * Runs {@code go} now if the session is authenticated or no request is proving it, else once it is free:
     * {@code go} is told whether it is the pilot, which must then call {@link #pilotDone}.
     */
    void enter(Entrant go) {
        boolean pilot;
        synchronized (this) {
            if (!authenticated && piloting) {
                waiting.add(() -> enter(go));
                return;
            }
            pilot = !authenticated;
            piloting |= pilot;
        }
        go.enter(pilot);
    }

    /** The pilot's exchange is over; {@code proved} if the server took its answer. Lets the waiting go on. */
    void pilotDone(boolean proved) {
        Runnable[] next;
        synchronized (this) {
            piloting = false;
            authenticated |= proved;
            next = waiting.toArray(new Runnable[0]);
            waiting.clear();
        }
        for (Runnable r : next) {
            r.run();
        }
    }

    /** A request waiting to go ahead in a session. */
    interface Entrant {
        /** Goes ahead; {@code pilot} if it is to prove the session. */
        void enter(boolean pilot);
    }
}
