package io.idnode.server.transport;

import io.idnode.codec.CodecException;
import io.idnode.handler.session.SessionLayer;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Where the transports hand decoded requests: to the session layer, on the calling event loop for requests
 * that answer at once (resolution), or on the blocking executor for those that may block (synced writes,
 * signature checks, key agreement: {@link SessionLayer#mayBlock}), so that the event loops keep answering
 * resolutions. When the executor is full the request is answered "too busy" (3). Thread-safe.
 */
public final class RequestDispatcher {
    private final SessionLayer sessions;
    private final Executor blocking;

    public RequestDispatcher(SessionLayer sessions, Executor blocking) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
    }

    /**
     * Answers {@code request}, handing each encoded reply to {@code out} (which releases it), possibly on
     * another thread; {@code onFault} runs if answering fails with an exception off the event loop, where
     * nothing else would see it.
     */
    public void dispatch(Message request, ByteBufAllocator alloc, Consumer<ByteBuf> out,
            Consumer<RuntimeException> onFault) {
        if (!SessionLayer.mayBlock(request)) {
            sessions.respond(request, alloc, out);
            return;
        }
        try {
            blocking.execute(() -> {
                try {
                    sessions.respond(request, alloc, out);
                } catch (RuntimeException e) {
                    onFault.accept(e);
                }
            });
        } catch (RejectedExecutionException full) {
            out.accept(sessions.busy(request, alloc));
        }
    }

    /** The encoded protocol error (4) for bytes that could not be decoded; the caller releases it. */
    public ByteBuf protocolError(Envelope envelope, CodecException cause, ByteBufAllocator alloc) {
        return sessions.protocolError(envelope, cause, alloc);
    }
}
