package io.idnode.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writers for the Handle wire primitives (big-endian, u32-length-prefixed {@code bytes}/{@code str},
 * u32-counted lists) onto a Netty {@link ByteBuf}, which grows as needed.
 */
public final class WireWriter {
    private WireWriter() {
    }

    /** Writes {@code bytes}: u32 length + data; {@code null} is written as length 0. */
    public static void bytes(ByteBuf out, byte[] b) {
        if (b == null) {
            out.writeInt(0);
        } else {
            out.writeInt(b.length);
            out.writeBytes(b);
        }
    }

    /** Writes {@code str}: UTF-8 with a u32 length; {@code null} is written as length 0. */
    public static void str(ByteBuf out, String s) {
        if (s == null || s.isEmpty()) {
            out.writeInt(0);
            return;
        }
        int lenIndex = out.writerIndex();
        out.writeInt(0);
        int n = ByteBufUtil.writeUtf8(out, s);
        out.setInt(lenIndex, n);
    }

    /** Writes {@code list<i32>}. */
    public static void intList(ByteBuf out, int[] values) {
        if (values == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    /** Writes {@code list<str>}. */
    public static void strList(ByteBuf out, List<String> values) {
        if (values == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(values.size());
        for (String v : values) {
            str(out, v);
        }
    }

    /** Number of bytes {@link #str} writes for {@code s}. */
    public static int strSize(String s) {
        return 4 + (s == null ? 0 : ByteBufUtil.utf8Bytes(s));
    }

    /** UTF-8 bytes of {@code s} (empty for {@code null}). */
    public static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
