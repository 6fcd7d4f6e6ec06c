package io.idnode.handler;

import io.idnode.crypto.auth.RequestDigests;
import io.idnode.handler.PendingChallenges.Pending;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.RequestDigest;
import java.util.Objects;

/**
 * Holds requests back with a challenge (handle-protocol.md §6.1) for the links that need to know who asks:
 * the request waits in {@link PendingChallenges} under the challenge's id, with the digest of its header
 * and body, until the {@link ChallengeGate} takes the answer. When the challenges' memory budget, or the
 * sender's share of it, is spent the request is answered 3 (server too busy, §3.2) instead. Thread-safe.
 */
public final class Challenges {
    private final PendingChallenges pending;
    private final Replies replies;

    /** Challenges held in {@code pending}, their replies built by {@code replies}. */
    public Challenges(PendingChallenges pending, Replies replies) {
        this.pending = Objects.requireNonNull(pending, "pending");
        this.replies = Objects.requireNonNull(replies, "replies");
    }

    /**
     * The challenge (402) to {@code request}: under the session's id when {@code context} is a session
     * (§6.1), else under a fresh one; or 3 when no more requests can be held. A request built in memory is
     * digested over its encoding.
     */
    public Message challenge(Message request, RequestContext context) {
        Envelope re = request.envelope().replyEnvelope(request.sessionId());
        RequestDigest digest = RequestDigests.forReply(re.majorVersion(), re.minorVersion(),
                RequestBytes.headerAndBody(request));
        Pending p = pending.open(request, digest, context.sessionId(), context.source());
        return p == null ? replies.busy(request) : replies.challenge(request, p);
    }
}
