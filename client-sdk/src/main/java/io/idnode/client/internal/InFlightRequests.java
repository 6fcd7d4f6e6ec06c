package io.idnode.client.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The requests in flight on one channel (or on the connections of one event loop), keyed by the requestId
 * this table hands out (handle-protocol.md §1.1: the client chooses it, replies echo it). Each request's
 * timeout is scheduled on the loop when it is sent and cancelled when its reply arrives, so nothing polls;
 * a reply whose id is not in flight (late, or not ours) is counted and dropped. Confined to {@link #loop()}:
 * every method must be called on it, and every outcome is delivered on it.
 */
public final class InFlightRequests {
    private final EventLoop loop;
    private final IntObjectMap<PendingRequest> pending = new IntObjectHashMap<>();
    private int nextId;
    private long unmatched;

    /** An empty table on {@code loop}; ids start at a random positive value, as the stock client's do. */
    public InFlightRequests(EventLoop loop) {
        this.loop = loop;
        this.nextId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
    }

    /** The event loop the table and its requests are confined to. */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Enters {@code request} under a new id, writes that id into the envelope of {@code frame} (its readable
     * bytes: the request frame about to be written) and arms the timeout. Returns the id.
     */
    public int register(PendingRequest request, ByteBuf frame, long timeoutNanos) {
        checkSendable(request, timeoutNanos);
        int id;
        do {
            id = nextId;
            nextId = id == Integer.MAX_VALUE ? 1 : id + 1;
        } while (pending.containsKey(id));
        request.owner = this;
        request.requestId = id;
        FrameFields.setRequestId(frame, id);
        arm(request, timeoutNanos);
        return id;
    }

    /**
     * Enters again, under the id it had, a request this table registered before and whose outcome has come:
     * a UDP retry resends the same bytes with the same requestId (§1.3), so that a late reply to an earlier
     * attempt still answers it. Writes the id into {@code frame} and arms a new timeout.
     */
    public void registerAgain(PendingRequest request, ByteBuf frame, long timeoutNanos) {
        checkSendable(request, timeoutNanos);
        if (request.owner != this) {
            throw new IllegalStateException("request " + request.requestId + " was not sent through this table");
        }
        if (pending.containsKey(request.requestId)) {
            throw new IllegalStateException("id " + request.requestId + " is in flight for another request");
        }
        FrameFields.setRequestId(frame, request.requestId);
        arm(request, timeoutNanos);
    }

    private void checkSendable(PendingRequest request, long timeoutNanos) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("requests are sent on the table's event loop");
        }
        if (request.inFlight()) {
            throw new IllegalStateException("request " + request.requestId + " is already in flight");
        }
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeoutNanos + " ns");
        }
    }

    private void arm(PendingRequest request, long timeoutNanos) {
        pending.put(request.requestId, request);
        request.timeoutNanos = timeoutNanos;
        request.timeout = loop.schedule(() -> expire(request), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Hands a reply frame (envelope first, at least the envelope's 20 bytes) to the request in flight under
     * its requestId and cancels that request's timeout (restarts it, when the request stays for continued
     * replies). Returns false, counting the frame as unmatched, when
     * no request is in flight under that id.
     */
    public boolean replied(ByteBuf frame) {
        int id = FrameFields.requestId(frame);
        PendingRequest request = pending.remove(id);
        if (request == null) {
            unmatched++;
            return false;
        }
        ScheduledFuture<?> timeout = request.timeout;
        request.timeout = null;
        boolean done = true;
        try {
            done = request.replied(frame);
        } finally {
            timeout.cancel(false);
            if (!done) {
                // A continued reply restarts the wait: a long listing is timed per reply, not as a whole.
                pending.put(id, request);
                request.timeout = loop.schedule(() -> expire(request), request.timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
        return true;
    }

    /** Whether a request is in flight under {@code requestId}. */
    public boolean isPending(int requestId) {
        return pending.containsKey(requestId);
    }

    /** Counts a part of a reply (a UDP chunk) whose id is not in flight. */
    void countUnmatched() {
        unmatched++;
    }

    /** Fails {@code request} with {@code cause} if it is still in flight here; does nothing otherwise. */
    public void fail(PendingRequest request, Throwable cause) {
        if (request.owner != this || !request.inFlight() || pending.get(request.requestId) != request) {
            return;
        }
        pending.remove(request.requestId);
        request.timeout.cancel(false);
        request.timeout = null;
        request.failed(cause);
    }

    /** Fails every request in flight with {@code cause}: their channel is gone. */
    public void failAll(Throwable cause) {
        if (pending.isEmpty()) {
            return;
        }
        for (PendingRequest request : pending.values().toArray(new PendingRequest[0])) {
            fail(request, cause);
        }
    }

    private void expire(PendingRequest request) {
        if (pending.get(request.requestId) != request) {
            return;
        }
        pending.remove(request.requestId);
        request.timeout = null;
        request.timedOut();
    }

    /** Requests in flight. */
    public int size() {
        return pending.size();
    }

    /** Reply frames that matched no request in flight: late (after a timeout or failure) or not ours. */
    public long unmatchedReplies() {
        return unmatched;
    }
}
