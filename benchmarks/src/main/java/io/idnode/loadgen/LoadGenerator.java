package io.idnode.loadgen;

import io.idnode.crypto.CryptoProviders;
import io.idnode.protocol.OpFlags;
import io.idnode.transport.NettyTransport;
import io.idnode.client.internal.TcpRequestChannel;
import io.idnode.client.internal.UdpRequestChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one load test: encodes a resolution request per key once, spreads the requests over lanes (UDP
 * sockets, persistent TCP connections, or per-request TCP connections on each I/O thread; with sessions, one
 * session per I/O thread set up before the run), switches from
 * warm-up to measurement to drain on the event loops' scheduler, samples the server's and its own CPU and
 * memory at the edges of the measurement, and merges what the lanes counted.
 */
public final class LoadGenerator {
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
        int flags = settings.certified() ? OpFlags.CERTIFY : 0;
        for (int i = 0; i < templates.length; i++) {
            templates[i] = Requests.resolution(settings.keys().get(i), 0, flags);
        }
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newGroup(settings.threads());
        List<Lane> lanes = new ArrayList<>();
        try {
            RunControl control = new RunControl();
            Workload work = new Workload(control, templates, settings.chooser(), settings.timeout().toNanos());
            openLanes(settings, work, group, transport, lanes);
            return measure(settings, serverPid, group, lanes, control);
        } finally {
            for (Lane lane : lanes) {
                lane.loop.execute(lane::close);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void openLanes(LoadSettings s, Workload work, EventLoopGroup group, NettyTransport transport,
            List<Lane> lanes) throws IOException, InterruptedException {
        int count = s.transport() == Transport.TCP_PER_REQUEST ? s.threads() : s.connections();
        if (!s.openLoop()) {
            count = Math.min(count, s.inFlight());
        }
        SplittableRandom seeds = new SplittableRandom();
        InetSocketAddress target = s.target();
        // One session per I/O thread, shared by the lanes of that thread (a session's counter is loop-confined).
        Map<EventLoop, LaneSession> sessions = new HashMap<>();
        CryptoProviders crypto = s.session() ? CryptoProviders.create() : null;
        for (int i = 0; i < count; i++) {
            EventLoop loop = group.next();
            SplittableRandom random = seeds.split();
            long quota = s.boundedByCount() ? share(s.requests(), count, i) : Long.MAX_VALUE;
            Lane lane = switch (s.transport()) {
                case UDP -> new ChannelLane(opened(UdpRequestChannel.open(loop, transport, target)), work, random, quota);
                case TCP -> new ChannelLane(opened(TcpRequestChannel.connect(loop, transport, target)), work, random,
                        quota);
                case TCP_PER_REQUEST -> new PerRequestTcpLane(loop, work, random, quota, transport, target);
            };
            lanes.add(lane);
            if (s.session()) {
                LaneSession session = sessions.get(loop);
                if (session == null) {
                    // A setup costs the node a signature and a key agreement: give it longer than a request.
                    session = opened(LaneSession.setUp(loop, transport, target, crypto,
                            Math.max(s.timeout().toNanos(), TimeUnit.SECONDS.toNanos(20))));
                    sessions.put(loop, session);
                }
                lane.inSession(session);
            }
        }
    }

    /** Lane {@code i}'s share of {@code total} split over {@code lanes}: the first ones take the remainder. */
    private static long share(long total, int lanes, int i) {
        return total / lanes + (i < total % lanes ? 1 : 0);
    }

    /** The channel once open; a socket that cannot be opened or connected fails the run with its I/O error. */
    private static <T> T opened(CompletableFuture<T> channel) throws IOException, InterruptedException {
        try {
            return channel.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("cannot open a channel: " + e.getCause(), e.getCause());
        }
    }

    private static LoadReport measure(LoadSettings s, String serverPid, EventLoopGroup group, List<Lane> lanes,
            RunControl control) throws IOException, InterruptedException {
        ProcessSample[] samples = new ProcessSample[4];
        long[] window = new long[2];
        long warmupNanos = s.warmup().toNanos();
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
        CompletableFuture<Void> drained = CompletableFuture.allOf(
                lanes.stream().map(Lane::drained).toArray(CompletableFuture[]::new));
        if (s.boundedByCount()) {
            // The lanes stop by themselves once their share is started; the window closes when all are answered.
            started.thenCombine(drained, (a, b) -> null).thenRun(stop);
        } else {
            group.schedule(stop, warmupNanos + s.duration().toNanos(), TimeUnit.NANOSECONDS);
        }
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            if (s.openLoop()) {
                lane.startOpen(s.rate() / lanes.size());
            } else {
                lane.startClosed((int) share(s.inFlight(), lanes.size(), i));
            }
        }
        long limitNanos = limitNanos(s, lanes.size());
        LaneStats total = new LaneStats();
        try {
            started.get(limitNanos, TimeUnit.NANOSECONDS);
            drained.get(limitNanos, TimeUnit.NANOSECONDS);
            stopped.get(limitNanos, TimeUnit.NANOSECONDS);
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
                total.errors, total.unmatched, total.codes(), total.signed, total.latencyMicros, server, client);
    }

    /**
     * How long a run may take before it is declared stuck: warm-up, the counted part, then a timeout and a
     * grace for the drain. A closed loop bounded by count takes at most one timeout per round of its slots.
     */
    private static long limitNanos(LoadSettings s, int lanes) {
        double timeout = s.timeout().toNanos();
        double counted;
        if (!s.boundedByCount()) {
            counted = s.duration().toNanos();
        } else if (s.openLoop()) {
            counted = s.requests() / s.rate() * 1e9;
        } else {
            // The first lane has the largest share of requests, the last the fewest slots.
            long rounds = (share(s.requests(), lanes, 0) + share(s.inFlight(), lanes, lanes - 1) - 1)
                    / share(s.inFlight(), lanes, lanes - 1);
            counted = (rounds + 1) * timeout;
        }
        double limit = s.warmup().toNanos() + counted + timeout + TimeUnit.SECONDS.toNanos(DRAIN_GRACE_SECONDS);
        return (long) Math.min(Long.MAX_VALUE, limit);
    }
}
