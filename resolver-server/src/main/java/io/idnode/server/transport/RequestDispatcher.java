package io.idnode.server.transport;

import io.idnode.codec.CodecException;
import io.idnode.handler.Replies;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.ratelimit.SourceLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where the transports hand decoded requests: to the request chain, on the calling event loop for requests
 * that answer at once (resolution), or on the blocking executor for those the chain says may block (synced
 * writes, signature checks, key agreement: {@link RequestChain#mayBlock(Message)}), so that the event loops
 * keep answering resolutions. When the executor is full the request is answered "too busy" (3). The replies go
 * out under the node's {@link SourceLimits}. Thread-safe.
 */
public final class RequestDispatcher {
    private final RequestChain chain;
    private final Executor blocking;
    private final SourceLimits limits;

    /** Dispatches to {@code chain}, running requests that may block on {@code blocking}, with no limits. */
    public RequestDispatcher(RequestChain chain, Executor blocking) {
        this(chain, blocking, SourceLimits.NONE);
    }

    /** Dispatches to {@code chain}, running requests that may block on {@code blocking}, within {@code limits}. */
    public RequestDispatcher(RequestChain chain, Executor blocking, SourceLimits limits) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The limits the transports apply to each source. */
    public SourceLimits limits() {
        return limits;
    }

    /** Answers {@code request}, handing each reply to {@code out}, possibly on another thread. */
    public void dispatch(Message request, ReplySink out) {
        if (!chain.mayBlock(request)) {
            chain.handle(request, RequestContext.NONE, out);
            return;
        }
        try {
            blocking.execute(() -> chain.handle(request, RequestContext.NONE, out));
        } catch (RejectedExecutionException full) {
            out.reply(chain.replies().busy(request), null);
        }
    }

    /**
     * The edge of one channel (TCP) or one request (UDP, a {@code datagram}): encodes the replies with the chain's
     * encoder onto {@code alloc}'s buffers and hands them to {@code transport}, addressed to {@code peer}.
     */
    ReplyWriter writer(ByteBufAllocator alloc, ReplyWriter.Transport transport, SocketAddress peer,
            boolean datagram) {
        return new ReplyWriter(chain.encoder(), chain.replies(), alloc, transport, peer, limits, datagram);
    }

    /**
     * The short reply that sends a UDP client to TCP (2, empty message, unsigned) in place of an answer to
     * {@code request}; the caller releases it.
     */
    ByteBuf tcpRedirect(Message request, ByteBufAllocator alloc) {
        Replies replies = chain.replies();
        return chain.encoder().encode(replies.insteadOf(replies.error(request, ResponseCode.ERROR, ""),
                ResponseCode.ERROR, false), alloc);
    }

    /** The encoded protocol error (4) for bytes that could not be decoded; the caller releases it. */
    public ByteBuf protocolError(Envelope envelope, CodecException cause, ByteBufAllocator alloc) {
        return chain.encoder().encode(chain.replies().protocolError(envelope, cause), alloc);
    }
}
