package io.idnode.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;

/** Requests as datagrams on one UDP socket; a reply is complete when all its message bytes have arrived. */
final class UdpLane extends Lane {
    private final InetSocketAddress target;
    private Channel channel;

    UdpLane(EventLoop loop, RunControl control, byte[][] templates, KeyChooser chooser, SplittableRandom random,
            long timeoutNanos, InetSocketAddress target) {
        super(loop, control, templates, chooser, random, timeoutNanos);
        this.target = target;
    }

    void attach(Channel ch) {
        this.channel = ch;
    }

    /** The reader to install on the socket. */
    SimpleChannelInboundHandler<DatagramPacket> reader() {
        return new SimpleChannelInboundHandler<>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                Frames.deliver(packet.content(), UdpLane.this);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // ICMP port unreachable and the like: the request it concerned times out.
            }
        };
    }

    @Override
    void transmit(InFlight request, ByteBuf frame) {
        channel.write(new DatagramPacket(frame, target)).addListener(f -> {
            if (!f.isSuccess()) {
                failed(request);
            }
        });
        flushSoon(channel);
    }

    @Override
    void close() {
        if (channel != null) {
            channel.close();
        }
    }
}
