package io.idnode.client.internal;

import io.idnode.codec.EnvelopeLayout;
import io.netty.buffer.ByteBuf;

/** The envelope fields a reply is matched and reassembled by, read in place (handle-protocol.md §1.1). */
final class FrameFields {
    static final int REQUEST_ID_OFFSET = EnvelopeLayout.REQUEST_ID;
    static final int MESSAGE_ID_OFFSET = EnvelopeLayout.MESSAGE_ID;
    static final int MESSAGE_LENGTH_OFFSET = EnvelopeLayout.MESSAGE_LENGTH;

    private FrameFields() {
    }

    static int requestId(ByteBuf frame) {
        return frame.getInt(frame.readerIndex() + REQUEST_ID_OFFSET);
    }

    static void setRequestId(ByteBuf frame, int requestId) {
        frame.setInt(frame.readerIndex() + REQUEST_ID_OFFSET, requestId);
    }

    static int messageId(ByteBuf frame) {
        return frame.getInt(frame.readerIndex() + MESSAGE_ID_OFFSET);
    }

    static int messageLength(ByteBuf frame) {
        return frame.getInt(frame.readerIndex() + MESSAGE_LENGTH_OFFSET);
    }
}
