package io.idnode.codec;

import io.idnode.protocol.ResponseCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked big-endian reader over a region of a byte array. Every length is checked against the
 * bytes remaining and against {@link Limits} before anything is allocated; every failure is a
 * {@link CodecException}. Not thread-safe; cheap to create.
 */
public final class WireReader {
    private static final int[] NO_INTS = new int[0];

    private final byte[] buf;
    private final int end;
    private int pos;

    /** A reader over all of {@code buf}. */
    public WireReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /** A reader over {@code buf[offset, offset + length)}. */
    public WireReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IndexOutOfBoundsException("region " + offset + "+" + length + " of " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    /** Current absolute position in the underlying array. */
    public int position() {
        return pos;
    }

    /** Bytes left before the end of the region. */
    public int remaining() {
        return end - pos;
    }

    /** True if bytes are left before the end of the region. */
    public boolean hasRemaining() {
        return pos < end;
    }

    /** The underlying array (for slicing exact encodings without re-encoding). */
    public byte[] array() {
        return buf;
    }

    private void need(int n, String what) throws CodecException {
        if (n > end - pos) {
            throw new CodecException("truncated " + what + ": need " + n + " bytes, " + (end - pos) + " left");
        }
    }

    /** Reads a {@code u8}; {@code what} names the field in errors. */
    public int u8(String what) throws CodecException {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    /** Reads a big-endian {@code u16}. */
    public int u16(String what) throws CodecException {
        need(2, what);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    /** Reads a big-endian {@code i32}. */
    public int i32(String what) throws CodecException {
        need(4, what);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** Reads a big-endian {@code u32}. */
    public long u32(String what) throws CodecException {
        return i32(what) & 0xFFFF_FFFFL;
    }

    /** Reads a big-endian {@code i64}. */
    public long i64(String what) throws CodecException {
        long hi = u32(what);
        long lo = u32(what);
        return (hi << 32) | lo;
    }

    /** Reads a u32 length or count, rejecting negative values and values above {@code max}. */
    public int length(String what, int max) throws CodecException {
        int n = i32(what);
        if (n < 0 || n > max) {
            throw new CodecException("bad " + what + " length " + (n & 0xFFFF_FFFFL) + " (max " + max + ")");
        }
        return n;
    }

    /** Reads a list count whose items each take at least {@code minItemSize} bytes. */
    public int count(String what, int max, int minItemSize) throws CodecException {
        int n = length(what, max);
        if ((long) n * minItemSize > remaining()) {
            throw new CodecException("truncated " + what + ": " + n + " items cannot fit in " + remaining() + " bytes");
        }
        return n;
    }

    /** Reads exactly {@code n} raw bytes. */
    public byte[] raw(int n, String what) throws CodecException {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** Skips exactly {@code n} bytes. */
    public void skip(int n, String what) throws CodecException {
        need(n, what);
        pos += n;
    }

    /** Reads a {@code bytes} field (u32 length + data) of at most {@link Limits#MAX_FIELD_LENGTH}. */
    public byte[] bytes(String what) throws CodecException {
        int n = length(what, Limits.MAX_FIELD_LENGTH);
        return raw(n, what);
    }

    /** Reads a {@code str} field of at most {@link Limits#MAX_FIELD_LENGTH} bytes as strict UTF-8. */
    public String str(String what) throws CodecException {
        int n = length(what, Limits.MAX_FIELD_LENGTH);
        need(n, what);
        String s = utf8(buf, pos, n, ResponseCode.PROTOCOL_ERROR, what);
        pos += n;
        return s;
    }

    /** Reads a handle: a {@code str} of at most {@link Limits#MAX_HANDLE_LENGTH} bytes; bad UTF-8 is 102. */
    public String handle(String what) throws CodecException {
        int n = length(what, Limits.MAX_HANDLE_LENGTH);
        need(n, what);
        String s = utf8(buf, pos, n, ResponseCode.INVALID_HANDLE, what);
        pos += n;
        return s;
    }

    /** Reads a {@code list<i32>}; an empty list is one shared empty array. */
    public int[] intList(String what) throws CodecException {
        int n = count(what, Limits.MAX_FIELD_LENGTH, 4);
        if (n == 0) {
            return NO_INTS;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i32(what);
        }
        return out;
    }

    /** Reads a {@code list<str>}. */
    public String[] strList(String what) throws CodecException {
        int n = count(what, Limits.MAX_FIELD_LENGTH, 4);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = str(what);
        }
        return out;
    }

    /** Fails unless every byte of the region has been read. */
    public void expectEnd(String what) throws CodecException {
        if (pos != end) {
            throw new CodecException(what + ": " + (end - pos) + " unexpected trailing bytes");
        }
    }

    static String utf8(byte[] b, int off, int len, ResponseCode rc, String what) throws CodecException {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(rc, what + " is not valid UTF-8");
        }
    }
}
