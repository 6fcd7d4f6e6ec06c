package io.idnode.codec;

import io.idnode.protocol.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits an encoded frame into UDP datagrams (handle-protocol.md §1.3): chunk <i>i</i> of the message (492
 * bytes, the last one shorter) travels behind a copy of the envelope whose messageId is <i>i</i>; every
 * envelope keeps the total messageLength. A message of at most 492 bytes is one datagram, unchanged.
 * Stateless.
 */
public final class UdpFragmenter {
    private UdpFragmenter() {
    }

    /** Number of datagrams a message of {@code messageLength} bytes needs. */
    public static int packetCount(int messageLength) {
        return Math.max(1, (messageLength + Limits.UDP_CHUNK - 1) / Limits.UDP_CHUNK);
    }

    /**
     * Fragments {@code frame} (envelope + message, its readable bytes) and hands each datagram to
     * {@code sink} in order; the sink owns (and must release) each buffer. {@code frame} is neither released
     * nor moved. With {@code setTruncated}, TC is set on every datagram when there is more than one (what the
     * client does); without it byte 2 is copied as it is (what the stock server does).
     */
    public static void fragment(ByteBuf frame, ByteBufAllocator alloc, boolean setTruncated, Consumer<ByteBuf> sink) {
        int start = frame.readerIndex();
        int messageLength = frame.readableBytes() - EnvelopeLayout.LENGTH;
        if (messageLength < 0 || frame.getInt(start + EnvelopeLayout.MESSAGE_LENGTH) != messageLength) {
            throw new IllegalArgumentException("not a complete frame: " + frame.readableBytes()
                    + " bytes, envelope announces " + (frame.readableBytes() >= EnvelopeLayout.LENGTH
                            ? frame.getInt(start + EnvelopeLayout.MESSAGE_LENGTH) : -1));
        }
        int packets = packetCount(messageLength);
        if (packets == 1) {
            sink.accept(frame.retainedSlice());
            return;
        }
        int flags = frame.getUnsignedByte(start + EnvelopeLayout.FLAGS);
        if (setTruncated) {
            flags |= Envelope.TRUNCATED;
        }
        for (int i = 0; i < packets; i++) {
            int chunkStart = i * Limits.UDP_CHUNK;
            int chunkLength = Math.min(Limits.UDP_CHUNK, messageLength - chunkStart);
            ByteBuf packet = alloc.buffer(EnvelopeLayout.LENGTH + chunkLength);
            packet.writeBytes(frame, start, EnvelopeLayout.LENGTH);
            packet.setByte(EnvelopeLayout.FLAGS, flags);
            packet.setInt(EnvelopeLayout.MESSAGE_ID, i);
            packet.writeBytes(frame, start + EnvelopeLayout.LENGTH + chunkStart, chunkLength);
            sink.accept(packet);
        }
    }

    /** {@link #fragment(ByteBuf, ByteBufAllocator, boolean, Consumer)} collected into a list the caller owns. */
    public static List<ByteBuf> fragment(ByteBuf frame, ByteBufAllocator alloc, boolean setTruncated) {
        List<ByteBuf> out = new ArrayList<>(packetCount(Math.max(0, frame.readableBytes() - EnvelopeLayout.LENGTH)));
        try {
            fragment(frame, alloc, setTruncated, out::add);
        } catch (RuntimeException | Error e) {
            out.forEach(ByteBuf::release);
            throw e;
        }
        return out;
    }
}
