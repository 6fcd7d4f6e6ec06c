package io.idnode.bench;

import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.handler.ReplyCollector;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/** Checks made at setup so that a benchmark never measures a path that answers with an error. */
final class BenchChecks {
    private BenchChecks() {
    }

    /** Fails unless {@code request} resolves to a successful reply with values. */
    static void expectResolved(MessageCodec codec, RequestChain chain, byte[] request, ByteBufAllocator alloc) {
        Message answered = ReplyCollector.single(chain.answer(decode(codec, request)).join());
        ByteBuf out = chain.encoder().encode(answered, alloc);
        Message reply;
        try {
            reply = decode(codec, ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
        if (!reply.responseCode().equals(ResponseCode.SUCCESS)
                || !(reply.body() instanceof ResolutionResponse r) || r.values().isEmpty()) {
            throw new IllegalStateException("benchmark request was answered with " + reply.responseCode() + ": "
                    + reply.body());
        }
    }

    static Message decode(MessageCodec codec, byte[] frame) {
        try {
            return codec.decode(frame);
        } catch (CodecException e) {
            throw new IllegalStateException("benchmark frame does not decode: " + e.getMessage(), e);
        }
    }
}
