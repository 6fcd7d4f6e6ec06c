package io.idnode.server;

import io.idnode.budget.MemoryBudget;
import io.idnode.budget.SourceQuota;
import io.idnode.codec.Limits;
import io.idnode.codec.MultiPacketAssembler;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.idnode.handler.session.SessionTable;
import io.idnode.node.RequestChain;
import io.idnode.server.http.HttpEndpoint;
import io.idnode.server.http.HttpEndpoints;
import io.idnode.server.http.HttpFront;
import io.idnode.server.http.HttpLimits;
import io.idnode.server.http.HttpResources;
import io.idnode.server.http.HttpsCertificate;
import io.idnode.server.http.ops.OpsEndpoint;
import io.idnode.server.http.page.RecordPageEndpoint;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import io.idnode.server.ratelimit.SourceLimits;
import io.idnode.server.transport.RequestDispatcher;
import io.idnode.server.transport.RequestMeters;
import io.idnode.server.transport.TcpLimits;
import io.idnode.server.transport.TcpServerHandler;
import io.idnode.server.transport.UdpServerHandler;
import io.idnode.transport.NettyTransport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
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
 * the event loops keep answering resolutions; what is admitted there, and what every TCP connection and the
 * UDP reassembly may hold, is bounded by the node's {@link LimitSettings} (README.md, "Limits and queues"),
 * shown in its meter registry ({@link LimitMeters}).
 */
