package io.idnode.fuzz;

import java.util.Arrays;

/**
 * A fuzzer's input read as a script: bytes, 16-bit lengths and chunks, taken from the front until none are
 * left. Reading past the end gives zeros and short chunks, never an exception, so that every input is a
 * valid script and the fuzzer's mutations all reach the code under test.
 */
final class FuzzInput {
    private final byte[] data;
    private int position;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    /** True while unread bytes remain. */
    boolean hasMore() {
        return position < data.length;
    }

    /** The next byte, unsigned (0 at the end). */
    int u8() {
        return hasMore() ? data[position++] & 0xFF : 0;
    }

    /** The next two bytes as a big-endian unsigned number. */
    int u16() {
        return (u8() << 8) | u8();
    }

    /** The next {@code length} bytes, or as many as remain. */
    byte[] bytes(int length) {
        int n = Math.min(length, data.length - position);
        byte[] out = Arrays.copyOfRange(data, position, position + n);
        position += n;
        return out;
    }

    /** A chunk announced by a 16-bit length before it. */
    byte[] chunk() {
        return bytes(u16());
    }

    /** Everything not read yet. */
    byte[] rest() {
        return bytes(data.length - position);
    }

    /** {@code chunk} as it is written into a script: its 16-bit length, then its bytes. */
    static byte[] chunkOf(byte[] chunk) {
        if (chunk.length > 0xFFFF) {
            throw new IllegalArgumentException("a chunk holds at most 65535 bytes, got " + chunk.length);
        }
        byte[] out = new byte[2 + chunk.length];
        out[0] = (byte) (chunk.length >>> 8);
        out[1] = (byte) chunk.length;
        System.arraycopy(chunk, 0, out, 2, chunk.length);
        return out;
    }
}
