package io.idnode.handler;

import io.idnode.codec.MessageCodec;
import io.idnode.crypto.MessageSigner;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpFlags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes replies once, onto a buffer from the caller's allocator: unsigned replies straight through the
 * codec; replies to certified requests (CT, handle-protocol.md §2.3) signed over their exact header and
 * body bytes with the node's key. Thread-safe.
 */
public final class ReplyEncoder {
    private final MessageCodec codec;
    private final MessageSigner signer;

    public ReplyEncoder(MessageCodec codec, MessageSigner signer) {
        this.codec = codec;
        this.signer = signer;
    }

    /** Envelope + message of {@code reply}, signed if its header has CT; the caller releases the buffer. */
    public ByteBuf encode(Message reply, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(256);
        try {
            if (!reply.hasFlag(OpFlags.CERTIFY) || reply.credential() != null) {
                codec.encode(reply, out);
                return out;
            }
            ByteBuf headerAndBody = alloc.heapBuffer(256);
            try {
                codec.encodeHeaderAndBody(reply, headerAndBody);
                Credential credential = signer.sign(reply.envelope(), 0, ByteBufUtil.getBytes(headerAndBody));
                codec.encodeFrame(reply.envelope(), headerAndBody, credential, out);
            } finally {
                headerAndBody.release();
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
