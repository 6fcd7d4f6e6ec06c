package io.idnode.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One stream of requests confined to one event loop: it owns the requestIds it hands out and the requests
 * in flight under them, schedules each request's timeout on its loop and cancels it on the reply, and
 * starts the next request on completion (closed loop) or on a 1 ms tick (open loop). Subclasses only move
 * bytes. Everything here runs on {@link #loop}.
 */
abstract class Lane {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    final EventLoop loop;
    private final RunControl control;
    private final byte[][] templates;
    private final KeyChooser chooser;
    private final SplittableRandom random;
    private final long timeoutNanos;
    private final IntObjectMap<InFlight> inFlight = new IntObjectHashMap<>();
    private final LaneStats stats = new LaneStats();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private int nextId = 1;
    private boolean openLoop;
    private double ratePerNano;
    private long openStart;
    private long openIssued;
    private ScheduledFuture<?> ticker;
    private boolean flushScheduled;

    /** A request in flight; {@code connection} is set by transports that open one per request. */
    static final class InFlight {
        final int id;
        final long startNanos;
        final boolean counted;
        ScheduledFuture<?> timeout;
        Channel connection;
        /** UDP: message bytes still expected (-1 until the first datagram). */
        int remaining = -1;
        /** UDP: the response code, known once the first chunk (messageId 0) has arrived. */
        int responseCode = -1;

        InFlight(int id, long startNanos, boolean counted) {
            this.id = id;
            this.startNanos = startNanos;
            this.counted = counted;
        }
    }

    Lane(EventLoop loop, RunControl control, byte[][] templates, KeyChooser chooser, SplittableRandom random,
            long timeoutNanos) {
        this.loop = loop;
        this.control = control;
        this.templates = templates;
        this.chooser = chooser;
        this.random = random;
        this.timeoutNanos = timeoutNanos;
    }

    /** Sends the request frame of {@code request} (this lane owns {@code frame} until it is written). */
    abstract void transmit(InFlight request, ByteBuf frame);

    /**
     * Flushes {@code channel} once the event loop has finished its current batch, so that the requests sent
     * in reaction to one read burst leave in one system call (TCP: one write; UDP: sendmmsg with epoll).
     */
    final void flushSoon(Channel channel) {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(() -> {
                flushScheduled = false;
                channel.flush();
            });
        }
    }

    /** Releases what {@code request} holds (a per-request connection); called once it is complete. */
    void finished(InFlight request) {
    }

    /** Closes the lane's channels. */
    abstract void close();

    /** Closed loop: starts {@code slots} requests now, each replaced when it completes. */
    void startClosed(int slots) {
        loop.execute(() -> {
            for (int i = 0; i < slots && !control.stopped(); i++) {
                send(System.nanoTime());
            }
            drainedIfIdle();
        });
    }

    /** Open loop: starts requests at {@code perSecond}, whatever the replies. */
    void startOpen(double perSecond) {
        loop.execute(() -> {
            openLoop = true;
            ratePerNano = perSecond / 1e9;
            openStart = System.nanoTime();
            ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_NANOS, TimeUnit.NANOSECONDS);
        });
    }

    private void tick() {
        if (control.stopped() || !acceptsMore()) {
            ticker.cancel(false);
            drainedIfIdle();
            return;
        }
        long due = (long) ((System.nanoTime() - openStart) * ratePerNano);
        while (openIssued < due) {
            // Latency counts from when the request should have started, not from when the tick got to it.
            send(openStart + (long) (openIssued / ratePerNano));
            openIssued++;
        }
    }

    /** Completes once the run is stopped and nothing counted is in flight any more. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** Called on {@link #loop} after the run was stopped. */
    void stopped() {
        drainedIfIdle();
    }

    /** A copy of the counts, taken on the loop. */
    CompletableFuture<LaneStats> snapshot() {
        CompletableFuture<LaneStats> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(stats.copy()));
        return f;
    }

    private void send(long startNanos) {
        int id = nextId++;
        if (id == 0) {
            id = nextId++;
        }
        InFlight request = new InFlight(id, startNanos, control.measuring());
        if (request.counted) {
            stats.sent++;
        }
        inFlight.put(id, request);
        request.timeout = loop.schedule(() -> timedOut(request), timeoutNanos, TimeUnit.NANOSECONDS);
        byte[] template = templates[chooser.next(random)];
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(template.length).writeBytes(template);
        Requests.setRequestId(frame, id);
        transmit(request, frame);
    }

    /**
     * A whole reply frame, or one UDP datagram of it: {@code messageBytes} of the message it carries, for a
     * message of {@code messageLength}. Replies whose id is not in flight are counted as unmatched.
     */
    final void received(int requestId, int messageId, int messageLength, int messageBytes, int responseCode) {
        InFlight request = inFlight.get(requestId);
        if (request == null) {
            stats.unmatched++;
            return;
        }
        if (messageId == 0) {
            request.responseCode = responseCode;
        }
        if (request.remaining < 0) {
            request.remaining = messageLength;
        }
        request.remaining -= messageBytes;
        if (request.remaining > 0 || request.responseCode < 0) {
            return;
        }
        inFlight.remove(requestId);
        request.timeout.cancel(false);
        if (request.counted) {
            stats.answered(request.responseCode, System.nanoTime() - request.startNanos);
        }
        completed(request);
    }

    /** {@code request} could not be sent or its connection failed. */
    final void failed(InFlight request) {
        if (inFlight.remove(request.id) == null) {
            return;
        }
        request.timeout.cancel(false);
        if (request.counted) {
            stats.errors++;
        }
        completed(request);
    }

    /** Every request in flight fails (the lane's connection is gone). */
    final void failAll() {
        for (Object r : inFlight.values().toArray()) {
            failed((InFlight) r);
        }
    }

    private void timedOut(InFlight request) {
        if (inFlight.remove(request.id) == null) {
            return;
        }
        if (request.counted) {
            stats.timeouts++;
        }
        completed(request);
    }

    private void completed(InFlight request) {
        finished(request);
        if (!openLoop && !control.stopped() && acceptsMore()) {
            send(System.nanoTime());
        }
        drainedIfIdle();
    }

    /** Whether new requests can still be sent (false once a persistent connection is lost). */
    boolean acceptsMore() {
        return true;
    }

    private void drainedIfIdle() {
        if ((control.stopped() || !acceptsMore()) && inFlight.isEmpty() && !drained.isDone()) {
            drained.complete(null);
        }
    }
}
