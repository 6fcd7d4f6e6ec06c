package io.idnode.handler.session;

import java.time.Duration;

/**
 * Limits of the session table (handle-protocol.md §6.5). Defaults, documented once here: at most 10,000 live
 * sessions (a setup beyond that is answered 3, server too busy) and a session timeout of at most 24 hours
 * (a client asking for longer, or for 0, gets 24 hours).
 *
 * @param maxSessions live sessions kept at once, node-wide
 * @param maxTimeout  cap on the timeout a client asks for; also the longest a session lives at all
 */
public record SessionSettings(int maxSessions, Duration maxTimeout) {
    /** 10,000 sessions, 24 hours. */
    public static final SessionSettings DEFAULT = new SessionSettings(10_000, Duration.ofHours(24));

    public SessionSettings {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
        }
        if (maxTimeout == null || maxTimeout.getSeconds() < 1) {
            throw new IllegalArgumentException("maxTimeout must be at least one second, got " + maxTimeout);
        }
    }
}
