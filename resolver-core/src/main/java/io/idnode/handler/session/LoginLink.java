package io.idnode.handler.session;

import io.idnode.crypto.auth.RequestDigests;
import io.idnode.handler.AnswerVerifier;
import io.idnode.handler.AuditLog;
import io.idnode.handler.AuthenticatedContext;
import io.idnode.handler.ChallengeGate;
import io.idnode.handler.Outcome;
import io.idnode.handler.PendingChallenges;
import io.idnode.handler.PendingChallenges.Pending;
import io.idnode.handler.Replies;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestBytes;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.EmptyBody;
import io.idnode.protocol.MessageBody.LoginRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.ResponseCode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The LOGIN exchange of China's industrial SDK (cn-extensions.md §3), bound to the TCP connection it runs
 * on. A LOGIN (2001) is always challenged: 402 with opCode 2001, the RD block of the login's digest and a
 * nonce, under the session id the client chose; the challenge waits in the connection's
 * {@link ConnectionLogin}, not in the node-wide table. The answer (200) on that connection under that id must
 * name the login's identity and prove it ({@link AnswerVerifier}: RSA, DSA, SM2 with SM3 and the identity as
 * user ID, SM2's SHA-256 form), else 403 and the connection stays logged out; success is rc 1 with opCode 2001
 * and the login's RD block. Later requests on that connection with session id 0 or the login's run as the
 * identity, without challenge or MAC; the same session id on another connection proves nothing. Stands in front
 * of the challenge gate. Checking an answer may block. Thread-safe.
 */
public final class LoginLink implements RequestHandler {
    private final AnswerVerifier verifier;
    private final Replies replies;
    private final AuditLog audit;
    private final SecureRandom random;
    private final LongSupplier nanos;
    private final long lifetimeNanos;
    private final RequestHandler next;

    /**
     * Logins checked by {@code verifier}, their challenges living {@code lifetime} by the clock {@code nanos}
     * (e.g. {@code System::nanoTime}), their nonces from {@code random}; other requests go to {@code next}.
     */
    public LoginLink(AnswerVerifier verifier, Replies replies, AuditLog audit, SecureRandom random, LongSupplier nanos,
            Duration lifetime, RequestHandler next) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.random = Objects.requireNonNull(random, "random");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
        this.lifetimeNanos = lifetime.toNanos();
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        MessageHeader h = request.header();
        ConnectionLogin login = context instanceof LoginConnection c ? c.login() : null;
        if (h == null) {
            next.handle(request, context, out);
        } else if (h.opCode().equals(OpCode.LOGIN) && request.body() instanceof LoginRequest body) {
            out.reply(login == null ? replies.error(request, ResponseCode.OPERATION_NOT_SUPPORTED,
                    "LOGIN (2001) needs a persistent TCP connection") : challenge(request, body, login, context), null);
        } else if (login == null) {
            next.handle(request, context, out);
        } else if (request.body() instanceof ChallengeAnswer answer && h.opCode().equals(OpCode.CHALLENGE_RESPONSE)
                && login.waits(request.sessionId())) {
            answer(request, answer, login, out);
        } else {
            ValueReference identity = login.identityFor(request.sessionId());
            next.handle(request, identity == null ? context : new AuthenticatedContext(identity, context), out);
        }
    }

    @Override
    public boolean mayBlock(OpCode op) {
        return OpCode.CHALLENGE_RESPONSE.equals(op);
    }

    private Message challenge(Message request, LoginRequest body, ConnectionLogin login, RequestContext context) {
        Envelope re = request.envelope().replyEnvelope(request.sessionId());
        RequestDigest digest = RequestDigests.forReply(re.majorVersion(), re.minorVersion(),
                RequestBytes.headerAndBody(request));
        byte[] nonce = new byte[PendingChallenges.NONCE_LENGTH];
        random.nextBytes(nonce);
        long now = nanos.getAsLong();
        Pending p = new Pending(request.sessionId(), request, digest, nonce, now, 0, context.source());
        login.challenged(p, new ValueReference(body.identityHandle(), body.identityIndex()), now + lifetimeNanos);
        return replies.challenge(request, p);
    }

    private void answer(Message answer, ChallengeAnswer body, ConnectionLogin login, ReplySink out) {
        ConnectionLogin.Waiting w = login.take(answer.sessionId(), nanos.getAsLong());
        ValueReference claimed = new ValueReference(body.identityHandle(), body.identityIndex());
        if (w == null) {
            Outcome o = Outcome.refused(ResponseCode.AUTHEN_TIMEOUT, "login challenge " + answer.sessionId()
                    + " expired");
            audit.record(new AuditLog.Entry(OpCode.LOGIN, "", claimed, o.code(), o.message(), answer.requestId()));
            out.reply(replies.reply(answer, o), null);
            return;
        }
        Message original = ChallengeGate.withRequestId(w.challenge().request(), answer.requestId());
        Outcome refused;
        if (!claimed.equals(w.identity())) {
            refused = Outcome.refused(ResponseCode.AUTHENTICATION_FAILED, "the answer names " + claimed
                    + ", the login was for " + w.identity());
        } else {
            refused = verifier.verify(body, w.challenge().nonce(), w.challenge().digest().digest());
        }
        if (refused != null) {
            audit.record(new AuditLog.Entry(OpCode.LOGIN, "", claimed, refused.code(), refused.message(),
                    answer.requestId()));
            out.reply(replies.reply(original, refused), null);
            return;
        }
        login.loggedIn(claimed, w.challenge().sessionId());
        audit.record(new AuditLog.Entry(OpCode.LOGIN, "", claimed, ResponseCode.SUCCESS, "logged in",
                answer.requestId()));
        out.reply(replies.reply(original, ResponseCode.SUCCESS, EmptyBody.INSTANCE), null);
    }
}
