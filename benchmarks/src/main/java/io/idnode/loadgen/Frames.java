package io.idnode.loadgen;

import io.idnode.codec.EnvelopeLayout;
import io.netty.buffer.ByteBuf;

/** Reads the envelope and header fields a reply is matched and counted by (handle-protocol.md §1.1, §2.1). */
final class Frames {
    private Frames() {
    }

    /** Hands a reply frame or datagram in {@code b} (its readable bytes) to {@code lane}; too short ones are dropped. */
    static void deliver(ByteBuf b, Lane lane) {
        int start = b.readerIndex();
        int length = b.readableBytes();
        if (length < EnvelopeLayout.LENGTH) {
            return;
        }
        int messageId = b.getInt(start + Requests.MESSAGE_ID_OFFSET);
        int code = messageId == 0 && length >= Requests.RESPONSE_CODE_OFFSET + 4
                ? b.getInt(start + Requests.RESPONSE_CODE_OFFSET) : -1;
        lane.received(b.getInt(start + Requests.REQUEST_ID_OFFSET), messageId,
                b.getInt(start + Requests.MESSAGE_LENGTH_OFFSET), length - EnvelopeLayout.LENGTH, code);
    }
}
