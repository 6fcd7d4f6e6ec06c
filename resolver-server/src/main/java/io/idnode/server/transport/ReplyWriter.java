package io.idnode.server.transport;

import io.idnode.handler.Replies;
import io.idnode.handler.ReplyEncoder;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.SessionSeal;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.ratelimit.SourceLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge of the request chain on a transport: each reply is encoded once (signed, sealed or encrypted by
 * the {@link ReplyEncoder}) and handed to the transport, which writes it. A fault of the chain is logged
 * here with its stack trace and answered 2, so that no failure is silent and no client waits for nothing.
 * One class for both transports, so that the chain's links call one kind of sink. The {@link SourceLimits} apply
 * here: a reply to be signed with the node's key beyond the peer's budget becomes 3, unsigned; on UDP, a reply
 * larger than the limit becomes the short reply that sends the client to TCP (2, signed or sealed like the
 * reply it replaces, so that the client takes it). The last reply to each request is counted by operation,
 * transport and response code in the {@link RequestMeters}.
 */
final class ReplyWriter implements ReplySink, RequestContext {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyWriter.class);

    /** How a transport sends an encoded reply, and gives up on a request it cannot answer. */
    interface Transport {
        /** Writes {@code frame} (envelope + message) to {@code peer}; takes ownership of the buffer. */
        void send(ByteBuf frame, SocketAddress peer);

        /** Not even an error reply could be sent: a stream transport closes, so the client does not wait. */
        void unanswerable();

        /**
         * A request handed to the blocking executor has had its last reply (any thread): a stream transport
         * counts it out of the connection's requests in flight.
         */
        default void answered() {
        }

        /**
         * A reply sealed in session {@code sessionId} is sent (any thread): the request it answers was verified in
         * that session, so its sender holds the session key.
         */
        default void sealedIn(int sessionId) {
        }
    }

    private final ReplyEncoder encoder;
    private final Replies replies;
    private final ByteBufAllocator alloc;
    private final Transport transport;
    private final SocketAddress peer;
    private final SourceLimits limits;
    private final boolean datagram;
    private final RequestMeters meters;
    private final RequestMeters.Transport carrier;

    ReplyWriter(ReplyEncoder encoder, Replies replies, ByteBufAllocator alloc, Transport transport,
            SocketAddress peer, SourceLimits limits, boolean datagram, RequestMeters meters) {
        this.meters = meters;
        this.carrier = datagram ? RequestMeters.Transport.UDP : RequestMeters.Transport.TCP;
        this.encoder = encoder;
        this.replies = replies;
        this.alloc = alloc;
        this.transport = transport;
        this.peer = peer;
        this.limits = limits;
        this.datagram = datagram;
    }

    @Override
    public void reply(Message reply, SessionSeal seal) {
        if (seal == null && reply.hasFlag(OpFlags.CERTIFY) && reply.credential() == null
                && !limits.signatureAllowed(peer)) {
            reply = replies.insteadOf(reply, ResponseCode.SERVER_TOO_BUSY, false);
        }
        ByteBuf frame = encoder.encode(reply, seal, alloc, datagram ? limits.udpMaxReply() : Integer.MAX_VALUE);
        if (frame == null) { // larger than a UDP reply may be; nothing was signed
            frame = encoder.encode(limits.holdsToUdpMaxReply(peer)
                    ? replies.insteadOf(reply, ResponseCode.ERROR, true) : reply, seal, alloc);
        }
        transport.send(frame, peer);
        if (seal != null) {
            transport.sealedIn(reply.sessionId());
        }
        if (!reply.hasFlag(OpFlags.CONTINUOUS)) {
            meters.count(reply.opCode(), carrier, reply.responseCode());
        }
    }

    /** The transport this writer's replies go over, as the request meters name it. */
    RequestMeters.Transport transport() {
        return carrier;
    }

    @Override
    public void fault(Message request, Throwable cause) {
        String what = request.header() == null ? "encrypted request" : request.opCode().toString();
        LOG.error("{} {} from {} failed; answered 2", what, request.requestId(), peer, cause);
        try {
            reply(replies.internalError(request), null);
        } catch (RuntimeException e) {
            LOG.error("cannot answer the failed {} {} from {}", what, request.requestId(), peer, e);
            transport.unanswerable();
        }
    }

    /** See {@link Transport#answered()}. */
    void answered() {
        transport.answered();
    }

    /** Nobody: a request seen only through its writer comes with no session and no login (UDP). */
    @Override
    public ValueReference authenticatedAs() {
        return null;
    }

    @Override
    public void authenticated(ValueReference identity) {
        // nothing to bind to: a session or a connection binds it
    }

    /** The address the requests come from, or null if the transport has none (a test channel). */
    @Override
    public InetAddress source() {
        return peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
