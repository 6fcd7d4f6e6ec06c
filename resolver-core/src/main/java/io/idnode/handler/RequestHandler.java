package io.idnode.handler;

import io.idnode.admin.AdminOperations;
import io.idnode.admin.AnswerVerifier;
import io.idnode.admin.Authorizer;
import io.idnode.admin.Outcome;
import io.idnode.admin.PendingChallenges;
import io.idnode.admin.PendingChallenges.Pending;
import io.idnode.codec.CodecException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.RequestDigests;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleListResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageBody.SiteInfoResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RecordStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Answers one decoded request with its replies, independent of the transport (handle-protocol.md §9).
 * Protocol outcomes are reply codes, never exceptions; a {@link io.idnode.store.StoreException} is a fault
 * and is answered with {@link ResponseCode#ERROR}. The order in which requests are examined:
 * <ol>
 * <li>the envelope's version and the header's shape (a request has response code 0) — else 4;</li>
 * <li>the operation: RESOLUTION, GET_SITE_INFO, the administrative operations ({@link AdminOperations})
 * and challenge answers are answered here, everything else is 5 (not supported);</li>
 * <li>for a resolution: scope (prefix homed here, else 301), record (else 100), value selection and
 * public-only (else 200); with PO clear, values without public read are returned only to an identity with
 * READ_VALUE (§4.1), after a challenge;</li>
 * <li>for an administrative operation: the checks that need no identity, then a challenge (402, §6.1)
 * unless the {@link RequestContext} already knows the sender, then permissions and the change.</li>
 * </ol>
 * A challenge answer (§6.3) is checked in the order: pending challenge (else 405), permission (else 400),
 * proof (else 403/406); the original request is then performed and its reply carries the answer's
 * requestId (§4.4). Replies echo requestId and sessionId, copy REC/CA/PO/CT/RD, set AT on a primary site,
 * carry the site's serial, a future expiration, and the request digest when RD was asked for. Signing (CT)
 * happens when the reply is encoded ({@link ReplyEncoder}). Every administrative outcome goes to the
 * {@link AuditLog}. Thread-safe.
 */
public final class RequestHandler {
    /** How far in the future replies expire (the stock server's 12 hours). */
    public static final int REPLY_LIFETIME_SECONDS = 43_200;

    private final RecordStore store;
    private final ServedPrefixes prefixes;
    private final NodeIdentity identity;
    private final Clock clock;
    private final Authorizer authorizer;
    private final AdminOperations operations;
    private final AnswerVerifier verifier;
    private final PendingChallenges pending;
    private final AuditLog audit;

    /** A handler without node administrators, with real-time challenges and no audit log. */
    public RequestHandler(RecordStore store, ServedPrefixes prefixes, NodeIdentity identity, Clock clock,
            CryptoProviders providers) {
        this(store, prefixes, identity, clock, List.of(), new PendingChallenges(), AuditLog.NONE, providers);
    }

    /**
     * A handler whose {@code nodeAdmins} may do everything, whose challenges wait in {@code pending}, and
     * which records administrative outcomes in {@code audit}.
     */
    public RequestHandler(RecordStore store, ServedPrefixes prefixes, NodeIdentity identity, Clock clock,
            List<ValueReference> nodeAdmins, PendingChallenges pending, AuditLog audit, CryptoProviders providers) {
        this.store = Objects.requireNonNull(store, "store");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.authorizer = new Authorizer(store::get, nodeAdmins);
        this.operations = new AdminOperations(store, prefixes, authorizer, clock);
        this.verifier = new AnswerVerifier(store, prefixes, providers);
    }

    /** The node's identity (site and signing key). */
    public NodeIdentity identity() {
        return identity;
    }

    /**
     * True if answering {@code request} may block (store writes that sync, signature checks, PBKDF2):
     * transports run such requests off their I/O threads.
     */
    public static boolean mayBlock(Message request) {
        MessageHeader h = request.header();
        if (h == null) {
            return false;
        }
        OpCode op = h.opCode();
        return AdminOperations.isAdminOperation(op) || op.equals(OpCode.CHALLENGE_RESPONSE);
    }

    /** Answers a request outside any session or connection state. */
    public Message handle(Message request) {
        return handle(request, RequestContext.NONE);
    }

    /**
     * Answers a request with a single reply; a listing that would take several messages comes back as one
     * (use {@link #handle(Message, RequestContext, Consumer)} to send it in pages).
     */
    public Message handle(Message request, RequestContext ctx) {
        List<Message> replies = new ArrayList<>(1);
        handle(request, ctx, replies::add);
        if (replies.size() == 1) {
            return replies.get(0);
        }
        List<String> all = new ArrayList<>();
        for (Message m : replies) {
            all.addAll(((HandleListResponse) m.body()).handles());
        }
        Message last = replies.get(replies.size() - 1);
        return new Message(last.envelope(), last.header(), last.requestDigest(), new HandleListResponse(all), null,
                null);
    }

    /**
     * Answers a request, handing each reply to {@code out} in order: one reply, or for LIST_HANDLES one per
     * page, all but the last with CN set (§1.4).
     */
    public void handle(Message request, RequestContext ctx, Consumer<Message> out) {
        MessageHeader h = request.header();
        if (h == null) {
            out.accept(error(request, ResponseCode.OPERATION_NOT_SUPPORTED, "encrypted messages need a session"));
            return;
        }
        if (h.responseCode().code() != 0) {
            out.accept(error(request, ResponseCode.PROTOCOL_ERROR, "a request must carry response code 0"));
            return;
        }
        OpCode op = h.opCode();
        try {
            if (op.equals(OpCode.RESOLUTION) && request.body() instanceof ResolutionRequest req) {
                out.accept(resolve(request, req, ctx, ctx.authenticatedAs(), request.requestId()));
            } else if (op.equals(OpCode.GET_SITE_INFO) && request.body() instanceof HandleRequest) {
                out.accept(reply(request, ResponseCode.SUCCESS, new SiteInfoResponse(identity.site())));
            } else if (op.equals(OpCode.CHALLENGE_RESPONSE) && request.body() instanceof ChallengeAnswer answer) {
                answer(request, answer, ctx, out);
            } else if (AdminOperations.isAdminOperation(op)) {
                administer(request, ctx, out);
            } else {
                out.accept(error(request, ResponseCode.OPERATION_NOT_SUPPORTED, "operation " + op
                        + " is not supported"));
            }
        } catch (RuntimeException e) {
            // A store fault: the client gets a generic error and tries elsewhere; the edge logs it.
            if (mayBlock(request)) {
                audit.record(new AuditLog.Entry(op, AdminOperations.handleOf(request), ctx.authenticatedAs(),
                        ResponseCode.ERROR, String.valueOf(e.getMessage()), request.requestId()));
            }
            out.accept(error(request, ResponseCode.ERROR, "internal error"));
        }
    }

    /** The reply when a request cannot be taken on now (3, §3.2), e.g. when the admin executor is full. */
    public Message busy(Message request) {
        return error(request, ResponseCode.SERVER_TOO_BUSY, "server too busy, try again");
    }

    /**
     * The reply to bytes that could not be decoded (§3.2: opCode 0 when the request could not be parsed).
     * {@code envelope} must have been read; {@code cause} says why the rest could not be.
     */
    public Message protocolError(Envelope envelope, CodecException cause) {
        MessageHeader header = new MessageHeader(OpCode.RESERVED, cause.responseCode(), siteFlags(),
                identity.site().serialNumber(), 0, expiration());
        return Message.of(envelope.replyEnvelope(envelope.sessionId()), header, new ErrorResponse(cause.getMessage()));
    }

    private void administer(Message request, RequestContext ctx, Consumer<Message> out) {
        Outcome refused = operations.check(request);
        if (refused != null) {
            record(request, null, refused, request.requestId());
            out.accept(reply(request, request.requestId(), refused));
            return;
        }
        ValueReference as = ctx.authenticatedAs();
        if (as == null) {
            out.accept(challenge(request, ctx));
            return;
        }
        perform(request, request.requestId(), as, ctx, out);
    }

    private void answer(Message answer, ChallengeAnswer body, RequestContext ctx, Consumer<Message> out) {
        Pending p = pending.take(answer.sessionId());
        ValueReference claimed = new ValueReference(body.identityHandle(), body.identityIndex());
        if (p == null) {
            Outcome o = Outcome.refused(ResponseCode.AUTHEN_TIMEOUT, "no pending challenge " + answer.sessionId()
                    + " (unknown or expired)");
            audit.record(new AuditLog.Entry(OpCode.CHALLENGE_RESPONSE, "", null, o.code(),
                    o.message() + "; answer by " + claimed, answer.requestId()));
            out.accept(reply(answer, answer.requestId(), o));
            return;
        }
        Message original = p.request();
        int requestId = answer.requestId();
        // Permission before proof (§6.3): a non-admin costs no signature check or PBKDF2.
        Outcome refused = original.opCode().equals(OpCode.RESOLUTION)
                ? mayRead(original, claimed)
                : operations.authorize(original, claimed);
        if (refused == null) {
            refused = verifier.verify(body, p.nonce(), p.digest().digest());
        }
        if (refused != null) {
            record(original, claimed, refused, requestId);
            out.accept(reply(original, requestId, refused));
            return;
        }
        ctx.authenticated(claimed);
        perform(original, requestId, claimed, ctx, out);
    }

    private void perform(Message request, int requestId, ValueReference as, RequestContext ctx,
            Consumer<Message> out) {
        if (request.body() instanceof ResolutionRequest req) {
            out.accept(resolve(request, req, ctx, as, requestId));
            return;
        }
        operations.execute(request, as, o -> {
            if (!o.more()) {
                record(request, as, o, requestId);
            }
            out.accept(reply(request, requestId, o));
        });
    }

    private void record(Message request, ValueReference as, Outcome o, int requestId) {
        audit.record(new AuditLog.Entry(request.opCode(), AdminOperations.handleOf(request), as, o.code(),
                o.message(), requestId));
    }

    /** The challenge to {@code request} (§6.1): rc 402, RD block, nonce, under a pending-challenge id. */
    private Message challenge(Message request, RequestContext ctx) {
        if (request.headerAndBody() == null) {
            return error(request, ResponseCode.ERROR, "request bytes unavailable for a challenge digest");
        }
        Envelope re = request.envelope().replyEnvelope(request.sessionId());
        RequestDigest digest = RequestDigests.forReply(re.majorVersion(), re.minorVersion(), request.headerAndBody());
        Pending p = pending.open(request, digest, ctx.sessionId());
        MessageHeader rh = request.header();
        int flags = siteFlags() | rh.opFlags() & OpFlags.ECHOED | OpFlags.REQUEST_DIGEST;
        MessageHeader header = new MessageHeader(rh.opCode(), ResponseCode.AUTHENTICATION_NEEDED, flags,
                identity.site().serialNumber(), rh.recursionCount(), expiration());
        Envelope env = new Envelope(re.majorVersion(), re.minorVersion(), 0, re.suggestedMajor(), re.suggestedMinor(),
                p.sessionId(), re.requestId(), 0, 0);
        return new Message(env, header, digest, new Challenge(p.nonce()), null, null);
    }

    /**
     * A resolution (§4.1) as {@code as} (null: not authenticated), replying with {@code requestId}. With PO
     * clear, values without public read need READ_VALUE: a challenge when nobody is authenticated yet.
     */
    private Message resolve(Message request, ResolutionRequest req, RequestContext ctx, ValueReference as,
            int requestId) {
        String handle = req.handle();
        if (handle.isEmpty()) {
            return error(request, ResponseCode.INVALID_HANDLE, "empty handle");
        }
        if (!prefixes.covers(handle)) {
            return error(request, ResponseCode.SERVER_NOT_RESPONSIBLE, "prefix not homed here");
        }
        HandleRecord record = store.get(handle);
        if (record == null) {
            return error(request, ResponseCode.HANDLE_NOT_FOUND, "handle not found");
        }
        List<HandleValue> selected = ResolutionFilter.select(record.values(), req.indexes(), req.types());
        if (request.hasFlag(OpFlags.PUBLIC_ONLY)) {
            selected = ResolutionFilter.publicOnly(selected);
        }
        if (selected.isEmpty()) {
            return error(request, ResponseCode.VALUES_NOT_FOUND, "no matching values");
        }
        if (ResolutionFilter.publicOnly(selected) != selected) {
            for (HandleValue v : selected) {
                if (!v.isPublicReadable() && !v.isAdminReadable()) {
                    return reply(request, requestId, Outcome.refused(ResponseCode.INSUFFICIENT_PERMISSIONS,
                            "value " + v.index() + " is readable by nobody"));
                }
            }
            if (as == null) {
                return challenge(request, ctx);
            }
            if (!authorizer.permits(as, record.values(), AdminValue.READ_VALUE)) {
                return reply(request, requestId, Outcome.refused(ResponseCode.INVALID_ADMIN,
                        as + " may not read the restricted values of " + handle));
            }
        }
        return reply(request, requestId, Outcome.success(new ResolutionResponse(handle, selected)));
    }

    /** Null if {@code as} may read the restricted values a pending resolution asked for, else 400 (§6.3 step 2). */
    private Outcome mayRead(Message resolution, ValueReference as) {
        HandleRecord record = store.get(((ResolutionRequest) resolution.body()).handle());
        if (record != null && !authorizer.permits(as, record.values(), AdminValue.READ_VALUE)) {
            return Outcome.refused(ResponseCode.INVALID_ADMIN, as + " may not read the restricted values of "
                    + record.handle());
        }
        return null;
    }

    private Message reply(Message request, int requestId, Outcome o) {
        Message m = reply(request, o.code(), o.body());
        if (requestId == m.envelope().requestId() && !o.more()) {
            return m; // the usual case: nothing to change
        }
        Envelope e = m.envelope();
        MessageHeader h = m.header();
        if (requestId != e.requestId()) {
            e = new Envelope(e.majorVersion(), e.minorVersion(), e.flags(), e.suggestedMajor(), e.suggestedMinor(),
                    e.sessionId(), requestId, e.messageId(), e.messageLength());
        }
        if (o.more()) {
            h = new MessageHeader(h.opCode(), h.responseCode(), h.opFlags() | OpFlags.CONTINUOUS,
                    h.siteInfoSerial(), h.recursionCount(), h.expiration());
        }
        return new Message(e, h, m.requestDigest(), m.body(), null, null);
    }

    /** An error reply to {@code request} (§3.2: body {@code str message}), for layers in front of the handler too. */
    public Message error(Message request, ResponseCode rc, String message) {
        return reply(request, rc, new ErrorResponse(message));
    }

    /**
     * A reply to {@code request} with this node's header fields (§9 item 4): echoed ids and flags, AT, site
     * serial, future expiration, request digest when RD was asked for.
     */
    public Message reply(Message request, ResponseCode rc, MessageBody body) {
        MessageHeader rh = request.header();
        int flags = siteFlags();
        int recursion = 0;
        OpCode op = OpCode.RESERVED;
        if (rh != null) {
            flags |= rh.opFlags() & OpFlags.ECHOED;
            recursion = rh.recursionCount();
            op = rh.opCode();
        }
        Envelope env = request.envelope().replyEnvelope(request.sessionId());
        RequestDigest digest = null;
        if ((flags & OpFlags.REQUEST_DIGEST) != 0 && request.headerAndBody() != null) {
            digest = RequestDigests.forReply(env.majorVersion(), env.minorVersion(), request.headerAndBody());
        } else {
            flags &= ~OpFlags.REQUEST_DIGEST;
        }
        MessageHeader header = new MessageHeader(op, rc, flags, identity.site().serialNumber(), recursion,
                expiration());
        return new Message(env, header, digest, body, null, null);
    }

    private int siteFlags() {
        return identity.site().primary() ? OpFlags.AUTHORITATIVE : 0;
    }

    private long expiration() {
        return clock.millis() / 1000 + REPLY_LIFETIME_SECONDS;
    }
}
