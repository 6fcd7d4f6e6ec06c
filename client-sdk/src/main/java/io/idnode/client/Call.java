package io.idnode.client;

import io.idnode.client.internal.PendingRequest;
import io.idnode.client.internal.RequestChannel;
import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpFlags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One request of the client in flight: its reply decoded into {@link #reply()} (on the channel's loop), or
 * the channel's failure, or a {@link TimeoutException}. Continued replies (CN, handle-protocol.md §1.4) go to
 * {@code pages} one by one while the request stays in flight. A session request is sealed by its
 * {@link SessionSeal} once its id is known. Sent over UDP, it follows the retry schedule (§1.3): the same
 * bytes under the same id after each wait, then {@link UdpNoReply}.
 */
final class Call extends PendingRequest {
    private final CompletableFuture<Message> reply = new CompletableFuture<>();
    private final Consumer<Message> pages;
    private final SessionSeal seal;
    // UDP only: the frame to send again, the channel, the waits left.
    private byte[] datagram;
    private RequestChannel udpChannel;
    private List<Long> waitsNanos;
    private long deadlineNanos;
    private int sends;

    Call(Consumer<Message> pages, SessionSeal seal) {
        this.pages = pages;
        this.seal = seal;
    }

    /** The decoded reply, or the failure. */
    CompletableFuture<Message> reply() {
        return reply;
    }

    /**
     * Sends {@code frame} over UDP on {@code channel}, then again after each of {@code waitsNanos} without reply,
     * no wait going past {@code deadlineNanos}. On the channel's loop.
     */
    void sendUdp(RequestChannel channel, byte[] frame, List<Long> waitsNanos, long deadlineNanos) {
        this.udpChannel = channel;
        this.datagram = frame;
        this.waitsNanos = waitsNanos;
        this.deadlineNanos = deadlineNanos;
        this.sends = 1;
        long wait = Math.min(waitsNanos.get(0), deadlineNanos - System.nanoTime());
        if (wait <= 0) {
            reply.completeExceptionally(new TimeoutException("no time left to send"));
            return;
        }
        channel.send(this, Unpooled.wrappedBuffer(frame), wait);
    }

    @Override
    protected ByteBuf beforeWrite(ByteBuf frame) {
        return seal == null ? frame : seal.seal(frame, requestId());
    }

    @Override
    protected boolean replied(ByteBuf frame) {
        byte[] bytes = ByteBufUtil.getBytes(frame);
        Message m;
        try {
            m = MessageCodec.DEFAULT.decode(bytes);
        } catch (CodecException e) {
            reply.completeExceptionally(new InvalidReplyException("a reply does not decode: " + e.getMessage(), e));
            return true;
        }
        if (pages != null && m.header() != null && m.hasFlag(OpFlags.CONTINUOUS)) {
            pages.accept(m);
            return false;
        }
        reply.complete(m);
        return true;
    }

    @Override
    protected void failed(Throwable cause) {
        reply.completeExceptionally(cause);
    }

    @Override
    protected void timedOut() {
        if (datagram != null) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                reply.completeExceptionally(new TimeoutException("no reply over UDP from " + udpChannel.target()
                        + " before the deadline"));
                return;
            }
            if (sends < waitsNanos.size()) {
                long wait = Math.min(waitsNanos.get(sends++), left);
                udpChannel.resend(this, Unpooled.wrappedBuffer(datagram), wait);
                return;
            }
            reply.completeExceptionally(new UdpNoReply(udpChannel.target() + " sent no reply over UDP after "
                    + sends + " sends"));
            return;
        }
        reply.completeExceptionally(new TimeoutException("no reply to request " + requestId() + " in time"));
    }

    /** Nanoseconds of a wait. */
    static long nanos(java.time.Duration d) {
        return TimeUnit.NANOSECONDS.convert(d);
    }

    /** Every UDP send of a request went unanswered: the request goes over TCP next (§1.3). */
    static final class UdpNoReply extends TimeoutException {
        private static final long serialVersionUID = 1L;

        UdpNoReply(String message) {
            super(message);
        }
    }
}
