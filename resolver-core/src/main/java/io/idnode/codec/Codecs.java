package io.idnode.codec;

import io.netty.buffer.ByteBuf;

/** Small helpers shared by the codecs of this package. */
final class Codecs {
    private Codecs() {
    }

    /** The readable bytes of {@code buf} as a new array (the buffer's indexes are not moved). */
    static byte[] toArray(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    /** The big-endian i32 at {@code b[at]}; the caller has checked that four bytes are there. */
    static int getInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    /** The big-endian u16 at {@code b[at]}; the caller has checked that two bytes are there. */
    static int getU16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    /** The big-endian i32 at the reader's position, without consuming it; -1 if fewer than 4 bytes remain. */
    static long peekU32(WireReader r) {
        if (r.remaining() < 4) {
            return -1;
        }
        byte[] b = r.array();
        int p = r.position();
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    /** The byte at the reader's position without consuming it; -1 at the end. */
    static int peekU8(WireReader r) {
        return r.hasRemaining() ? r.array()[r.position()] & 0xFF : -1;
    }
}
