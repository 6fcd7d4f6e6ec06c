package io.idnode.loadgen;

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
import java.util.SplittableRandom;

/**
 * One TCP connection per request, as the stock client resolves: connect, send, read the reply, close. The
 * timeout covers connecting too.
 */
final class PerRequestTcpLane extends Lane {
    private static final AttributeKey<InFlight> REQUEST = AttributeKey.valueOf(PerRequestTcpLane.class, "request");

    private final Bootstrap bootstrap;

    PerRequestTcpLane(EventLoop loop, RunControl control, byte[][] templates, KeyChooser chooser,
            SplittableRandom random, long timeoutNanos, Class<? extends SocketChannel> channelType,
            InetSocketAddress target) {
        super(loop, control, templates, chooser, random, timeoutNanos);
        Reader reader = new Reader();
        this.bootstrap = new Bootstrap().group(loop).channel(channelType).remoteAddress(target)
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
            Frames.deliver(Unpooled.wrappedBuffer((byte[]) msg), PerRequestTcpLane.this);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            InFlight request = ctx.channel().attr(REQUEST).get();
            if (request != null) {
                failed(request); // closed before the reply (does nothing once it was answered)
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    void transmit(InFlight request, ByteBuf frame) {
        ChannelFuture connect = bootstrap.connect();
        Channel ch = connect.channel();
        ch.attr(REQUEST).set(request);
        request.connection = ch;
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                frame.release();
                failed(request);
                return;
            }
            ch.writeAndFlush(frame).addListener(w -> {
                if (!w.isSuccess()) {
                    failed(request);
                }
            });
        });
    }

    @Override
    void finished(InFlight request) {
        if (request.connection != null) {
            request.connection.close();
        }
    }

    @Override
    void close() {
        // Every connection is closed when its request finishes.
    }
}
