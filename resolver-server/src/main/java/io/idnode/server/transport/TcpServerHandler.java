package io.idnode.server.transport;

import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.netty.HandleFrameException;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests on one TCP connection (handle-protocol.md §1.4): each frame (envelope + message, from the frame
 * decoder) is decoded once and handed to the {@link RequestDispatcher} (the request chain; requests that may
 * block off the event loop); the replies come back through this connection's {@link ReplyWriter}, bound
 * once, and are encoded once. The connection stays open for further requests (clients that pool
 * connections, cn-extensions.md §1) until the client closes it or it idles out. A frame that cannot be
 * decoded is answered with a protocol error and the connection is closed, since the stream can no longer be
 * trusted.
 */
public final class TcpServerHandler extends SimpleChannelInboundHandler<byte[]> implements ReplyWriter.Transport {
    private static final Logger LOG = LoggerFactory.getLogger(TcpServerHandler.class);

    private final RequestDispatcher dispatcher;
    private final MessageCodec codec = MessageCodec.DEFAULT;
    private final BatchedFlush flush = new BatchedFlush();
    // Bound to this connection once, so that answering a request allocates no callbacks.
    private ChannelHandlerContext ctx;
    private ReplyWriter writer;

    /** A connection's handler, handing its requests to {@code dispatcher}. */
    public TcpServerHandler(RequestDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.writer = dispatcher.writer(ctx.alloc(), this, ctx.channel().remoteAddress(), false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, byte[] frame) {
        flush.startRead();
        try {
            read(ctx, frame);
        } finally {
            flush.endRead();
        }
    }

    private void read(ChannelHandlerContext ctx, byte[] frame) {
        Envelope envelope;
        try {
            envelope = codec.decodeEnvelope(frame, 0);
        } catch (CodecException e) {
            ctx.close();
            return;
        }
        Message request;
        try {
            // The frame decoder made the frame exactly envelope + messageLength bytes.
            request = codec.decodeMessage(envelope, frame, EnvelopeLayout.LENGTH,
                    frame.length - EnvelopeLayout.LENGTH);
        } catch (CodecException e) {
            ctx.writeAndFlush(dispatcher.protocolError(envelope, e, ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        dispatcher.dispatch(request, writer);
    }

    @Override
    public void send(ByteBuf reply, SocketAddress peer) {
        ctx.write(reply, ctx.voidPromise());
        flush.written(ctx);
    }

    @Override
    public void unanswerable() {
        ctx.close(); // the client must not wait for a reply that will not come
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush.readComplete(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HandleFrameException bad && ctx.channel().isActive()) {
            // The envelope named a request: answer it with a protocol error before closing.
            Envelope envelope = Envelope.request(bad.sessionId(), bad.requestId());
            ctx.writeAndFlush(dispatcher.protocolError(envelope, bad.codecException(), ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!(cause instanceof IOException) && !(cause instanceof DecoderException)) {
            LOG.warn("TCP connection from {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
