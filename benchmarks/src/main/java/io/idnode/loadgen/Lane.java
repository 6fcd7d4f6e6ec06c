package io.idnode.loadgen;

import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.HeaderLayout;
import io.idnode.client.internal.PendingRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One stream of requests confined to one event loop, over the client transport's requests in flight (ids,
 * timeouts on the loop, replies matched by id): it starts the next request on completion (closed loop) or on
 * a 1 ms tick (open loop), and counts outcomes. Subclasses say how a request frame travels. Everything here
 * runs on {@link #loop}.
 */
abstract class Lane {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    final EventLoop loop;
    final long timeoutNanos;
    private final Workload work;
    private final SplittableRandom random;
    private final LaneStats stats = new LaneStats();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    /** Counted requests this lane may still start: its share of a run bounded by count, else unbounded. */
    private long quota;
    private boolean openLoop;
    private double ratePerNano;
    private long openStart;
    private long openIssued;
    private ScheduledFuture<?> ticker;
    /** The session every request goes out in, or null (set before the lane starts). */
    private LaneSession session;

    /** A request of this lane: when it was due and whether it is counted; its outcome starts the next one. */
    final class LoadRequest extends PendingRequest {
        final long startNanos;
        final boolean counted;
        /** The request frame as encoded once, without credential. */
        final byte[] template;
        /** The connection opened for this request alone, by lanes that open one per request. */
        Channel connection;

        LoadRequest(long startNanos, boolean counted, byte[] template) {
            this.startNanos = startNanos;
            this.counted = counted;
            this.template = template;
        }

        @Override
        protected ByteBuf beforeWrite(ByteBuf frame) {
            return session == null ? frame : session.seal(frame, template, requestId());
        }

        @Override
        protected boolean replied(ByteBuf frame) {
            if (counted) {
                // In a session a reply counts as signed only if its MAC verifies.
                boolean signed = session == null ? hasCredential(frame) : session.verify(frame);
                stats.answered(responseCode(frame), signed, System.nanoTime() - startNanos);
            }
            completed(this);
            return true;
        }

        @Override
        protected void failed(Throwable cause) {
            if (counted) {
                stats.errors++;
            }
            completed(this);
        }

        @Override
        protected void timedOut() {
            if (counted) {
                stats.timeouts++;
            }
            completed(this);
        }
    }

    Lane(EventLoop loop, Workload work, SplittableRandom random, long quota) {
        this.loop = loop;
        this.work = work;
        this.timeoutNanos = work.timeoutNanos();
        this.random = random;
        this.quota = quota;
    }

    /** Sends every request of this lane in {@code s} (before the lane starts). */
    void inSession(LaneSession s) {
        this.session = s;
    }

    /** Sends {@code frame}, the request frame of {@code request} (owned by the transport from now on). */
    abstract void transmit(LoadRequest request, ByteBuf frame);

    /** Requests in flight. */
    abstract int inFlight();

    /** Replies that matched no request in flight. */
    abstract long unmatched();

    /** Closes the lane's channels. */
    abstract void close();

    /** Whether new requests can still be sent (false once a persistent connection is lost). */
    boolean acceptsMore() {
        return true;
    }

    /** Releases what {@code request} holds (a per-request connection); called once it is complete. */
    void finished(LoadRequest request) {
    }

    /** Closed loop: starts {@code slots} requests now, each replaced when it completes. */
    void startClosed(int slots) {
        loop.execute(() -> {
            for (int i = 0; i < slots && trySend(System.nanoTime()); i++) {
                // each iteration starts one request
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
        long due = (long) ((System.nanoTime() - openStart) * ratePerNano);
        // Latency counts from when the request should have started, not from when the tick got to it.
        while (openIssued < due && trySend(openStart + (long) (openIssued / ratePerNano))) {
            openIssued++;
        }
        if (doneSending()) {
            ticker.cancel(false);
            drainedIfIdle();
        }
    }

    /** Completes once this lane sends nothing more and nothing it sent is in flight any more. */
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
        loop.execute(() -> {
            LaneStats copy = stats.copy();
            copy.unmatched = unmatched();
            f.complete(copy);
        });
        return f;
    }

    /** Starts one request due at {@code startNanos}, unless the lane is done sending; returns whether it did. */
    private boolean trySend(long startNanos) {
        if (work.control().stopped() || !acceptsMore()) {
            return false;
        }
        boolean counted = work.control().measuring();
        if (counted) {
            if (quota == 0) {
                return false;
            }
            quota--;
            stats.sent++;
        }
        byte[] template = work.templates()[work.chooser().next(random)];
        int room = session == null ? 0 : LaneSession.CREDENTIAL_ROOM;
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(template.length + room).writeBytes(template);
        transmit(new LoadRequest(startNanos, counted, template), frame);
        return true;
    }

    private void completed(LoadRequest request) {
        finished(request);
        if (!openLoop) {
            trySend(System.nanoTime());
        }
        drainedIfIdle();
    }

    /** Stopped, out of quota while measuring, or without a connection: no request will start any more. */
    private boolean doneSending() {
        return work.control().stopped() || (work.control().measuring() && quota == 0) || !acceptsMore();
    }

    private void drainedIfIdle() {
        if (!drained.isDone() && doneSending() && inFlight() == 0) {
            drained.complete(null);
        }
    }

    /**
     * Whether the reply's credential section (after header and body, §2.1) is not empty: the signature of a
     * certified reply. Outside a session its validity is not checked (the load generator measures the server, not
     * a verifier); in a session the MAC of every reply is checked ({@link LaneSession#verify}).
     */
    static boolean hasCredential(ByteBuf frame) {
        int bodyLengthAt = EnvelopeLayout.LENGTH + HeaderLayout.BODY_LENGTH;
        if (frame.readableBytes() < bodyLengthAt + 4) {
            return false;
        }
        long credentialAt = bodyLengthAt + 4 + frame.getUnsignedInt(frame.readerIndex() + bodyLengthAt);
        return frame.readableBytes() >= credentialAt + 4
                && frame.getInt(frame.readerIndex() + (int) credentialAt) > 0;
    }

    private static int responseCode(ByteBuf frame) {
        int at = EnvelopeLayout.LENGTH + HeaderLayout.RESPONSE_CODE;
        return frame.readableBytes() >= at + 4 ? frame.getInt(frame.readerIndex() + at) : -1;
    }
}
