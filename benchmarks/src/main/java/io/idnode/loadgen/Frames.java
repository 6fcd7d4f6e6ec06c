package io.idnode.loadgen;

import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.HeaderLayout;
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
        int messageId = b.getInt(start + EnvelopeLayout.MESSAGE_ID);
        int responseCode = EnvelopeLayout.LENGTH + HeaderLayout.RESPONSE_CODE;
        int code = messageId == 0 && length >= responseCode + 4 ? b.getInt(start + responseCode) : -1;
        lane.received(b.getInt(start + EnvelopeLayout.REQUEST_ID), messageId,
                b.getInt(start + EnvelopeLayout.MESSAGE_LENGTH), length - EnvelopeLayout.LENGTH, code);
    }
}
