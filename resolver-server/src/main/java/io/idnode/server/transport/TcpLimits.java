package io.idnode.server.transport;

import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.budget.SourceQuota;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every TCP connection of a node is held to: the connection quotas (in all and per address); the
 * requests one connection may have handed to the blocking executor at once (beyond that it is not read until
 * one is answered): {@link #MAX_IN_FLIGHT} for a stranger, {@link #sessionInFlight()} for a connection that has
 * carried a request verified in an authenticated session (its sender holds the key of a session whose
 * identity proved itself, handle-protocol.md §6.5), so that one client's batch reaches group commit in
 * larger groups; and the requests it may have answered in one turn of its event loop; and two timeouts,
 * both counted in whole requests rather than bytes: a connection that is between requests may idle for {@code idle}; one
 * that has begun a request, or has replies waiting to be written, must complete that request or take those
 * replies within {@code requestTimeout}, so that a byte a second does not keep it open. Time is read from
 * {@code ticker} (tests move it by hand). Shared by the node's connections; thread-safe.
 */
public final class TcpLimits {
    /** Requests of one connection handed to the blocking executor at once; the next waits unread. */
    public static final int MAX_IN_FLIGHT = 8;
    /**
     * Largest {@link #sessionInFlight()}: the requests a connection has in flight count against the queue of the
     * blocking executor and its memory budget, which the node's connections share.
     */
    public static final int MAX_SESSION_IN_FLIGHT = 1024;
    /**
     * Requests of one connection answered in one turn of its event loop; the rest wait for the next turn, after
     * the other connections' and sockets' reads, so that a pipelining flood delays others by at most this many
     * requests per flooding connection.
     */
    public static final int MAX_REQUESTS_PER_TURN = 128;

    private final SourceQuota connections;
    private final Duration idle;
    private final Duration requestTimeout;
    private final Ticker ticker;
    private final int sessionInFlight;
    private final LongAdder closedStalled = new LongAdder();

    /**
     * Limits with {@code connections} as the quotas and the two timeouts, timed by {@code ticker}; a connection
     * in an authenticated session is held to {@link #MAX_IN_FLIGHT} too.
     */
    public TcpLimits(SourceQuota connections, Duration idle, Duration requestTimeout, Ticker ticker) {
        this(connections, idle, requestTimeout, MAX_IN_FLIGHT, ticker);
    }

    /**
     * As above, a connection that has carried a request of an authenticated session having up to
     * {@code sessionInFlight} requests in flight ({@link #MAX_IN_FLIGHT} to {@link #MAX_SESSION_IN_FLIGHT}).
     */
    public TcpLimits(SourceQuota connections, Duration idle, Duration requestTimeout, int sessionInFlight,
            Ticker ticker) {
        if (sessionInFlight < MAX_IN_FLIGHT || sessionInFlight > MAX_SESSION_IN_FLIGHT) {
            throw new IllegalArgumentException("sessionInFlight must be " + MAX_IN_FLIGHT + " to "
                    + MAX_SESSION_IN_FLIGHT + ", got " + sessionInFlight);
        }
        this.sessionInFlight = sessionInFlight;
        this.connections = Objects.requireNonNull(connections, "connections");
        this.idle = requirePositive(idle, "idle");
        this.requestTimeout = requirePositive(requestTimeout, "requestTimeout");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    private static Duration requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    /** The connection quotas. */
    public SourceQuota connections() {
        return connections;
    }

    /**
     * Requests a connection that has carried a request verified in an authenticated session may have handed to
     * the blocking executor at once.
     */
    public int sessionInFlight() {
        return sessionInFlight;
    }

    /** Connections closed because a request they began, or replies sent to them, did not complete in time. */
    public long closedStalled() {
        return closedStalled.sum();
    }

    long idleNanos() {
        return idle.toNanos();
    }

    long requestTimeoutNanos() {
        return requestTimeout.toNanos();
    }

    /** How often each connection checks its progress: half the shorter timeout, so closing is at most 1.5x late. */
    long checkIntervalNanos() {
        return Math.max(Duration.ofMillis(10).toNanos(), Math.min(idleNanos(), requestTimeoutNanos()) / 2);
    }

    long now() {
        return ticker.read();
    }

    void stalled() {
        closedStalled.increment();
    }
}
