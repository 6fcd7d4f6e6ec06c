package io.idnode.client.internal;

import io.idnode.transport.NettyTransport;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A persistent TCP connection with many requests in flight (handle-protocol.md §1.4: the node answers
 * pipelined requests, in any order, each reply carrying its request's id). Replies are split into frames by
 * resolver-core's {@link HandleFrameDecoder}; a reply stream that does not start with a valid envelope closes
 * the connection, and everything in flight fails with that error.
 */
public final class TcpRequestChannel extends RequestChannel {
    /** How long a connection may take to open unless told otherwise (Netty's own default). */
    public static final int CONNECT_TIMEOUT_MILLIS = 30_000;

    private TcpRequestChannel(SocketChannel channel, InetSocketAddress target) {
        super(channel, target);
    }

    /** Connects to {@code target} from {@code loop}; completes with the channel once connected. */
    public static CompletableFuture<TcpRequestChannel> connect(EventLoop loop, NettyTransport transport,
            InetSocketAddress target) {
        return connect(loop, transport, target, CONNECT_TIMEOUT_MILLIS);
    }

    /**
     * Connects to {@code target} from {@code loop}, failing after {@code connectTimeoutMillis}; completes with the
     * channel once connected.
     */
    public static CompletableFuture<TcpRequestChannel> connect(EventLoop loop, NettyTransport transport,
            InetSocketAddress target, int connectTimeoutMillis) {
        CompletableFuture<TcpRequestChannel> connected = new CompletableFuture<>();
        TcpRequestChannel[] created = new TcpRequestChannel[1];
        ChannelFuture connect = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        created[0] = new TcpRequestChannel(ch, target);
                        ch.pipeline().addLast(new HandleFrameDecoder()).addLast(created[0].new Reader());
                    }
                })
                .connect(target);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                connected.complete(created[0]);
            } else {
                connected.completeExceptionally(f.cause());
            }
        });
        return connected;
    }

    @Override
    void transmit(PendingRequest request, ByteBuf frame) {
        channel.write(frame).addListener(failOnWriteError(request));
        flushSoon();
    }

    private final class Reader extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inFlight.replied(Unpooled.wrappedBuffer((byte[]) msg));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closing(cause);
            ctx.close();
        }
    }
}
