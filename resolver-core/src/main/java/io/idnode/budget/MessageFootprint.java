package io.idnode.budget;

import io.idnode.protocol.Bytes;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ValuesRequest;

/**
 * The memory a decoded request holds while it waits (in a queue, or for a challenge answer): the frame it
 * was decoded from (its values and bytes are views of it, handle-protocol.md §1.1), the objects decoded from
 * it, a fixed allowance per value or type in its body, which decode into objects of their own, and the
 * message's own records. An estimate from above, so that a budget in bytes bounds the real heap.
 */
public final class MessageFootprint {
    /** The message's records (envelope, header, body, credential), the 20 envelope bytes and the holder's entry. */
    public static final int MESSAGE_OVERHEAD = 512;
    /** Per value or type of the body: a decoded {@code HandleValue} or {@code String} and its list slot. */
    public static final int ELEMENT_OVERHEAD = 160;

    private MessageFootprint() {
    }

    /** Bytes {@code request} holds: its frame (as received, or as encoded if built here) and its objects. */
    public static long of(Message request) {
        Bytes received = request.headerAndBody();
        long message = Math.max(request.envelope().messageLength(), received == null ? 0 : received.length());
        return MESSAGE_OVERHEAD + message + ELEMENT_OVERHEAD * (long) elements(request.body());
    }

    private static int elements(MessageBody body) {
        if (body instanceof ValuesRequest v) {
            return v.values() == null ? 0 : v.values().size();
        }
        if (body instanceof ResolutionRequest r) {
            return (r.types() == null ? 0 : r.types().size()) + (r.indexes() == null ? 0 : r.indexes().length);
        }
        return 0;
    }
}
