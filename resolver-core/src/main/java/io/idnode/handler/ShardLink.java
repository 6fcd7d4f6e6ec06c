package io.idnode.handler;

import io.idnode.model.Handles;
import io.idnode.model.SiteInfo;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import java.util.Objects;

/**
 * The refusal of a server of a multi-server site (handle-protocol.md §7.2): a resolution or an administrative
 * request for a handle that the site's hash gives to another of its servers is answered 301
 * (SERVER_NOT_RESPONSIBLE, §3.2), as the stock server answers it, and changes nothing. Prefix handles
 * ({@code 0.NA/...}) pass: every server of the site keeps the prefix records, which it needs to check
 * administrators. Listings pass too: each server lists the handles it holds. Thread-safe.
 */
public final class ShardLink implements RequestHandler {
    private final int position;
    private final Replies replies;
    private final RequestHandler next;

    /**
     * Refuses the handles that the site of {@code replies}' node identity hashes to a server other than the one at
     * {@code position} in its server list (0-based), passing the rest to {@code next}.
     */
    public ShardLink(int position, Replies replies, RequestHandler next) {
        this.replies = Objects.requireNonNull(replies, "replies");
        this.next = Objects.requireNonNull(next, "next");
        int servers = replies.identity().site().servers().size();
        if (position < 0 || position >= servers) {
            throw new IllegalArgumentException("server position " + position + " is not in a site of " + servers
                    + " servers");
        }
        this.position = position;
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        String handle = handle(request);
        if (handle != null && !Handles.isPrefixHandle(handle)) {
            SiteInfo site = replies.identity().site();
            int owner = site.serverIndexFor(handle);
            if (owner != position) {
                out.reply(replies.error(request, ResponseCode.SERVER_NOT_RESPONSIBLE, handle + " is held by server "
                        + site.servers().get(owner).serverId() + " of this site, not by this one (server "
                        + site.servers().get(position).serverId() + ")"), null);
                return;
            }
        }
        next.handle(request, context, out);
    }

    /** The handle a resolution or an administrative request names, or null for any other request. */
    private static String handle(Message request) {
        MessageBody body = request.body();
        if (body instanceof MessageBody.ResolutionRequest r) {
            return r.handle();
        }
        if (body instanceof MessageBody.ValuesRequest v) {
            return v.handle();
        }
        if (body instanceof MessageBody.RemoveValuesRequest r) {
            return r.handle();
        }
        if (body instanceof MessageBody.HandleRequest h && request.header() != null
                && request.opCode().equals(OpCode.DELETE_HANDLE)) {
            return h.handle();
        }
        return null;
    }
}
