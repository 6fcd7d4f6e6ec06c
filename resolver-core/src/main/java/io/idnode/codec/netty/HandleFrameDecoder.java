package io.idnode.codec.netty;

import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.HeaderLayout;
import io.idnode.codec.Limits;
import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a TCP (or HTTP body) byte stream into Handle frames (handle-protocol.md §1.4): a 20-byte envelope,
 * then {@code messageLength} bytes. The envelope is validated (version 2, length within the limit) before
 * any message byte is awaited or buffered. Emits each frame — envelope and message — as a {@code byte[]}
 * so that the next handler can decrypt (EC) or decode it with {@link MessageCodec} and answer a malformed
 * message with the request's ids. A bad envelope fires a {@link HandleFrameException} and makes the decoder
 * discard all further input, so the connection should be answered with rc 4 and closed. Not sharable.
 */
public final class HandleFrameDecoder extends ByteToMessageDecoder {
    private final int maxMessageLength;
    private int frameLength = -1;
    private boolean failed;

    /** A decoder accepting messages up to {@link Limits#MAX_MESSAGE_LENGTH}. */
    public HandleFrameDecoder() {
        this(Limits.MAX_MESSAGE_LENGTH);
    }

    /** A decoder accepting messages up to {@code maxMessageLength} (at most {@link Limits#MAX_MESSAGE_LENGTH}). */
    public HandleFrameDecoder(int maxMessageLength) {
        if (maxMessageLength < HeaderLayout.LENGTH || maxMessageLength > Limits.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength must be within " + HeaderLayout.LENGTH + ".."
                    + Limits.MAX_MESSAGE_LENGTH + ", got " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (frameLength < 0) {
            if (in.readableBytes() < EnvelopeLayout.LENGTH) {
                return;
            }
            byte[] envelopeBytes = new byte[EnvelopeLayout.LENGTH];
            in.getBytes(in.readerIndex(), envelopeBytes);
            frameLength = EnvelopeLayout.LENGTH + checkedLength(envelopeBytes, in);
        }
        if (in.readableBytes() < frameLength) {
            return;
        }
        byte[] frame = new byte[frameLength];
        in.readBytes(frame);
        frameLength = -1;
        out.add(frame);
    }

    private int checkedLength(byte[] envelopeBytes, ByteBuf in) {
        CodecException failure;
        try {
            Envelope env = MessageCodec.DEFAULT.decodeEnvelope(envelopeBytes, 0);
            if (env.messageLength() <= maxMessageLength) {
                return env.messageLength();
            }
            failure = new CodecException("message length " + env.messageLength() + " exceeds " + maxMessageLength);
        } catch (CodecException e) {
            failure = e;
        }
        failed = true;
        in.skipBytes(in.readableBytes());
        throw new HandleFrameException(failure, readInt(envelopeBytes, EnvelopeLayout.SESSION_ID),
                readInt(envelopeBytes, EnvelopeLayout.REQUEST_ID));
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
