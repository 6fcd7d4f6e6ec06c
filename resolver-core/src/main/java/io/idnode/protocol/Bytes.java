package io.idnode.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable run of bytes with value equality, for the byte fields a message carries on every request
 * (its header and body bytes, a credential's signature, an encrypted body). The decoder fills them with views
 * of the received frame, not copies: a frame handed to the decoder is never modified afterwards. Anything
 * else goes in through {@link #copyOf}, or through {@link #wrap} when its maker hands the array over.
 */
public final class Bytes {
    /** No bytes. */
    public static final Bytes EMPTY = new Bytes(new byte[0], 0, 0);

    private static final int SHOWN = 32;

    private final byte[] array;
    private final int offset;
    private final int length;

    private Bytes(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** A copy of {@code bytes}. */
    public static Bytes copyOf(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone(), 0, bytes.length);
    }

    /** {@code bytes} itself, not copied: for an array its maker hands over and never modifies again. */
    public static Bytes wrap(byte[] bytes) {
        return wrap(bytes, 0, bytes.length);
    }

    /**
     * A view of {@code bytes[offset, offset + length)}, not a copy: for a region nobody modifies again, such as
     * part of a frame handed to the decoder.
     */
    public static Bytes wrap(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return new Bytes(bytes, offset, length);
    }

    /** Receives a run of bytes in place: {@code array[offset, offset + length)}, to be read, not kept or changed. */
    @FunctionalInterface
    public interface Reader {
        /** Reads {@code array[offset, offset + length)}. */
        void read(byte[] array, int offset, int length);
    }

    /**
     * Hands these bytes to {@code reader} where they lie, without a copy: for engines fed on the hot path (a
     * session MAC over a request's header and body, handle-protocol.md §2.3).
     */
    public void readInPlace(Reader reader) {
        reader.read(array, offset, length);
    }

    /** Number of bytes. */
    public int length() {
        return length;
    }

    /** True if there are no bytes. */
    public boolean isEmpty() {
        return length == 0;
    }

    /** The byte at {@code index}. */
    public byte byteAt(int index) {
        Objects.checkIndex(index, length);
        return array[offset + index];
    }

    /** The bytes in a new array. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** Copies the bytes into {@code destination} at {@code at}. */
    public void copyTo(byte[] destination, int at) {
        System.arraycopy(array, offset, destination, at, length);
    }

    /** Writes the bytes to {@code out}, with no copy on the way. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(array, offset, length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(array, offset, offset + length, b.array, b.offset,
                b.offset + b.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    /** Hex of the first 32 bytes, and the length when there are more. */
    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(array, offset, offset + Math.min(length, SHOWN));
        return length <= SHOWN ? hex : hex + "... (" + length + " bytes)";
    }
}
