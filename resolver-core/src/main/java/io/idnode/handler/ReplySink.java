package io.idnode.handler;

import io.idnode.protocol.Message;

/**
 * Where the chain's replies to one request go: the transport's edge, which encodes each reply once
 * ({@link ReplyEncoder}), or a {@link ReplyCollector} for callers that want the messages themselves.
 * Replies arrive in order, possibly from another thread than the request's.
 */
public interface ReplySink {

    /**
     * One reply; {@code seal} says how to seal it inside a session (handle-protocol.md §6.5), null outside
     * one. The last reply to a request is the first without CN (§1.4).
     */
    void reply(Message reply, SessionSeal seal);

    /**
     * Answering {@code request} failed with something that is no protocol outcome (a bug, a broken
     * dependency): no further reply comes from the chain. The edge logs {@code cause} with its stack trace
     * and answers 2 ({@link Replies#internalError}).
     */
    void fault(Message request, Throwable cause);
}
