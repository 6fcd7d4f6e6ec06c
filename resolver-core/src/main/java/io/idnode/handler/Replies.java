package io.idnode.handler;

import io.idnode.codec.CodecException;
import io.idnode.crypto.auth.RequestDigests;
import io.idnode.handler.PendingChallenges.Pending;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.ResponseCode;
import java.time.Clock;
import java.util.Objects;

/**
 * Builds every reply of the node, for every link of the chain and for the edges (handle-protocol.md §9 item
 * 4): requestId and sessionId echoed, REC/CA/PO/CT/RD copied from the request, AT on a primary site, the
 * site's serial, an expiration {@value #REPLY_LIFETIME_SECONDS} s ahead, and the request digest when RD was
 * asked for. Signing (CT) happens when the reply is encoded ({@link ReplyEncoder}). Thread-safe.
 */
public final class Replies {
    /** How far in the future replies expire (the stock server's 12 hours). */
    public static final int REPLY_LIFETIME_SECONDS = 43_200;

    private static final ErrorResponse NO_MESSAGE = new ErrorResponse("");

    private final NodeIdentity identity;
    private final Clock clock;

    /** Replies of the node {@code identity}, expiring relative to {@code clock}. */
    public Replies(NodeIdentity identity, Clock clock) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The node's identity (site and signing key). */
    public NodeIdentity identity() {
        return identity;
    }

    /** A reply to {@code request} with code {@code rc} and {@code body}. */
    public Message reply(Message request, ResponseCode rc, MessageBody body) {
        return reply(request, rc, body, 0);
    }

    /** The reply carrying {@code outcome}: with CN when more pages follow (§1.4). */
    public Message reply(Message request, Outcome outcome) {
        return reply(request, outcome.code(), outcome.body(), outcome.more() ? OpFlags.CONTINUOUS : 0);
    }

    /** An error reply to {@code request} (§3.2: body {@code str message}). */
    public Message error(Message request, ResponseCode rc, String message) {
        return reply(request, rc, new ErrorResponse(message), 0);
    }

    /** The reply when a request cannot be taken on now (3, §3.2), e.g. when the blocking executor is full. */
    public Message busy(Message request) {
        return error(request, ResponseCode.SERVER_TOO_BUSY, "server too busy, try again");
    }

    /** The reply to a request whose answer failed with a fault (2, §3.2): the client tries another server. */
    public Message internalError(Message request) {
        return error(request, ResponseCode.ERROR, "internal error");
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

    /**
     * The challenge holding {@code request} back (§6.1): rc 402 under the pending challenge's id, with its
     * nonce and the request's digest in an RD block.
     */
    public Message challenge(Message request, Pending pending) {
        Envelope re = request.envelope().replyEnvelope(request.sessionId());
        MessageHeader rh = request.header();
        int flags = siteFlags() | rh.opFlags() & OpFlags.ECHOED | OpFlags.REQUEST_DIGEST;
        MessageHeader header = new MessageHeader(rh.opCode(), ResponseCode.AUTHENTICATION_NEEDED, flags,
                identity.site().serialNumber(), rh.recursionCount(), expiration());
        Envelope env = new Envelope(re.majorVersion(), re.minorVersion(), 0, re.suggestedMajor(), re.suggestedMinor(),
                pending.sessionId(), re.requestId(), 0, 0);
        return new Message(env, header, pending.digest(), new Challenge(pending.nonce()), null, null);
    }

    /**
     * An error {@code rc} with an empty message sent in place of {@code reply} (§3.2), e.g. the short reply
     * that sends a UDP client to TCP (2: the stock client then tries its next protocol, §1.3). Envelope, op
     * code, serial, expiration and request digest stay (a client that asked for RD checks it); CN goes; CT
     * stays, so that the encoder signs it, only if {@code signed} (a client that asked for CT ignores an
     * unsigned reply).
     */
    public Message insteadOf(Message reply, ResponseCode rc, boolean signed) {
        MessageHeader h = reply.header();
        int flags = h.opFlags() & ~OpFlags.CONTINUOUS & (signed ? ~0 : ~OpFlags.CERTIFY);
        MessageHeader header = new MessageHeader(h.opCode(), rc, flags, h.siteInfoSerial(), h.recursionCount(),
                h.expiration());
        return new Message(reply.envelope(), header, reply.requestDigest(), NO_MESSAGE, null, null);
    }

    private Message reply(Message request, ResponseCode rc, MessageBody body, int extraFlags) {
        MessageHeader rh = request.header();
        int flags = siteFlags() | extraFlags;
        int recursion = 0;
        OpCode op = OpCode.RESERVED;
        if (rh != null) {
            flags |= rh.opFlags() & OpFlags.ECHOED;
            recursion = rh.recursionCount();
            op = rh.opCode();
        }
        Envelope env = request.envelope().replyEnvelope(request.sessionId());
        RequestDigest digest = null;
        if ((flags & OpFlags.REQUEST_DIGEST) != 0) {
            digest = RequestDigests.forReply(env.majorVersion(), env.minorVersion(),
                    RequestBytes.headerAndBody(request));
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
