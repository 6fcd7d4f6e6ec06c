package io.idnode.codec.netty;

import io.idnode.budget.MemoryBudget;
import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.HeaderLayout;
import io.idnode.codec.Limits;
import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 *
 * <p>On a server, the bytes it buffers while a frame is incomplete (what the connection's buffer actually
 * holds, never the length a frame announces) are charged to a {@link MemoryBudget} shared by every
 * connection: when it is spent, the frame fails with 3 (server too busy) and the connection should be
 * closed. A complete frame read in one go is never charged. The next handler can also {@link #hold} the
 * stream (with auto-read off, so nothing more is read): frames already received stay buffered, and charged,
 * until {@link #resume}.
 */
public final class HandleFrameDecoder extends ByteToMessageDecoder {
    private final int maxMessageLength;
    private final MemoryBudget budget;
    private ChannelHandlerContext ctx;
    private int frameLength = -1;
    private int sessionId;
    private int requestId;
    private long charged;
    private boolean held;
    private boolean failed;

    /** A decoder accepting messages up to {@link Limits#MAX_MESSAGE_LENGTH}, without a budget (a client's). */
    public HandleFrameDecoder() {
        this(Limits.MAX_MESSAGE_LENGTH);
    }

    /** A decoder accepting messages up to {@code maxMessageLength} (at most {@link Limits#MAX_MESSAGE_LENGTH}). */
    public HandleFrameDecoder(int maxMessageLength) {
        this(maxMessageLength, null);
    }

    /**
     * A decoder accepting messages up to {@code maxMessageLength}, charging incomplete frames to
     * {@code budget} (null: not accounted).
     */
    public HandleFrameDecoder(int maxMessageLength, MemoryBudget budget) {
        if (maxMessageLength < HeaderLayout.LENGTH || maxMessageLength > Limits.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("maxMessageLength must be within " + HeaderLayout.LENGTH + ".."
                    + Limits.MAX_MESSAGE_LENGTH + ", got " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
        this.budget = budget;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    /** Stops emitting frames: what arrives stays buffered until {@link #resume}. Call on the event loop. */
    public void hold() {
        held = true;
    }

    /** Emits the frames buffered while held, then goes on as usual. Call on the event loop, not from a read. */
    public void resume() {
        held = false;
        if (ctx == null || !internalBuffer().isReadable()) {
            return;
        }
        try {
            // The buffered bytes go through the decoder as if just read, then the batch ends as a read's does.
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    /** Bytes received and not yet emitted: an incomplete frame, or frames held back. */
    public int bufferedBytes() {
        return actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (held) {
            charge(in);
            return;
        }
        if (frameLength < 0) {
            if (in.readableBytes() < EnvelopeLayout.LENGTH) {
                charge(in);
                return;
            }
            byte[] envelopeBytes = new byte[EnvelopeLayout.LENGTH];
            in.getBytes(in.readerIndex(), envelopeBytes);
            sessionId = readInt(envelopeBytes, EnvelopeLayout.SESSION_ID);
            requestId = readInt(envelopeBytes, EnvelopeLayout.REQUEST_ID);
            frameLength = EnvelopeLayout.LENGTH + checkedLength(envelopeBytes, in);
        }
        if (in.readableBytes() < frameLength) {
            charge(in);
            return;
        }
        byte[] frame = new byte[frameLength];
        in.readBytes(frame);
        frameLength = -1;
        sessionId = 0;
        requestId = 0;
        out.add(frame);
        if (!in.isReadable()) {
            uncharge(); // the decoder lets go of its buffer after this read
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        uncharge();
    }

    /** Charges what the buffer holding an incomplete frame takes up; fails the frame with 3 if it does not fit. */
    private void charge(ByteBuf in) {
        long needed = in.capacity();
        if (budget == null || needed <= charged) {
            return;
        }
        if (budget.tryReserve(needed - charged)) {
            charged = needed;
            return;
        }
        fail(new CodecException(ResponseCode.SERVER_TOO_BUSY, "server too busy: " + budget.name()
                + " spent by frames in progress"), in);
    }

    private void uncharge() {
        if (charged != 0) {
            budget.release(charged);
            charged = 0;
        }
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
        throw fail(failure, in);
    }

    private HandleFrameException fail(CodecException failure, ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
        uncharge();
        throw new HandleFrameException(failure, sessionId, requestId);
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
