package io.idnode.loadgen;

import io.idnode.codec.MessageCodec;
import java.time.Instant;

/**
 * Request frames built once with our codec and reused with a new requestId (handle-protocol.md §1.1, §4.1).
 */
public final class Requests {
    private Requests() {
    }

    /**
     * A whole resolution request frame (envelope + message, no credential) for all values of {@code handle}, as a
     * stock client sends it: no site, expiring 12 hours from now.
     */
    public static byte[] resolution(String handle, int requestId, int opFlags) {
        return MessageCodec.DEFAULT.encode(io.idnode.protocol.Requests.madeAt(Instant.now()).withRequestId(requestId)
                .withFlags(opFlags).resolution(handle));
    }
}
