package io.idnode.handler.session;

import io.idnode.handler.PendingChallenges.Pending;
import io.idnode.model.ValueReference;

/**
 * The login state of one persistent TCP connection (cn-extensions.md §3.3): the LOGIN (2001) challenge
 * waiting for its answer, keyed by the session id the client chose (every SDK process starts at 10001, so the
 * id alone collides across clients: the connection is part of the key by construction), and once answered
 * the identity the connection is authenticated as. A new connection starts logged out. Thread-safe: the
 * connection's requests may be answered on its event loop and on the blocking executor.
 */
public final class ConnectionLogin {
    private Waiting waiting;
    private ValueReference identity;
    private int sessionId;

    /** A challenged login: what the answer must prove and for whom. */
    record Waiting(Pending challenge, ValueReference identity, long deadlineNanos) {
    }

    /** Keeps the challenge to a LOGIN for {@code identity}, replacing an earlier unanswered one. */
    synchronized void challenged(Pending challenge, ValueReference claimed, long deadlineNanos) {
        this.waiting = new Waiting(challenge, claimed, deadlineNanos);
    }

    /**
     * The login challenge the answer with {@code answerSessionId} answers, taken (answered once), or
     * {@code null} if none waits under that id or it expired before {@code nowNanos}.
     */
    synchronized Waiting take(int answerSessionId, long nowNanos) {
        Waiting w = waiting;
        if (w == null || w.challenge().sessionId() != answerSessionId) {
            return null;
        }
        waiting = null;
        return nowNanos - w.deadlineNanos() > 0 ? null : w;
    }

    /** Whether a login challenge waits under {@code answerSessionId}. */
    synchronized boolean waits(int answerSessionId) {
        return waiting != null && waiting.challenge().sessionId() == answerSessionId;
    }

    /** Binds the connection to {@code proved}, whose requests then carry session id 0 or {@code loginSessionId}. */
    synchronized void loggedIn(ValueReference proved, int loginSessionId) {
        this.identity = proved;
        this.sessionId = loginSessionId;
    }

    /**
     * The identity a request on this connection with session id {@code requestSessionId} runs as: the logged-in
     * identity when the id is 0 or the login's (§3.3 step 4), else {@code null}.
     */
    public synchronized ValueReference identityFor(int requestSessionId) {
        return identity != null && (requestSessionId == 0 || requestSessionId == sessionId) ? identity : null;
    }
}
