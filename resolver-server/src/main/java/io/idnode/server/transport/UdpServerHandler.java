package io.idnode.server.transport;

import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.Limits;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.MultiPacketAssembler;
import io.idnode.codec.UdpFragmenter;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.server.ratelimit.SourceLimits;
import io.idnode.server.ratelimit.SourceLimits.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket's requests (handle-protocol.md §1.3): a datagram is decoded once (multi-packet requests
 * are reassembled first) and handed to the {@link RequestDispatcher} (the request chain; requests that may
 * block off the event loop) with a {@link ReplyWriter} addressed to its sender, which encodes each reply once;
 * replies longer than a datagram are sent split into 492-byte chunks. Datagrams too short to carry an
 * envelope are dropped; anything else that cannot be decoded is answered with a protocol error. Every request
 * passes its source network's UDP rate first ({@link SourceLimits}): above it, it is dropped or slipped (the
 * short reply that sends the client to TCP, sent only if not larger than the request). One instance
 * per channel; the {@link MultiPacketAssembler} is the node's, shared by its UDP sockets, so that its memory
 * budget bounds them all (single-packet requests never reach it).
 */
public final class UdpServerHandler extends SimpleChannelInboundHandler<DatagramPacket>
        implements ReplyWriter.Transport {
    private static final Logger LOG = LoggerFactory.getLogger(UdpServerHandler.class);

    private final RequestDispatcher dispatcher;
    private final SourceLimits limits;
    private final MessageCodec codec = MessageCodec.DEFAULT;
    private final MultiPacketAssembler assembler;
    private final BatchedFlush flush = new BatchedFlush();
    private ChannelHandlerContext ctx;

    /** A socket's handler, reassembling with {@code assembler} and handing its requests to {@code dispatcher}. */
    public UdpServerHandler(RequestDispatcher dispatcher, MultiPacketAssembler assembler) {
        this.dispatcher = dispatcher;
        this.assembler = assembler;
        this.limits = dispatcher.limits();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        flush.startRead();
        try {
            read(ctx, packet);
        } finally {
            flush.endRead();
        }
    }

    private void read(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        if (content.readableBytes() < EnvelopeLayout.LENGTH) {
            return;
        }
        byte[] datagram = ByteBufUtil.getBytes(content);
        InetSocketAddress sender = packet.sender();
        Envelope envelope;
        try {
            envelope = codec.decodeEnvelope(datagram, 0);
        } catch (CodecException e) {
            return; // no usable envelope: nothing to address a reply with
        }
        Message request;
        try {
            byte[] message;
            int offset;
            int length = envelope.messageLength();
            if (envelope.messageId() == 0 && length == datagram.length - EnvelopeLayout.LENGTH) {
                message = datagram;
                offset = EnvelopeLayout.LENGTH;
            } else {
                message = assembler.offer(sender, envelope, datagram, EnvelopeLayout.LENGTH,
                        datagram.length - EnvelopeLayout.LENGTH);
                if (message == null) {
                    return; // more chunks to come
                }
                offset = 0;
            }
            request = codec.decodeMessage(envelope, message, offset, length);
        } catch (CodecException e) {
            if (limits.udpRequest(sender) == SourceLimits.UdpVerdict.ANSWER) {
                send(dispatcher.protocolError(envelope, e, ctx.alloc()), sender);
            } else {
                limits.count(Refusal.UDP_RATE_DROPPED); // a protocol error is never slipped
            }
            return;
        }
        switch (limits.udpRequest(sender)) {
            // The one object a request costs here: its replies may come later, from the blocking executor.
            case ANSWER -> dispatcher.dispatch(request, dispatcher.writer(ctx.alloc(), this, sender, true));
            case SLIP -> slip(request, EnvelopeLayout.LENGTH + envelope.messageLength(), sender);
            case DROP -> limits.count(Refusal.UDP_RATE_DROPPED);
        }
    }

    /** Sends the short reply to TCP for a request of {@code requestBytes} if it is no larger, so as not to amplify. */
    private void slip(Message request, int requestBytes, InetSocketAddress sender) {
        ByteBuf redirect = dispatcher.tcpRedirect(request, ctx.alloc());
        if (redirect.readableBytes() <= requestBytes) {
            limits.count(Refusal.UDP_RATE_SLIPPED);
            send(redirect, sender);
        } else {
            redirect.release();
            limits.count(Refusal.UDP_RATE_DROPPED);
        }
    }

    @Override
    public void send(ByteBuf frame, SocketAddress peer) {
        InetSocketAddress recipient = (InetSocketAddress) peer;
        if (frame.readableBytes() <= Limits.MAX_UDP_DATAGRAM) {
            ctx.write(new DatagramPacket(frame, recipient), ctx.voidPromise());
        } else {
            try {
                UdpFragmenter.fragment(frame, ctx.alloc(), true,
                        chunk -> ctx.write(new DatagramPacket(chunk, recipient), ctx.voidPromise()));
            } finally {
                frame.release();
            }
        }
        flush.written(ctx);
    }

    @Override
    public void unanswerable() {
        // A datagram socket serves every client: nothing to close for one request.
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush.readComplete(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("UDP request failed on {}", ctx.channel().localAddress(), cause);
    }
}
