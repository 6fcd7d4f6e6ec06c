package io.idnode.client.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * A socket to one server carrying many requests at once, each matched to its reply by requestId through the
 * channel's {@link InFlightRequests}: encoded request frames go out, reply frames come back to their
 * {@link PendingRequest}. Writes made while the event loop handles one batch (say, the requests sent in
 * reaction to a burst of replies) leave together in one flush. When the socket closes, every request still
 * in flight fails.
 */
public abstract sealed class RequestChannel permits TcpRequestChannel, UdpRequestChannel {
    final Channel channel;
    final InFlightRequests inFlight;
    private final InetSocketAddress target;
    private final Runnable flushTask = this::flushNow;
    private boolean flushScheduled;
    /** Why the socket was closed, when an error closed it. */
    private Throwable closeCause;

    RequestChannel(Channel channel, InetSocketAddress target) {
        this.channel = channel;
        this.target = target;
        this.inFlight = new InFlightRequests(channel.eventLoop());
    }

    /**
     * Sends {@code frame} (a whole request frame, envelope first; the channel owns it from now on) under a new
     * requestId written into its envelope; {@code request} gets the reply, or fails, or times out after
     * {@code timeoutNanos}. Once the id is written, {@link PendingRequest#beforeWrite} may seal the frame (a
     * credential over the ids). From any thread; on the channel's loop it adds no task.
     */
    public final void send(PendingRequest request, ByteBuf frame, long timeoutNanos) {
        EventLoop loop = channel.eventLoop();
        if (!loop.inEventLoop()) {
            loop.execute(() -> send(request, frame, timeoutNanos));
            return;
        }
        try {
            inFlight.register(request, frame, timeoutNanos);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        ByteBuf out;
        try {
            out = request.beforeWrite(frame);
        } catch (RuntimeException e) {
            inFlight.fail(request, e);
            return;
        }
        transmit(request, out);
    }

    /**
     * Sends {@code frame} again for a request this channel sent before and whose outcome has come, under the
     * same requestId: the UDP retry schedule (handle-protocol.md §1.3). On the channel's loop.
     */
    public final void resend(PendingRequest request, ByteBuf frame, long timeoutNanos) {
        try {
            inFlight.registerAgain(request, frame, timeoutNanos);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        transmit(request, frame);
    }

    /** Writes the frame of {@code request}, registered already, and flushes it soon. */
    abstract void transmit(PendingRequest request, ByteBuf frame);

    /** A write listener that fails {@code request} when its frame cannot be written. */
    final ChannelFutureListener failOnWriteError(PendingRequest request) {
        return f -> {
            if (!f.isSuccess()) {
                inFlight.fail(request, f.cause());
            }
        };
    }

    /** Flushes once the event loop has finished its current batch: one write or sendmmsg for a burst. */
    final void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
    }

    /** Records the error that is closing the socket, so that the requests it fails carry it. */
    final void closing(Throwable cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
    }

    /** The socket is closed: everything still in flight fails. */
    final void closed() {
        inFlight.failAll(closeCause != null ? closeCause : new ClosedChannelException());
    }

    /** The event loop this channel, its requests and their outcomes are confined to. */
    public final EventLoop loop() {
        return channel.eventLoop();
    }

    /** The server's address. */
    public final InetSocketAddress target() {
        return target;
    }

    /** Whether the socket is open (a closed channel fails what is sent on it). */
    public final boolean isActive() {
        return channel.isActive();
    }

    /** Requests in flight (on the loop). */
    public final int inFlightCount() {
        return inFlight.size();
    }

    /** Replies that matched no request in flight (on the loop). */
    public final long unmatchedReplies() {
        return inFlight.unmatchedReplies();
    }

    /** Closes the socket; every request in flight fails. */
    public final ChannelFuture close() {
        return channel.close();
    }

    /** Completes when the socket has closed, for whatever reason (a pool replaces the channel then). */
    public final ChannelFuture closeFuture() {
        return channel.closeFuture();
    }
}
