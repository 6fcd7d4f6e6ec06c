package io.idnode.handler;

import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.SiteInfoResponse;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import java.util.Objects;

/** Answers GET_SITE_INFO with the node's own site description (handle-protocol.md §3.1, §5.3). Thread-safe. */
public final class SiteInfoLink implements RequestHandler {
    private final Replies replies;
    private final RequestHandler next;

    /** Answers with the site of {@code replies}' node identity, passing the rest to {@code next}. */
    public SiteInfoLink(Replies replies, RequestHandler next) {
        this.replies = Objects.requireNonNull(replies, "replies");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        if (request.body() instanceof HandleRequest && request.opCode().equals(OpCode.GET_SITE_INFO)) {
            out.reply(replies.reply(request, ResponseCode.SUCCESS, new SiteInfoResponse(replies.identity().site())),
                    null);
        } else {
            next.handle(request, context, out);
        }
    }
}
