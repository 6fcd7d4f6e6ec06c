package io.idnode.client.internal;

import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A request whose single reply is decoded with resolver-core's {@link MessageCodec} into {@link #future()}:
 * the decoded message, or a {@link CodecException} for a reply that does not decode, a
 * {@link TimeoutException}, or the channel's failure. The future completes on the channel's event loop, so
 * dependent work that may block belongs on another executor.
 */
public final class ReplyFuture extends PendingRequest {
    private final CompletableFuture<Message> future = new CompletableFuture<>();

    /** The outcome. */
    public CompletableFuture<Message> future() {
        return future;
    }

    @Override
    protected boolean replied(ByteBuf frame) {
        byte[] bytes = frame.hasArray() && frame.arrayOffset() == 0 && frame.readerIndex() == 0
                && frame.readableBytes() == frame.array().length ? frame.array() : ByteBufUtil.getBytes(frame);
        try {
            future.complete(MessageCodec.DEFAULT.decode(bytes));
        } catch (CodecException e) {
            future.completeExceptionally(e);
        }
        return true;
    }

    @Override
    protected void failed(Throwable cause) {
        future.completeExceptionally(cause);
    }

    @Override
    protected void timedOut() {
        future.completeExceptionally(new TimeoutException("no reply to request " + requestId() + " in time"));
    }
}
