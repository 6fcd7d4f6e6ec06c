package io.idnode.bench;

import io.idnode.handler.ReplyEncoder;
import io.idnode.handler.ReplySink;
import io.idnode.handler.SessionSeal;
import io.idnode.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The edge of a benchmark's request chain: encodes each reply once, as a transport does, then releases it,
 * keeping the length of the last one. Bound once per benchmark, so a measured request allocates no sink.
 */
final class EncodedReplies implements ReplySink {
    private final ReplyEncoder encoder;
    private final ByteBufAllocator alloc;
    private int lastLength;

    EncodedReplies(ReplyEncoder encoder, ByteBufAllocator alloc) {
        this.encoder = encoder;
        this.alloc = alloc;
    }

    @Override
    public void reply(Message reply, SessionSeal seal) {
        ByteBuf out = encoder.encode(reply, seal, alloc);
        try {
            lastLength = out.readableBytes();
        } finally {
            out.release();
        }
    }

    @Override
    public void fault(Message request, Throwable cause) {
        throw new IllegalStateException("the chain failed on a benchmark request", cause);
    }

    /** Bytes of the last reply encoded. */
    int lastLength() {
        return lastLength;
    }
}
