package io.idnode.handler;

import io.idnode.protocol.Message;
import io.idnode.protocol.OpFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers the replies to one request as messages, for callers that want them rather than bytes (an HTTP
 * front end, tests, a node asking itself): complete when the last reply has come, the first without CN
 * (handle-protocol.md §1.4), or failed with the fault. Session seals are not kept: messages are not encoded
 * here. Thread-safe.
 */
public final class ReplyCollector implements ReplySink {
    private final List<Message> replies = new ArrayList<>(1);
    private final CompletableFuture<List<Message>> done = new CompletableFuture<>();

    @Override
    public synchronized void reply(Message reply, SessionSeal seal) {
        replies.add(reply);
        if (!reply.hasFlag(OpFlags.CONTINUOUS)) {
            done.complete(List.copyOf(replies));
        }
    }

    @Override
    public void fault(Message request, Throwable cause) {
        done.completeExceptionally(cause);
    }

    /** The replies in order, once the last has come. */
    public CompletableFuture<List<Message>> replies() {
        return done;
    }

    /**
     * The reply of a request that has exactly one (anything but a listing in pages).
     *
     * @throws IllegalStateException if there are several replies or none
     */
    public static Message single(List<Message> replies) {
        if (replies.size() != 1) {
            throw new IllegalStateException(replies.size() + " replies where one was expected");
        }
        return replies.get(0);
    }
}
