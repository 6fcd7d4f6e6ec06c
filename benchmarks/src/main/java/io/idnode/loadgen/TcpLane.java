package io.idnode.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.util.SplittableRandom;

/**
 * Requests on one persistent TCP connection, many in flight, matched by requestId. When the connection is
 * lost every request in flight fails and the lane stops sending.
 */
final class TcpLane extends Lane {
    private Channel channel;
    private boolean open = true;

    TcpLane(EventLoop loop, RunControl control, byte[][] templates, KeyChooser chooser, SplittableRandom random,
            long timeoutNanos) {
        super(loop, control, templates, chooser, random, timeoutNanos);
    }

    void attach(Channel ch) {
        this.channel = ch;
    }

    /** The handler to install after the frame decoder. */
    ChannelInboundHandlerAdapter reader() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                Frames.deliver(Unpooled.wrappedBuffer((byte[]) msg), TcpLane.this);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                open = false;
                failAll();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        };
    }

    @Override
    void transmit(InFlight request, ByteBuf frame) {
        channel.write(frame).addListener(f -> {
            if (!f.isSuccess()) {
                failed(request);
            }
        });
        flushSoon(channel);
    }

    @Override
    boolean acceptsMore() {
        return open;
    }

    @Override
    void close() {
        open = false;
        if (channel != null) {
            channel.close();
        }
    }
}
