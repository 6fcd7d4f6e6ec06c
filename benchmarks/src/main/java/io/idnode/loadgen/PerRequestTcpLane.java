package io.idnode.loadgen;

import io.idnode.client.internal.InFlightRequests;
import io.idnode.transport.NettyTransport;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.SplittableRandom;

/**
 * One TCP connection per request, as the stock client resolves (handle-protocol.md §1.4): connect, send, read
 * the reply, close. The requests of all the lane's connections share one table of requests in flight on the
 * lane's loop; the timeout covers connecting too.
 */
final class PerRequestTcpLane extends Lane {
    private static final AttributeKey<LoadRequest> REQUEST = AttributeKey.valueOf(PerRequestTcpLane.class, "request");

    private final InFlightRequests inFlight;
    private final Bootstrap bootstrap;

    PerRequestTcpLane(EventLoop loop, Workload work, SplittableRandom random, long quota, NettyTransport transport,
            InetSocketAddress target) {
        super(loop, work, random, quota);
        this.inFlight = new InFlightRequests(loop);
        Reader reader = new Reader();
        this.bootstrap = new Bootstrap().group(loop).channel(transport.socketChannel()).remoteAddress(target)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HandleFrameDecoder()).addLast(reader);
                    }
                });
    }

    @Sharable
    private final class Reader extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inFlight.replied(Unpooled.wrappedBuffer((byte[]) msg));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            LoadRequest request = ctx.channel().attr(REQUEST).get();
            if (request != null && request.inFlight()) {
                inFlight.fail(request, new ClosedChannelException()); // closed before the reply
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    void transmit(LoadRequest request, ByteBuf frame) {
        inFlight.register(request, frame, timeoutNanos);
        ChannelFuture connect = bootstrap.connect();
        Channel ch = connect.channel();
        ch.attr(REQUEST).set(request);
        request.connection = ch;
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                frame.release();
                inFlight.fail(request, f.cause());
                return;
            }
            ch.writeAndFlush(frame).addListener(w -> {
                if (!w.isSuccess()) {
                    inFlight.fail(request, w.cause());
                }
            });
        });
    }

    @Override
    void finished(LoadRequest request) {
        if (request.connection != null) {
            request.connection.close();
        }
    }

    @Override
    int inFlight() {
        return inFlight.size();
    }

    @Override
    long unmatched() {
        return inFlight.unmatchedReplies();
    }

    @Override
    void close() {
        // Every connection is closed when its request finishes.
    }
}
