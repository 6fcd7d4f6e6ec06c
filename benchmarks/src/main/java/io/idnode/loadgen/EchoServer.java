package io.idnode.loadgen;

import io.idnode.transport.NettyTransport;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.HeaderLayout;
import io.idnode.codec.Limits;
import io.idnode.codec.UdpFragmenter;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's ceiling: a minimal Netty server on one port (UDP and TCP, the node's socket setup: recvmmsg
 * reads and one flush per read batch, as the node's) that
 * answers every request datagram or frame with a fixed reply of a given size, carrying the request's ids and
 * response code 1 (SUCCESS), split into 492-byte chunks over UDP when longer than a datagram (§1.3). It does
 * no decoding, lookup or encoding: the load generator against it measures sockets and the generator itself.
 */
public final class EchoServer implements AutoCloseable {
    /** Smallest reply: envelope and header. */
    public static final int MIN_REPLY_BYTES = EnvelopeLayout.LENGTH + HeaderLayout.LENGTH;

    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private final byte[] reply;
    private int port;

    private EchoServer(EventLoopGroup group, byte[] reply) {
        this.group = group;
        this.reply = reply;
    }

    /** Starts echoing on {@code address:port} (0 = a free port) with replies of {@code replyBytes}. */
    public static EchoServer start(InetAddress address, int port, int replyBytes, int threads)
            throws InterruptedException {
        if (replyBytes < MIN_REPLY_BYTES || replyBytes > EnvelopeLayout.LENGTH + Limits.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("reply size must be within " + MIN_REPLY_BYTES + ".."
                    + (EnvelopeLayout.LENGTH + Limits.MAX_MESSAGE_LENGTH) + " bytes, got " + replyBytes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        NettyTransport transport = NettyTransport.best();
        EchoServer server = new EchoServer(transport.newGroup(threads), template(replyBytes));
        try {
            server.bind(address, port, transport, threads);
            return server;
        } catch (Throwable e) {
            server.close();
            throw e;
        }
    }

    /** Envelope (version 2.11, ids patched per request), a SUCCESS header for RESOLUTION, zero padding. */
    private static byte[] template(int size) {
        ByteBuf b = Unpooled.buffer(size);
        b.writeByte(2).writeByte(11).writeByte(2).writeByte(11);
        b.writeInt(0).writeInt(0).writeInt(0).writeInt(size - EnvelopeLayout.LENGTH);
        b.writeInt(OpCode.RESOLUTION.code()).writeInt(ResponseCode.SUCCESS.code());
        b.writeZero(size - b.writerIndex());
        // The header's bodyLength (last field of the 24-byte header) covers what follows the header.
        b.setInt(EnvelopeLayout.LENGTH + HeaderLayout.LENGTH - 4, size - MIN_REPLY_BYTES);
        byte[] out = new byte[size];
        b.readBytes(out);
        return out;
    }

    private void bind(InetAddress address, int requestedPort, NettyTransport transport, int threads)
            throws InterruptedException {
        TcpEcho tcpEcho = new TcpEcho();
        Channel tcp = new ServerBootstrap().group(group)
                .channel(transport.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HandleFrameDecoder()).addLast(tcpEcho);
                    }
                })
                .bind(address, requestedPort).sync().channel();
        channels.add(tcp);
        port = ((InetSocketAddress) tcp.localAddress()).getPort();
        int sockets = transport.serverDatagramSockets(threads);
        for (int i = 0; i < sockets; i++) {
            Bootstrap b = transport.serverDatagramOptions(new Bootstrap()).group(group)
                    .channel(transport.datagramChannel())
                    .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                    .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new UdpEcho());
                        }
                    });
            channels.add(b.bind(address, port).sync().channel());
        }
    }

    /** Blocks until the server is closed. */
    public void awaitClose() throws InterruptedException {
        channels.get(0).closeFuture().sync();
    }

    /** The port (UDP and TCP). */
    public int port() {
        return port;
    }

    private ByteBuf replyTo(ByteBuf request, ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().directBuffer(reply.length).writeBytes(reply);
        // sessionId and requestId, as a reply must carry them (§1.1)
        out.setLong(4, request.getLong(request.readerIndex() + 4));
        return out;
    }

    private final class UdpEcho extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf request = packet.content();
            if (request.readableBytes() < EnvelopeLayout.LENGTH) {
                return;
            }
            ByteBuf frame = replyTo(request, ctx);
            try {
                UdpFragmenter.fragment(frame, ctx.alloc(), false,
                        datagram -> ctx.write(new DatagramPacket(datagram, packet.sender()), ctx.voidPromise()));
            } finally {
                frame.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush(); // as the node does: one sendmmsg for the replies to a read batch
        }
    }

    @Sharable
    private final class TcpEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(replyTo(Unpooled.wrappedBuffer((byte[]) msg), ctx), ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush(); // as the node does: one write for the replies to a read batch
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
