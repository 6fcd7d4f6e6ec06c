package io.idnode.handler;

import io.idnode.protocol.Message;
import io.idnode.protocol.OpCode;

/**
 * One link of the request chain (handle-protocol.md §9): it answers the requests it knows and hands every
 * other one to the next link. Replies go to a {@link ReplySink}, possibly later and from another thread.
 * Protocol outcomes are replies with their response code (§3.2); an exception is a fault, which the edge
 * logs and answers with 2. Implementations are thread-safe.
 */
public interface RequestHandler {

    /**
     * Answers {@code request}, or passes it on, handing each reply to {@code out} in order: one reply, or
     * for a listing one per page, all but the last with CN (§1.4).
     */
    void handle(Message request, RequestContext context, ReplySink out);

    /**
     * True if this link may block its thread while answering a request with operation {@code op} (synced
     * store writes, signature checks, key agreement, PBKDF2), so that transports run such requests off their
     * I/O threads. {@code op} is null for an encrypted request whose operation is not known yet. The chain
     * asks ahead of time, once per operation, so the answer depends on the operation alone.
     */
    default boolean mayBlock(OpCode op) {
        return false;
    }
}
