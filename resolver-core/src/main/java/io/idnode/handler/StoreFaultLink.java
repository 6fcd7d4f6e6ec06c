package io.idnode.handler;

import io.idnode.protocol.Message;
import io.idnode.store.StoreException;
import java.util.Objects;

/**
 * Answers 2 (ERROR, handle-protocol.md §3.2) when the record store fails under the links after it, so that
 * the client tries another server: a {@link StoreException} names the store and the operation and is no bug
 * of the node, so it is answered quietly. Any other exception is a fault and goes on to the edge, which logs
 * it. It stands after the session link, so that the reply in a session is sealed like any other. Thread-safe.
 */
public final class StoreFaultLink implements RequestHandler {
    private final Replies replies;
    private final RequestHandler next;

    /** Answers the store failures of {@code next} with 2. */
    public StoreFaultLink(Replies replies, RequestHandler next) {
        this.replies = Objects.requireNonNull(replies, "replies");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        try {
            next.handle(request, context, out);
        } catch (StoreException e) {
            out.reply(replies.internalError(request), null);
        }
    }
}
