package io.idnode.handler;

import io.idnode.handler.PendingChallenges.Pending;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import java.util.List;
import java.util.Objects;

/**
 * Takes the answers to challenges (handle-protocol.md §6.3), in this order: the pending challenge under the
 * answer's sessionId (else 405); the permission of the identity the answer names, asked of the links that
 * challenge ({@link PermissionCheck}, else their refusal, mostly 400); the proof against the identity's keys
 * ({@link AnswerVerifier}, else 403/406). The held-back request then goes on down the chain as if it came
 * now from that identity, carrying the answer's requestId (§4.4), so the link that challenged it answers
 * it. The answer's session or connection learns the identity ({@link RequestContext#authenticated}).
 * Refusals are audited. It stands in front of every link that challenges. Checking a proof may block.
 * Thread-safe.
 */
public final class ChallengeGate implements RequestHandler {
    private final PendingChallenges pending;
    private final AnswerVerifier verifier;
    private final List<PermissionCheck> permissions;
    private final Replies replies;
    private final AuditLog audit;
    private final RequestHandler next;

    /** A gate asking {@code permissions} (the links after it that challenge) before checking proofs. */
    public ChallengeGate(PendingChallenges pending, AnswerVerifier verifier, List<PermissionCheck> permissions,
            Replies replies, AuditLog audit, RequestHandler next) {
        this.pending = Objects.requireNonNull(pending, "pending");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.permissions = List.copyOf(permissions);
        this.replies = Objects.requireNonNull(replies, "replies");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        if (request.body() instanceof ChallengeAnswer answer && request.opCode().equals(OpCode.CHALLENGE_RESPONSE)) {
            answer(request, answer, context, out);
        } else {
            next.handle(request, context, out);
        }
    }

    @Override
    public boolean mayBlock(OpCode op) {
        return OpCode.CHALLENGE_RESPONSE.equals(op);
    }

    private void answer(Message answer, ChallengeAnswer body, RequestContext context, ReplySink out) {
        Pending p = pending.take(answer.sessionId());
        ValueReference claimed = new ValueReference(body.identityHandle(), body.identityIndex());
        if (p == null) {
            Outcome o = Outcome.refused(ResponseCode.AUTHEN_TIMEOUT, "no pending challenge " + answer.sessionId()
                    + " (unknown or expired)");
            audit.record(new AuditLog.Entry(OpCode.CHALLENGE_RESPONSE, "", null, o.code(),
                    o.message() + "; answer by " + claimed, answer.requestId()));
            out.reply(replies.reply(answer, o), null);
            return;
        }
        Message original = withRequestId(p.request(), answer.requestId());
        Outcome refused;
        try {
            // Permission before proof: an identity without permission costs no signature check or PBKDF2.
            refused = refusal(original, claimed);
            if (refused == null) {
                refused = verifier.verify(body, p.nonce(), p.digest().digest());
            }
        } catch (RuntimeException e) {
            audit.record(AuditLog.Entry.of(original, claimed, Outcome.refused(ResponseCode.ERROR,
                    String.valueOf(e.getMessage()))));
            throw e;
        }
        if (refused != null) {
            audit.record(AuditLog.Entry.of(original, claimed, refused));
            out.reply(replies.reply(original, refused), null);
            return;
        }
        context.authenticated(claimed);
        next.handle(original, new AuthenticatedContext(claimed, context), out);
    }

    private Outcome refusal(Message request, ValueReference identity) {
        for (PermissionCheck check : permissions) {
            Outcome refused = check.refusal(request, identity);
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    /**
     * {@code m} under an envelope carrying {@code requestId}; its header and body bytes are the same: a held-back
     * request answered under its answer's requestId (§4.4).
     */
    public static Message withRequestId(Message m, int requestId) {
        Envelope e = m.envelope();
        if (e.requestId() == requestId) {
            return m;
        }
        Envelope renumbered = new Envelope(e.majorVersion(), e.minorVersion(), e.flags(), e.suggestedMajor(),
                e.suggestedMinor(), e.sessionId(), requestId, e.messageId(), e.messageLength());
        return new Message(renumbered, m.header(), m.requestDigest(), m.body(), m.credential(), m.headerAndBody());
    }
}
