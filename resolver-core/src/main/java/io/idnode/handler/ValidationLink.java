package io.idnode.handler;

import io.idnode.protocol.Message;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.ResponseCode;
import java.util.Objects;

/**
 * Header validation, before anything reads the request's body (handle-protocol.md §2.1, §3.2): a message
 * still encrypted here came outside a live session, so it is answered 5 (not supported); a request must
 * carry response code 0, else it is answered 4. Everything else goes on. Thread-safe.
 */
public final class ValidationLink implements RequestHandler {
    private final Replies replies;
    private final RequestHandler next;

    /** Validates headers before {@code next}. */
    public ValidationLink(Replies replies, RequestHandler next) {
        this.replies = Objects.requireNonNull(replies, "replies");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        MessageHeader h = request.header();
        if (h == null) {
            out.reply(replies.error(request, ResponseCode.OPERATION_NOT_SUPPORTED, "encrypted messages need a session"),
                    null);
        } else if (h.responseCode().code() != 0) {
            out.reply(replies.error(request, ResponseCode.PROTOCOL_ERROR, "a request must carry response code 0"),
                    null);
        } else {
            next.handle(request, context, out);
        }
    }
}
