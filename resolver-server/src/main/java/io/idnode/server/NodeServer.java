package io.idnode.server;

import io.idnode.transport.NettyTransport;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.idnode.node.RequestChain;
import io.idnode.server.ratelimit.SourceLimits;
import io.idnode.server.transport.RequestDispatcher;
import io.idnode.server.transport.TcpServerHandler;
import io.idnode.server.transport.UdpServerHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network shell of a node: one port for UDP and TCP, native epoll when it loads (with one UDP socket
 * per event loop through SO_REUSEPORT), NIO otherwise. Everything a request meets after the socket is
 * resolver-core's. Requests that may block (administration: synced writes, signature checks, PBKDF2) run
 * on a small executor of {@value #BLOCKING_THREADS} threads with a queue of {@value #BLOCKING_QUEUE}, so
 * the event loops keep answering resolutions; when the queue is full the request is answered "too busy".
 */
public final class NodeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);
    /** Threads answering requests that may block. */
    public static final int BLOCKING_THREADS = 2;
    /** Requests that may block waiting for a thread before new ones are refused. */
    public static final int BLOCKING_QUEUE = 1024;

    private final EventLoopGroup group;
    private final NettyTransport transport;
    private final boolean epoll;
    private final NodeConfig config;
    private final ExecutorService blockingExecutor = blockingExecutor();
    private final List<Channel> udpChannels = new ArrayList<>();
    private Channel tcpChannel;
    private InetSocketAddress address;
    private volatile RequestDispatcher dispatcher;

    private NodeServer(EventLoopGroup group, NettyTransport transport, NodeConfig config) {
        this.group = group;
        this.transport = transport;
        this.epoll = transport == NettyTransport.EPOLL;
        this.config = config;
    }

    /**
     * Binds TCP then UDP on the same port (port 0: a free one) without reading yet: requests are served once
     * {@link #serve} supplies the handler (the node's site description needs the bound port).
     */
    public static NodeServer bind(NodeConfig config) throws InterruptedException {
        NettyTransport transport = NettyTransport.best();
        int threads = config.eventLoops() > 0 ? config.eventLoops() : Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = transport.newGroup(threads);
        NodeServer server = new NodeServer(group, transport, config);
        try {
            Channel tcp = server.bindTcp();
            int port = ((InetSocketAddress) tcp.localAddress()).getPort();
            server.address = new InetSocketAddress(config.bindAddress(), port);
            int udpSockets = transport.serverDatagramSockets(threads);
            for (int i = 0; i < udpSockets; i++) {
                server.udpChannels.add(server.bindUdp(port));
            }
            return server;
        } catch (Throwable e) {
            // Also a BindException, which Netty rethrows unchecked.
            server.blockingExecutor.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static ExecutorService blockingExecutor() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(BLOCKING_QUEUE), r -> {
                    Thread t = new Thread(r, "admin-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** Starts serving: installs the request chain on every socket and starts reading. */
    public void serve(RequestChain chain) {
        RequestDispatcher d = new RequestDispatcher(chain, blockingExecutor,
                new SourceLimits(config.sourceLimits(), config.ticker(), config.meters()));
        this.dispatcher = d;
        for (Channel udp : udpChannels) {
            udp.pipeline().addLast(new UdpServerHandler(d));
            udp.config().setAutoRead(true);
        }
        tcpChannel.config().setAutoRead(true);
        LOG.info("listening on {} port {} (UDP x{} and TCP, {})", address.getAddress().getHostAddress(),
                address.getPort(), udpChannels.size(), epoll ? "epoll" : "nio");
    }

    private Channel bindTcp() throws InterruptedException {
        long idleMillis = config.tcpIdleTimeout().toMillis();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                // Idle = no request for that long. Reader-idle only: watching writes too would
                                // cost a promise and a listener per reply.
                                .addLast(new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(new HandleFrameDecoder())
                                .addLast(new TcpServerHandler(dispatcher));
                    }
                });
        tcpChannel = b.bind(config.bindAddress(), config.port()).sync().channel();
        return tcpChannel;
    }

    private Channel bindUdp(int port) throws InterruptedException {
        Bootstrap b = transport.serverDatagramOptions(new Bootstrap())
                .group(group)
                .channel(transport.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        // The channel handler is added by serve().
                    }
                });
        return b.bind(config.bindAddress(), port).sync().channel();
    }

    /** The bound address (the port is the same for UDP and TCP). */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    public boolean usesEpoll() {
        return epoll;
    }

    @Override
    public void close() {
        if (tcpChannel != null) {
            tcpChannel.close().syncUninterruptibly();
        }
        for (Channel c : udpChannels) {
            c.close().syncUninterruptibly();
        }
        // Running operations finish their store write before the store is closed after us.
        blockingExecutor.shutdown();
        try {
            if (!blockingExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                blockingExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            blockingExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
