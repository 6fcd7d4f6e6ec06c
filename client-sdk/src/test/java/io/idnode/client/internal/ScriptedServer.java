package io.idnode.client.internal;

import io.idnode.transport.NettyTransport;
import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.UdpFragmenter;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback Handle server driven by the test: it queues every request it receives (TCP frames and UDP
 * datagrams on one port) and answers only when told, with the reply the test chooses, in the order the test
 * chooses. A reply is a HANDLE_NOT_FOUND whose error message is a text of the test's choice.
 */
final class ScriptedServer implements AutoCloseable {
    /** One request as received, with where it came from. */
    record Received(Channel channel, InetSocketAddress sender, Message request) {
        int requestId() {
            return request.requestId();
        }

        String handle() {
            return ((ResolutionRequest) request.body()).handle();
        }
    }

    private final EventLoopGroup group = NettyTransport.NIO.newGroup(1);
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Channel tcp;
    private final Channel udp;

    ScriptedServer() throws InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        tcp = new ServerBootstrap().group(group).channel(NettyTransport.NIO.serverSocketChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HandleFrameDecoder()).addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) throws CodecException {
                                received.add(new Received(ctx.channel(), null, MessageCodec.DEFAULT.decode((byte[]) msg)));
                            }
                        });
                    }
                })
                .bind(loopback, 0).sync().channel();
        udp = new Bootstrap().group(group).channel(NettyTransport.NIO.datagramChannel())
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) throws CodecException {
                        byte[] datagram = ByteBufUtil.getBytes(packet.content());
                        received.add(new Received(ctx.channel(), packet.sender(), MessageCodec.DEFAULT.decode(datagram)));
                    }
                })
                .bind(loopback, 0).sync().channel();
    }

    InetSocketAddress tcpAddress() {
        return (InetSocketAddress) tcp.localAddress();
    }

    InetSocketAddress udpAddress() {
        return (InetSocketAddress) udp.localAddress();
    }

    /** The next request received, waiting at most 10 s for it. */
    Received take() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request reached the server");
        }
        return r;
    }

    /** Whether no request is queued. */
    boolean nothingReceived() {
        return received.isEmpty();
    }

    /** Answers {@code r} with {@code text} as the error message, under the request's id. */
    void answer(Received r, String text) {
        answerAs(r, r.requestId(), text);
    }

    /** Answers {@code r} under {@code requestId}; over UDP a long reply's datagrams go out last chunk first. */
    void answerAs(Received r, int requestId, String text) {
        write(r, Unpooled.wrappedBuffer(reply(requestId, text)));
    }

    /** Writes {@code bytes} as they are to where {@code r} came from. */
    void write(Received r, ByteBuf frame) {
        if (r.sender() == null) {
            r.channel().writeAndFlush(frame);
            return;
        }
        List<ByteBuf> datagrams = UdpFragmenter.fragment(frame, r.channel().alloc(), true);
        frame.release();
        Collections.reverse(datagrams);
        for (ByteBuf d : datagrams) {
            r.channel().write(new DatagramPacket(d, r.sender()));
        }
        r.channel().flush();
    }

    static byte[] reply(int requestId, String text) {
        return MessageCodec.DEFAULT.encode(Message.of(Envelope.request(0, requestId),
                new MessageHeader(OpCode.RESOLUTION, ResponseCode.HANDLE_NOT_FOUND, 0, 0, 0, 0),
                new ErrorResponse(text)));
    }

    @Override
    public void close() {
        tcp.close().syncUninterruptibly();
        udp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
