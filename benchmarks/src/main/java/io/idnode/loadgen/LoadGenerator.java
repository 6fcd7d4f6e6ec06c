package io.idnode.loadgen;

import io.idnode.codec.netty.HandleFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one load test: encodes a resolution request per key once, spreads the requests over lanes (UDP
 * sockets, persistent TCP connections, or per-request TCP connections on each I/O thread), switches from
 * warm-up to measurement to drain on the event loops' scheduler, samples the server's and its own CPU and
 * memory at the edges of the measurement, and merges what the lanes counted.
 */
public final class LoadGenerator {
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;
    /** How long after the last timeout the drain may take before the run is declared stuck. */
    private static final long DRAIN_GRACE_SECONDS = 10;

    private LoadGenerator() {
    }

    /** Runs {@code settings}; with {@code serverPid} non-null, also reports that process's CPU and RSS. */
    public static LoadReport run(LoadSettings settings, String serverPid) throws IOException, InterruptedException {
        if (serverPid != null) {
            ProcessSample.of(serverPid); // fail before the run when the pid is wrong
        }
        byte[][] templates = new byte[settings.keys().size()][];
        for (int i = 0; i < templates.length; i++) {
            templates[i] = Requests.resolution(settings.keys().get(i), 0, 0);
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.threads(), io);
        List<Lane> lanes = new ArrayList<>();
        try {
            RunControl control = new RunControl();
            openLanes(settings, templates, group, epoll, lanes, control);
            return measure(settings, serverPid, group, lanes, control);
        } finally {
            for (Lane lane : lanes) {
                lane.loop.execute(lane::close);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void openLanes(LoadSettings s, byte[][] templates, EventLoopGroup group, boolean epoll,
            List<Lane> lanes, RunControl control) throws InterruptedException {
        int count = s.transport() == Transport.TCP_PER_REQUEST ? s.threads() : s.connections();
        if (!s.openLoop()) {
            count = Math.min(count, s.inFlight());
        }
        SplittableRandom seeds = new SplittableRandom();
        long timeoutNanos = s.timeout().toNanos();
        InetSocketAddress target = s.target();
        InetAddress local = target.getAddress().isLoopbackAddress() ? InetAddress.getLoopbackAddress() : null;
        for (int i = 0; i < count; i++) {
            EventLoop loop = group.next();
            SplittableRandom random = seeds.split();
            switch (s.transport()) {
                case UDP -> {
                    UdpLane lane = new UdpLane(loop, control, templates, s.chooser(), random, timeoutNanos, target);
                    Channel ch = new Bootstrap().group(loop)
                            .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                            .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048))
                            .handler(new ChannelInitializer<DatagramChannel>() {
                                @Override
                                protected void initChannel(DatagramChannel c) {
                                    c.pipeline().addLast(lane.reader());
                                }
                            })
                            .bind(new InetSocketAddress(local, 0)).sync().channel();
                    lane.attach(ch);
                    lanes.add(lane);
                }
                case TCP -> {
                    TcpLane lane = new TcpLane(loop, control, templates, s.chooser(), random, timeoutNanos);
                    Channel ch = new Bootstrap().group(loop)
                            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                            .option(ChannelOption.TCP_NODELAY, true)
                            .handler(new ChannelInitializer<SocketChannel>() {
                                @Override
                                protected void initChannel(SocketChannel c) {
                                    c.pipeline().addLast(new HandleFrameDecoder()).addLast(lane.reader());
                                }
                            })
                            .connect(target).sync().channel();
                    lane.attach(ch);
                    lanes.add(lane);
                }
                case TCP_PER_REQUEST -> lanes.add(new PerRequestTcpLane(loop, control, templates, s.chooser(),
                        random, timeoutNanos, epoll ? EpollSocketChannel.class : NioSocketChannel.class, target));
            }
        }
    }

    private static LoadReport measure(LoadSettings s, String serverPid, EventLoopGroup group, List<Lane> lanes,
            RunControl control) throws IOException, InterruptedException {
        ProcessSample[] samples = new ProcessSample[4];
        long[] window = new long[2];
        long warmupNanos = s.warmup().toNanos();
        long durationNanos = s.duration().toNanos();
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Runnable startMeasuring = () -> {
            try {
                samples[0] = serverPid == null ? null : ProcessSample.of(serverPid);
                samples[1] = ProcessSample.of("self");
                window[0] = System.nanoTime();
                control.measure();
                started.complete(null);
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
            }
        };
        Runnable stop = () -> {
            control.stop();
            window[1] = System.nanoTime();
            try {
                samples[2] = serverPid == null ? null : ProcessSample.of(serverPid);
                samples[3] = ProcessSample.of("self");
                stopped.complete(null);
            } catch (IOException | RuntimeException e) {
                stopped.completeExceptionally(e);
            }
            for (Lane lane : lanes) {
                lane.loop.execute(lane::stopped);
            }
        };
        if (warmupNanos == 0) {
            startMeasuring.run();
        } else {
            group.schedule(startMeasuring, warmupNanos, TimeUnit.NANOSECONDS);
        }
        group.schedule(stop, warmupNanos + durationNanos, TimeUnit.NANOSECONDS);
        int slotsLeft = s.inFlight();
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            if (s.openLoop()) {
                lane.startOpen(s.rate() / lanes.size());
            } else {
                int slots = slotsLeft / (lanes.size() - i);
                slotsLeft -= slots;
                lane.startClosed(slots);
            }
        }
        long limitNanos = warmupNanos + durationNanos + s.timeout().toNanos()
                + TimeUnit.SECONDS.toNanos(DRAIN_GRACE_SECONDS);
        LaneStats total = new LaneStats();
        try {
            started.get(limitNanos, TimeUnit.NANOSECONDS);
            stopped.get(limitNanos, TimeUnit.NANOSECONDS);
            CompletableFuture.allOf(lanes.stream().map(Lane::drained).toArray(CompletableFuture[]::new))
                    .get(limitNanos, TimeUnit.NANOSECONDS);
            for (Lane lane : lanes) {
                total.add(lane.snapshot().get(limitNanos, TimeUnit.NANOSECONDS));
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("load run failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("load run did not drain within " + limitNanos / 1_000_000 + " ms", e);
        }
        double seconds = (window[1] - window[0]) / 1e9;
        LoadReport.ProcessUse server = serverPid == null ? null
                : LoadReport.ProcessUse.between(serverPid, samples[0], samples[2]);
        LoadReport.ProcessUse client = LoadReport.ProcessUse.between(Long.toString(ProcessHandle.current().pid()),
                samples[1], samples[3]);
        return new LoadReport(s.target().getAddress().getHostAddress() + ":" + s.target().getPort(), s.transport(),
                s.openLoop() ? 0 : s.inFlight(), s.rate(), seconds, total.sent, total.received, total.timeouts,
                total.errors, total.unmatched, total.codes(), total.latencyMicros, server, client);
    }
}
