package io.idnode.handler;

import io.idnode.protocol.Message;
import io.idnode.protocol.ResponseCode;
import java.util.Objects;

/**
 * The end of the chain: a request no link answered is an operation this node does not support (5,
 * handle-protocol.md §3.2), or an operation with a body it cannot have. Thread-safe.
 */
public final class UnsupportedLink implements RequestHandler {
    private final Replies replies;

    /** The end of a chain whose replies {@code replies} builds. */
    public UnsupportedLink(Replies replies) {
        this.replies = Objects.requireNonNull(replies, "replies");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        out.reply(replies.error(request, ResponseCode.OPERATION_NOT_SUPPORTED, "operation " + request.opCode()
                + " is not supported"), null);
    }
}
