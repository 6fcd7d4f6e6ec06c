package io.idnode.handler.session;

import java.time.Duration;

/**
 * Limits of the session table (handle-protocol.md §6.5). Defaults, documented once here: at most 10,000 live
 * sessions, at most 100 of them set up from one address (a setup beyond either is answered 3, server too
 * busy, unless a session that never authenticated can make room), and a session timeout of at most 24
 * hours. A client asking for longer gets the maximum; one asking for 0 (or less) names no timeout and gets
 * {@link #UNSPECIFIED_TIMEOUT}, not the maximum: a session nobody asked to keep is not kept for a day.
 *
 * @param maxSessions  live sessions kept at once, node-wide
 * @param maxPerSource live sessions set up from one address
 * @param maxTimeout   cap on the timeout a client asks for; also the longest a session lives at all
 */
public record SessionSettings(int maxSessions, int maxPerSource, Duration maxTimeout) {
    /** 10,000 sessions, 100 per address, 24 hours. */
    public static final SessionSettings DEFAULT = new SessionSettings(10_000, 100, Duration.ofHours(24));
    /** The idle timeout of a session whose setup asks for 0 or less (capped by the maximum): 10 minutes. */
    public static final Duration UNSPECIFIED_TIMEOUT = Duration.ofMinutes(10);

    public SessionSettings {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
        }
        if (maxPerSource < 1) {
            throw new IllegalArgumentException("maxPerSource must be at least 1, got " + maxPerSource);
        }
        if (maxTimeout == null || maxTimeout.getSeconds() < 1) {
            throw new IllegalArgumentException("maxTimeout must be at least one second, got " + maxTimeout);
        }
    }

    /** The idle timeout granted to a setup asking for {@code requestedSeconds}, in milliseconds. */
    public long grantedTimeoutMillis(int requestedSeconds) {
        long asked = requestedSeconds <= 0 ? UNSPECIFIED_TIMEOUT.toMillis() : requestedSeconds * 1000L;
        return Math.min(maxTimeout.toMillis(), asked);
    }
}
