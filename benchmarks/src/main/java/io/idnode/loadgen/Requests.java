package io.idnode.loadgen;

import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;

/**
 * Request frames built once with our codec and reused with a new requestId, and the few fields a load
 * generator reads back from a reply without decoding it (handle-protocol.md §1.1, §2.1).
 */
public final class Requests {
    /** Offset of the requestId in the envelope. */
    public static final int REQUEST_ID_OFFSET = 8;
    /** Offset of the messageId in the envelope. */
    public static final int MESSAGE_ID_OFFSET = 12;
    /** Offset of the messageLength in the envelope. */
    public static final int MESSAGE_LENGTH_OFFSET = 16;
    /** Offset of the responseCode: the second int of the header, right after the envelope. */
    public static final int RESPONSE_CODE_OFFSET = 24;
    /** What the stock client sends as siteInfoSerial without a site (§2.1). */
    private static final int NO_SITE_SERIAL = 0xFFFF;
    /** Requests expire like the stock client's: now + 12 hours (§2.1). */
    private static final int LIFETIME_SECONDS = 43_200;

    private Requests() {
    }

    /** A whole resolution request frame (envelope + message, no credential) for all values of {@code handle}. */
    public static byte[] resolution(String handle, int requestId, int opFlags) {
        long expiration = System.currentTimeMillis() / 1000 + LIFETIME_SECONDS;
        MessageHeader header = new MessageHeader(OpCode.RESOLUTION, ResponseCode.RESERVED, opFlags,
                NO_SITE_SERIAL, 0, expiration);
        return MessageCodec.DEFAULT.encode(Message.of(Envelope.request(0, requestId), header,
                new ResolutionRequest(handle, null, null, null)));
    }

    /** Writes {@code requestId} into the envelope of the frame starting at {@code frame}'s reader index. */
    public static void setRequestId(ByteBuf frame, int requestId) {
        frame.setInt(frame.readerIndex() + REQUEST_ID_OFFSET, requestId);
    }
}
