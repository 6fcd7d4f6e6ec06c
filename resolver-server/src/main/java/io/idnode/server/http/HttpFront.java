package io.idnode.server.http;

import io.idnode.transport.NettyTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The node's HTTP/1.1 face (handle-protocol.md §1.5, §8): one listening socket on the node's event loops,
 * plain or TLS, HttpServerCodec and an aggregator refusing bodies over {@link #MAX_BODY} bytes with 413, then
 * the {@link HttpEndpoint}s, asked in order. Bound before it serves (the site description names its port),
 * like the UDP/TCP sockets; connections are accepted once {@link #serve} has the endpoints.
 */
public final class HttpFront implements AutoCloseable {
    /** Largest request body taken, in bytes: a JSON record or a native message (envelope + 256 KiB). */
    public static final int MAX_BODY = 1 << 20;

    private final boolean secure;
    private final SslContext tls;
    private final Duration idleTimeout;
    private final Channel server;
    private final ChannelGroup connections = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    private volatile List<HttpEndpoint> endpoints = List.of();
    private volatile HttpLimits limits = HttpLimits.NONE;

    private HttpFront(EventLoopGroup group, NettyTransport transport, InetAddress address, int port, SslContext tls,
            Duration idleTimeout) throws InterruptedException {
        this.secure = tls != null;
        this.tls = tls;
        this.idleTimeout = idleTimeout;
        ServerBootstrap b = transport.serverStreamBootstrap(group)
                .option(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        setUp(ch);
                    }
                });
        this.server = b.bind(address, port).sync().channel();
    }

    /**
     * Binds a front on {@code address}:{@code port} (0: a free one) on {@code group}'s loops, TLS with {@code tls}
     * if not null; idle connections are closed after {@code idleTimeout}. Nothing is accepted before {@link #serve}.
     */
    public static HttpFront bind(EventLoopGroup group, NettyTransport transport, InetAddress address, int port,
            SslContext tls, Duration idleTimeout) throws InterruptedException {
        return new HttpFront(group, transport, address, port, tls, idleTimeout);
    }

    private void setUp(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast(tls.newHandler(ch.alloc()));
        }
        p.addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS) {
            @Override
            protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                ctx.close();
            }
        });
        p.addLast(new HttpServerCodec());
        p.addLast(new BodyLimit(MAX_BODY));
        p.addLast(new HttpFrontHandler(endpoints, secure, limits));
    }

    /** Starts accepting connections, each answered by {@code answering} in order. */
    public void serve(List<HttpEndpoint> answering) {
        serve(answering, HttpLimits.NONE);
    }

    /** As {@link #serve(List)}, each request first held to {@code held} (429 above its source network's rate). */
    public void serve(List<HttpEndpoint> answering, HttpLimits held) {
        this.endpoints = List.copyOf(Objects.requireNonNull(answering, "answering"));
        this.limits = Objects.requireNonNull(held, "held");
        server.config().setAutoRead(true);
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Whether this front speaks TLS. */
    public boolean secure() {
        return secure;
    }

    /** Stops accepting and reading; the responses under way still go out when the event loops stop. */
    public void stopReading() {
        server.close().syncUninterruptibly();
        for (Channel c : connections) {
            c.config().setAutoRead(false);
        }
    }

    /** Closes the listening socket and every connection. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
    }

    /** The aggregator, answering a body over the limit with 413 and a message, then closing. */
    private static final class BodyLimit extends HttpObjectAggregator {
        BodyLimit(int maxBody) {
            super(maxBody);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            FullHttpResponse r = HttpResponses.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "request body larger than " + MAX_BODY + " bytes");
            HttpUtil.setContentLength(r, r.content().readableBytes());
            r.headers().set("connection", "close");
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
