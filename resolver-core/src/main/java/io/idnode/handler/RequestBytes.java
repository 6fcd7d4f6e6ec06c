package io.idnode.handler;

import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The header and body bytes of a request (handle-protocol.md §2.3, §2.4), over which request digests and
 * MACs are computed: the bytes as received for a decoded request, the codec's encoding for a request built
 * in memory (an HTTP front end, a test, a node asking another), so that such requests can be challenged too.
 */
public final class RequestBytes {
    private RequestBytes() {
    }

    /** The exact header and body bytes of {@code request}; a copy of them as received, else their encoding. */
    public static byte[] headerAndBody(Message request) {
        Bytes received = request.headerAndBody();
        if (received != null) {
            return received.toByteArray();
        }
        ByteBuf out = Unpooled.buffer(256);
        try {
            MessageCodec.DEFAULT.encodeHeaderAndBody(request, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