public final class NodeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);
    /** Threads answering requests that may block. */
    public static final int BLOCKING_THREADS = 2;
    /** Requests that may block waiting for a thread before new ones are refused. */
    public static final int BLOCKING_QUEUE = 1024;
    /** Longest wait, on close, for the requests already taken to be answered. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** Incomplete multi-packet UDP messages held at once (besides their bytes, {@code reassembly-memory}). */
    public static final int REASSEMBLY_MESSAGES = 1024;
    /** Unflushed reply bytes above which a TCP connection is not writable, and is not read until below the low mark. */
    public static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final EventLoopGroup group;
    private final NettyTransport transport;
    private final boolean epoll;
    private final NodeConfig config;
    private final ExecutorService blockingExecutor = blockingExecutor();
    private final List<Channel> udpChannels = new ArrayList<>();
    // Open TCP connections, so that close() can stop reading them while their requests drain.
    private final ChannelGroup connections = new DefaultChannelGroup("tcp", GlobalEventExecutor.INSTANCE);
    private final MemoryBudget frameMemory;
    private final MemoryBudget queueMemory;
    private final MultiPacketAssembler assembler;
    private final TcpLimits tcpLimits;
    private Channel tcpChannel;
    private InetSocketAddress address;
    private volatile RequestDispatcher dispatcher;
    private HttpFront http;
    private HttpFront https;
    private volatile boolean serving;

    private NodeServer(EventLoopGroup group, NettyTransport transport, NodeConfig config) {
        this.group = group;
        this.transport = transport;
        this.epoll = transport == NettyTransport.EPOLL;
        this.config = config;
        LimitSettings limits = config.limits();
        this.frameMemory = new MemoryBudget("tcp-frame-memory", limits.tcpFrameMemoryBytes());
        this.queueMemory = new MemoryBudget("queue-memory", limits.queueMemoryBytes());
        this.assembler = new MultiPacketAssembler(REASSEMBLY_MESSAGES,
                new MemoryBudget("reassembly-memory", limits.reassemblyMemoryBytes()),
                MultiPacketAssembler.DEFAULT_MAX_AGE, config.ticker()::read);
        SourceQuota connections = new SourceQuota(limits.tcpMaxConnections(), limits.tcpMaxConnectionsPerSource());
        this.tcpLimits = new TcpLimits(connections, config.tcpIdleTimeout(), limits.tcpRequestTimeout(),
                config.tcpSessionInFlight(), config.ticker());
        MeterRegistry meters = config.meters();
        LimitMeters.budget(meters, frameMemory);
        LimitMeters.budget(meters, queueMemory);
        LimitMeters.budget(meters, assembler.budget());
        LimitMeters.refusals(meters, "tcp-max-connections", connections, SourceQuota::refusedTotal);
        LimitMeters.refusals(meters, "tcp-max-connections-per-source", connections, SourceQuota::refusedPerSource);
        LimitMeters.refusals(meters, "tcp-request-timeout", tcpLimits, TcpLimits::closedStalled);
        Gauge.builder("idnode.tcp.connections", connections, SourceQuota::total).register(meters);
        Gauge.builder("idnode.eventloop.tasks", this, NodeServer::loopTasks).register(meters);
    }

    /**
     * Binds TCP then UDP on the same port (port 0: a free one) without reading yet: requests are served once
     * {@link #serve} supplies the handler (the node's site description needs the bound port).
     */
    public static NodeServer bind(NodeConfig config) throws IOException, InterruptedException {
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
            if (config.http()) {
                server.http = HttpFront.bind(group, transport, config.bindAddress(), config.httpPort(), null,
                        config.tcpIdleTimeout());
                if (config.httpsPort() >= 0) {
                    SslContext tls = HttpsCertificate.context(config.dataDir().resolve(Node.KEYS_DIR),
                            config.httpsCert(), config.httpsKey(), config.advertiseAddress());
                    server.https = HttpFront.bind(group, transport, config.bindAddress(), config.httpsPort(), tls,
                            config.tcpIdleTimeout());
                }
            }
            return server;
        } catch (Throwable e) {
            // Also a BindException, which Netty rethrows unchecked.
            if (server.tcpChannel != null) {
                server.tcpChannel.close();
            }
            if (server.http != null) {
                server.http.close();
            }
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
        RequestDispatcher d = new RequestDispatcher(chain, blockingExecutor, queueMemory, config.ticker(),
                config.limits().queueWait(), this::loopTasks,
                new SourceLimits(config.sourceLimits(), config.ticker(), config.meters()),
                RequestMeters.of(config.meters()));
        MeterRegistry meters = config.meters();
        LimitMeters.refusals(meters, "queue-length", d, RequestDispatcher::refusedQueueLength);
        LimitMeters.refusals(meters, "queue-wait", d, RequestDispatcher::refusedQueueWait);
        LimitMeters.refusals(meters, "event-loop-tasks", d, RequestDispatcher::refusedLoopTasks);
        SessionTable sessions = chain.sessions();
        LimitMeters.refusals(meters, "max-sessions", sessions, SessionTable::refusedFull);
        LimitMeters.refusals(meters, "max-sessions-per-source", sessions, SessionTable::refusedPerSource);
        Gauge.builder("idnode.sessions", sessions, SessionTable::size).register(meters);
        FunctionCounter.builder("idnode.sessions.evicted", sessions, SessionTable::evicted).register(meters);
        this.dispatcher = d;
        for (Channel udp : udpChannels) {
            udp.pipeline().addLast(new UdpServerHandler(d, assembler));
            udp.config().setAutoRead(true);
        }
        tcpChannel.config().setAutoRead(true);
        serving = true;
        if (http != null) {
            List<HttpEndpoint> endpoints = httpEndpoints(new HttpResources(chain, blockingExecutor, meters,
                    () -> notReady() == null));
            HttpLimits httpLimits = new HttpLimits(new SourceLimits(config.sourceLimits(), config.ticker(), meters),
                    meters);
            http.serve(endpoints, httpLimits);
            if (https != null) {
                https.serve(endpoints, httpLimits);
            }
        }
        LOG.info("listening on {} port {} (UDP x{} and TCP, {}){}", address.getAddress().getHostAddress(),
                address.getPort(), udpChannels.size(), epoll ? "epoll" : "nio",
                http == null ? "" : ", HTTP port " + http.port() + (https == null ? "" : ", HTTPS port " + https.port()));
    }

    /** The bound HTTPS port, or -1 when the node serves no HTTPS. */
    public int httpsPort() {
        return https == null ? -1 : https.port();
    }

    /**
     * The HTTP endpoints in the order the front asks them: the front's own ({@link HttpEndpoints}), then the
     * operators' resources ({@code /metrics}, {@code /healthz}, {@code /readyz}) and the record pages, the
     * catch-all for GET.
     */
    private static List<HttpEndpoint> httpEndpoints(HttpResources resources) {
        List<HttpEndpoint> endpoints = new ArrayList<>(HttpEndpoints.assemble(resources));
        if (resources.meters() instanceof PrometheusMeterRegistry prometheus) {
            endpoints.add(new OpsEndpoint(prometheus, () -> resources.ready().getAsBoolean() ? null
                    : "not serving (starting, stopping, or a socket not bound)", resources.blocking()));
        }
        endpoints.add(new RecordPageEndpoint(resources.chain(), resources.blocking(),
                RequestMeters.of(resources.meters()), Clock.systemUTC()));
        return List.copyOf(endpoints);
    }

    /** The bound HTTP port, or -1 when the node serves no HTTP. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Tasks pending on the event loops, all together: replies written from the blocking executor, timers. */
    private long loopTasks() {
        long pending = 0;
        for (EventExecutor loop : group) {
            if (loop instanceof SingleThreadEventExecutor single) {
                pending += single.pendingTasks();
            }
        }
        return pending;
    }

    private Channel bindTcp() throws InterruptedException {
        ServerBootstrap b = transport.serverStreamBootstrap(group)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        HandleFrameDecoder decoder = new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH, frameMemory);
                        ch.pipeline().addLast(decoder).addLast(new TcpServerHandler(dispatcher, decoder, tcpLimits));
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

    /**
     * Why the node cannot take requests now, or null if it can: every UDP socket and the TCP socket bound and
     * open, and the request chain installed ({@link #serve}).
     */
    public String notReady() {
        if (dispatcher == null || !serving) {
            return "not serving";
        }
        if (tcpChannel == null || !tcpChannel.isActive()) {
            return "TCP socket not bound";
        }
        for (Channel udp : udpChannels) {
            if (!udp.isActive()) {
                return "UDP socket not bound";
            }
        }
        return null;
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

    /**
     * Stops gracefully: takes no more work (the TCP socket stops accepting, no socket is read any more), waits
     * up to {@link #DRAIN_TIMEOUT} for the requests already taken to be answered, then closes every socket
     * once the replies written are sent.
     */
    @Override
    public void close() {
        serving = false;
        if (tcpChannel != null) {
            tcpChannel.close().syncUninterruptibly();
        }
        if (http != null) {
            http.stopReading();
        }
        if (https != null) {
            https.stopReading();
        }
        for (Channel c : udpChannels) {
            c.config().setAutoRead(false);
        }
        for (Channel c : connections) {
            c.config().setAutoRead(false);
        }
        // A task on each event loop runs after any read in progress: what was read has been handed on.
        for (EventExecutor loop : group) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
        blockingExecutor.shutdown();
        try {
            if (!blockingExecutor.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("requests still in progress after {} s; closing without them",
                        DRAIN_TIMEOUT.toSeconds());
                blockingExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            blockingExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // The event loops run the writes queued before the close of each channel, so the replies go out. The
        // connections are closed here, not left to the loops' shutdown, which may stop them without closing
        // their sockets: a client would then wait on a connection nobody reads instead of reconnecting.
        connections.close().syncUninterruptibly();
        for (Channel c : udpChannels) {
            c.close().syncUninterruptibly();
        }
        if (http != null) {
            http.close();
        }
        if (https != null) {
            https.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
