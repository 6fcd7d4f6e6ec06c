package io.idnode.client.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One request awaiting its reply in an {@link InFlightRequests} table. Subclasses say what the outcome means
 * (complete a future, count it, send the next one); exactly one of the three outcomes is delivered per time
 * the request is sent, on the event loop of the table, after the request has left the table. Allocated per
 * request, so a subclass carries its own per-request state instead of a second object.
 */
public abstract class PendingRequest {
    /** The table that issued {@link #requestId}; null before the first send. */
    InFlightRequests owner;
    int requestId;
    /** The armed timeout while the request is in flight, null otherwise. */
    ScheduledFuture<?> timeout;
    /** The wait for a reply given when the request was last sent. */
    long timeoutNanos;

    /** A request not sent yet. */
    protected PendingRequest() {
    }

    /** The requestId this request travels under (handle-protocol.md §1.1); 0 before it is sent. */
    public final int requestId() {
        return requestId;
    }

    /** Whether the request is waiting for its reply. */
    public final boolean inFlight() {
        return timeout != null;
    }

    /**
     * The frame to write, called on the loop once {@link #requestId()} is written into {@code frame}'s envelope:
     * {@code frame} itself (the default), or one made from it, for a credential that covers the ids (a session
     * MAC, handle-protocol.md §2.3) or an encrypted message (§6.6). The call owns {@code frame}: it returns it,
     * or releases it, also when it throws; an exception fails the request. Not called on
     * {@link RequestChannel#resend}.
     */
    protected ByteBuf beforeWrite(ByteBuf frame) {
        return frame;
    }

    /**
     * A reply frame carrying this request's id: envelope and whole message, in {@code frame}'s readable bytes,
     * valid only during the call (the caller releases it). Returns whether the exchange is complete; false
     * keeps the request in flight for further replies under the same id (continued replies, §1.4).
     */
    protected abstract boolean replied(ByteBuf frame);

    /** The request could not be written, or its channel closed before the reply. */
    protected abstract void failed(Throwable cause);

    /** No reply came within the timeout given when the request was sent. */
    protected abstract void timedOut();
}
