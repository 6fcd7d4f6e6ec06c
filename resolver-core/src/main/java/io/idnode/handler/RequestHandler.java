package io.idnode.handler;

import io.idnode.codec.CodecException;
import io.idnode.crypto.RequestDigests;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.ErrorResponse;
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
import java.util.List;
import java.util.Objects;

/**
 * Answers one decoded request with one reply, independent of the transport (handle-protocol.md §9).
 * Protocol outcomes are reply codes, never exceptions; a {@link io.idnode.store.StoreException} is a fault
 * and is answered with {@link ResponseCode#ERROR}. The order in which requests are examined:
 * <ol>
 * <li>the envelope's version and the header's shape (a request has response code 0) — else 4;</li>
 * <li>the operation: RESOLUTION and GET_SITE_INFO are answered here, everything else is 5 (not supported);</li>
 * <li>for a resolution: scope (prefix homed here, else 301), record (else 100), value selection and
 * public-only (else 200).</li>
 * </ol>
 * Replies echo requestId and sessionId, copy REC/CA/PO/CT/RD, set AT on a primary site, carry the site's
 * serial, a future expiration, and the request digest when RD was asked for. Signing (CT) happens when the
 * reply is encoded ({@link ReplyEncoder}). Thread-safe.
 */
public final class RequestHandler {
    /** How far in the future replies expire (the stock server's 12 hours). */
    public static final int REPLY_LIFETIME_SECONDS = 43_200;

    private final RecordStore store;
    private final ServedPrefixes prefixes;
    private final NodeIdentity identity;
    private final Clock clock;

    public RequestHandler(RecordStore store, ServedPrefixes prefixes, NodeIdentity identity, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The node's identity (site and signing key). */
    public NodeIdentity identity() {
        return identity;
    }

    /** Answers a decoded request. */
    public Message handle(Message request) {
        MessageHeader h = request.header();
        if (h == null) {
            return error(request, ResponseCode.OPERATION_NOT_SUPPORTED, "encrypted messages need a session");
        }
        if (h.responseCode().code() != 0) {
            return error(request, ResponseCode.PROTOCOL_ERROR, "a request must carry response code 0");
        }
        OpCode op = h.opCode();
        try {
            if (op.equals(OpCode.RESOLUTION)) {
                return resolve(request, (ResolutionRequest) request.body());
            }
            if (op.equals(OpCode.GET_SITE_INFO) && request.body() instanceof HandleRequest) {
                return reply(request, ResponseCode.SUCCESS, new SiteInfoResponse(identity.site()));
            }
            return error(request, ResponseCode.OPERATION_NOT_SUPPORTED, "operation " + op + " is not supported");
        } catch (RuntimeException e) {
            // A store fault: the client gets a generic error and tries elsewhere; the edge logs it.
            return error(request, ResponseCode.ERROR, "internal error");
        }
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

    private Message resolve(Message request, ResolutionRequest req) {
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
        // Until authentication lands, restricted values are served to nobody, whatever PO says.
        selected = ResolutionFilter.publicOnly(selected);
        if (selected.isEmpty()) {
            return error(request, ResponseCode.VALUES_NOT_FOUND, "no matching values");
        }
        return reply(request, ResponseCode.SUCCESS, new ResolutionResponse(handle, selected));
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
