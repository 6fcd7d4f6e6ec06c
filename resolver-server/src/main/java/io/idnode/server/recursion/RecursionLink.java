package io.idnode.server.recursion;

import io.idnode.handler.Replies;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.model.ServedPrefixes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.ratelimit.RateTable;
import io.idnode.server.ratelimit.SourceLimits;
import java.util.Objects;

/**
 * The link of a recursive node (README "The tree of nodes"): a resolution of a handle this node does not hold is
 * answered by its {@link Recursor} in one round trip, from the answers it keeps when it has one; every other
 * request, and resolutions of what this node holds, go on unchanged. A resolution the node must ask other nodes
 * about is counted against its source network's recursion budget (a {@link RateTable} under the node's
 * {@link SourceLimits}), so that nobody can use the node to flood other nodes; above it the answer is 3. Never
 * blocks: the answer comes later, from the thread of the reply that completes it. Thread-safe.
 */
public final class RecursionLink implements RequestHandler {
    private final Recursor recursor;
    private final ServedPrefixes prefixes;
    private final Replies replies;
    private final SourceLimits limits;
    private final RateTable budget;
    private final RequestHandler next;

    /**
     * Recursion by {@code recursor} for handles outside {@code prefixes}, its misses within {@code budget} per
     * source network of {@code limits}; everything else goes to {@code next}.
     */
    public RecursionLink(Recursor recursor, ServedPrefixes prefixes, Replies replies, SourceLimits limits,
            RateTable budget, RequestHandler next) {
        this.recursor = Objects.requireNonNull(recursor, "recursor");
        this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public void handle(Message request, RequestContext context, ReplySink out) {
        if (!(request.body() instanceof ResolutionRequest req) || !request.opCode().equals(OpCode.RESOLUTION)
                || req.handle().isEmpty() || prefixes.holds(req.handle())) {
            next.handle(request, context, out);
            return;
        }
        Recursor.Answer known = recursor.cached(request, req);
        if (known != null) {
            out.reply(reply(request, req, known), null);
            return;
        }
        if (!limits.admit(budget, context.source(), SourceLimits.Refusal.RECURSION_BUDGET)) {
            out.reply(replies.error(request, ResponseCode.SERVER_TOO_BUSY,
                    "recursion budget of this source spent, try again later"), null);
            return;
        }
        recursor.resolve(request, req).whenComplete((answer, err) -> {
            if (err != null) {
                out.fault(request, err);
            } else {
                out.reply(reply(request, req, answer), null);
            }
        });
    }

    private Message reply(Message request, ResolutionRequest req, Recursor.Answer answer) {
        if (answer.code().equals(ResponseCode.SUCCESS)) {
            return replies.reply(request, ResponseCode.SUCCESS, new ResolutionResponse(req.handle(),
                    answer.values()));
        }
        return replies.error(request, answer.code(), answer.message());
    }
}
