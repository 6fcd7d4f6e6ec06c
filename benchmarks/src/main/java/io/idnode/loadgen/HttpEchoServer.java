package io.idnode.loadgen;

import io.idnode.transport.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP ceiling of the machine: a minimal Netty HTTP/1.1 server with the node's pipeline up to the endpoints
 * (HttpServerCodec and an aggregator) that answers every request with one fixed JSON body, keep-alive. Against
 * it a load tool measures sockets, HTTP parsing and itself; the node's {@code GET /api/handles/...} against it
 * shows what the API costs (benchmarks/httpbench.sh).
 */
public final class HttpEchoServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    private HttpEchoServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Starts answering {@code body} on loopback {@code port} (0 = a free one) with {@code threads} event loops. */
    public static HttpEchoServer start(int port, int threads, byte[] body) throws InterruptedException {
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newGroup(threads);
        ChannelHandler answer = new Answer(body);
        Channel ch = new ServerBootstrap().group(group).channel(transport.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), answer);
                    }
                }).bind(InetAddress.getLoopbackAddress(), port).sync().channel();
        return new HttpEchoServer(group, ch);
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** {@code PORT THREADS BODY_FILE}: serves until stopped. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: HttpEchoServer PORT THREADS BODY_FILE");
            System.exit(2);
        }
        HttpEchoServer server = start(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Files.readAllBytes(Path.of(args[2])));
        System.err.printf("http-echo: port %d, pid %d%n", server.port(), ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "http-echo-shutdown"));
        server.channel.closeFuture().sync();
    }

    @ChannelHandler.Sharable
    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final byte[] body;

        Answer(byte[] body) {
            this.body = body;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
            HttpUtil.setContentLength(r, body.length);
            ctx.writeAndFlush(r);
        }
    }
}
