package io.idnode.client.internal;

import io.idnode.transport.NettyTransport;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.CodecException;
import io.idnode.codec.Limits;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.MultiPacketAssembler;
import io.idnode.codec.UdpFragmenter;
import io.idnode.protocol.Envelope;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A UDP socket sending requests to one server (handle-protocol.md §1.3): a request frame travels in one
 * datagram (split into 492-byte chunks with TC set when longer), a reply in one or several; a single-datagram
 * reply is handed over in place, a multi-datagram one once resolver-core's {@link MultiPacketAssembler} has
 * every chunk. Replies are matched by requestId alone, as the stock client matches them. Nothing is resent
 * here: a request without reply times out, and the caller decides whether to {@link #resend} it.
 */
public final class UdpRequestChannel extends RequestChannel {
    /** Socket buffers: room for bursts of requests and replies. */
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;

    private final MultiPacketAssembler assembler = new MultiPacketAssembler();

    private UdpRequestChannel(DatagramChannel channel, InetSocketAddress target) {
        super(channel, target);
    }

    /**
     * Opens a socket on {@code loop} for requests to {@code target}: bound to the loopback address for a
     * loopback target (so that it reaches nothing else), to the wildcard address otherwise.
     */
    public static CompletableFuture<UdpRequestChannel> open(EventLoop loop, NettyTransport transport,
            InetSocketAddress target) {
        CompletableFuture<UdpRequestChannel> opened = new CompletableFuture<>();
        UdpRequestChannel[] created = new UdpRequestChannel[1];
        InetAddress local = target.getAddress().isLoopbackAddress() ? target.getAddress() : null;
        ChannelFuture bind = new Bootstrap().group(loop).channel(transport.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(NettyTransport.DATAGRAM_BUFFER))
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        created[0] = new UdpRequestChannel(ch, target);
                        ch.pipeline().addLast(created[0].new Reader());
                    }
                })
                .bind(new InetSocketAddress(local, 0));
        bind.addListener(f -> {
            if (f.isSuccess()) {
                opened.complete(created[0]);
            } else {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    @Override
    void transmit(PendingRequest request, ByteBuf frame) {
        ChannelFutureListener onError = failOnWriteError(request);
        if (frame.readableBytes() <= Limits.MAX_UDP_DATAGRAM) {
            channel.write(new DatagramPacket(frame, target())).addListener(onError);
        } else {
            try {
                UdpFragmenter.fragment(frame, channel.alloc(), true,
                        chunk -> channel.write(new DatagramPacket(chunk, target())).addListener(onError));
            } finally {
                frame.release();
            }
        }
        flushSoon();
    }

    /** A reply datagram: whole, or one chunk of a longer reply to reassemble. */
    private void received(DatagramPacket packet) {
        ByteBuf datagram = packet.content();
        int length = datagram.readableBytes();
        if (length < EnvelopeLayout.LENGTH) {
            return;
        }
        if (FrameFields.messageId(datagram) == 0 && FrameFields.messageLength(datagram) == length - EnvelopeLayout.LENGTH) {
            inFlight.replied(datagram);
            return;
        }
        if (!inFlight.isPending(FrameFields.requestId(datagram))) {
            inFlight.countUnmatched();
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(datagram);
        byte[] message;
        try {
            Envelope envelope = MessageCodec.DEFAULT.decodeEnvelope(bytes, 0);
            message = assembler.offer(packet.sender(), envelope, bytes, EnvelopeLayout.LENGTH,
                    length - EnvelopeLayout.LENGTH);
        } catch (CodecException e) {
            return; // a malformed chunk: the request stays without reply until its timeout
        }
        if (message == null) {
            return; // more chunks to come
        }
        byte[] frame = new byte[EnvelopeLayout.LENGTH + message.length];
        System.arraycopy(bytes, 0, frame, 0, EnvelopeLayout.LENGTH);
        System.arraycopy(message, 0, frame, EnvelopeLayout.LENGTH, message.length);
        ByteBuf whole = Unpooled.wrappedBuffer(frame);
        whole.setInt(FrameFields.MESSAGE_ID_OFFSET, 0);
        inFlight.replied(whole);
    }

    private final class Reader extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            received(packet);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like concern no request in particular: the requests time out.
        }
    }
}
