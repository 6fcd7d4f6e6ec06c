package io.idnode.codec;

import io.idnode.model.HandleValue;
import io.idnode.model.ValueList;
import io.idnode.model.ValueReference;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The encoded handle value (handle-protocol.md §5.1, RFC 3651 §3.1) and the value list of resolution
 * responses, value requests and stored records ({@code u32 count}, then the values back to back, §4.2, §4.4):
 * <pre>
 * i32 index | i32 timestamp | u8 ttlType | i32 ttl | u8 permissions | str type | bytes data |
 * list&lt;{str handle, i32 index}&gt; references
 * </pre>
 * A decoded value keeps the exact bytes it was read from and is written with one copy of them; a value made
 * with {@link HandleValue#builder} is encoded from its fields. Stateless.
 */
public final class ValueCodec {
    private static final int BYTE = 1;
    private static final int INT = 4;
    /** index, timestamp, ttlType, ttl, permissions. */
    private static final int FIXED_FIELDS_SIZE = INT + INT + BYTE + INT + BYTE;
    /** Smallest encoded value: the fixed fields, then the length words of an empty type, empty data and no references. */
    public static final int MIN_SIZE = FIXED_FIELDS_SIZE + INT + INT + INT;
    /** Smallest encoded reference: an empty handle and the index. */
    private static final int MIN_REFERENCE_SIZE = INT + INT;
    /** The list's count word. */
    private static final int COUNT_SIZE = INT;

    private ValueCodec() {
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes exactly one value from {@code encoding}, which must hold nothing else; the value keeps a copy. */
    public static HandleValue decode(byte[] encoding) throws CodecException {
        WireReader r = new WireReader(encoding);
        HandleValue v = read(r, true);
        r.expectEnd("handle value");
        return v;
    }

    /** Reads one value at the reader's position; the value keeps a copy of its exact bytes. */
    public static HandleValue read(WireReader r) throws CodecException {
        return read(r, true);
    }

    /** Reads a value list ({@code u32 count} + values) at the reader's position; each value keeps a copy. */
    public static List<HandleValue> readList(WireReader r) throws CodecException {
        int n = r.count("values", Limits.MAX_VALUE_COUNT, MIN_SIZE);
        List<HandleValue> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(read(r, true));
        }
        return values;
    }

    /**
     * Decodes a value list from its encoding ({@code u32 count}, then the values), where {@code lengths[i]} is
     * the length of value {@code i} and each value must decode to exactly that many bytes. No byte is copied:
     * the values are views of {@code encoding}, which the list takes over, so it must not be modified afterwards.
     */
    public static ValueList decodeList(byte[] encoding, int[] lengths) throws CodecException {
        long total = COUNT_SIZE;
        for (int n : lengths) {
            total += n;
        }
        int count = encoding.length < COUNT_SIZE ? -1 : ByteBuffer.wrap(encoding).getInt(0);
        if (count != lengths.length || total != encoding.length) {
            throw new CodecException("value list of " + encoding.length + " bytes does not hold " + lengths.length
                    + " values of " + (total - COUNT_SIZE) + " bytes");
        }
        HandleValue[] values = new HandleValue[lengths.length];
        int at = COUNT_SIZE;
        for (int i = 0; i < values.length; i++) {
            try {
                WireReader r = new WireReader(encoding, at, lengths[i]);
                values[i] = read(r, false);
                r.expectEnd("handle value");
            } catch (CodecException e) {
                throw new CodecException("value #" + i + " does not decode (" + e.getMessage() + ")");
            }
            at += lengths[i];
        }
        return ValueList.decoded(values, encoding);
    }

    /**
     * Reads one value; with {@code copy} it keeps a copy of its bytes, else a share of the reader's array, which
     * must then never be modified.
     */
    private static HandleValue read(WireReader r, boolean copy) throws CodecException {
        int start = r.position();
        int index = r.i32("value index");
        int timestamp = r.i32("value timestamp");
        int ttlType = r.u8("value ttlType");
        int ttl = r.i32("value ttl");
        int permissions = r.u8("value permissions");
        String type = r.str("value type");
        int dataLength = r.length("value data", Limits.MAX_FIELD_LENGTH);
        int dataStart = r.position();
        r.skip(dataLength, "value data");
        List<ValueReference> references = readReferences(r);
        int length = r.position() - start;
        if (!copy) {
            return HandleValue.decoded(r.array(), start, length, index, timestamp, ttlType, ttl, permissions, type,
                    dataStart, dataLength, references);
        }
        byte[] own = Arrays.copyOfRange(r.array(), start, start + length);
        return HandleValue.decoded(own, 0, length, index, timestamp, ttlType, ttl, permissions, type,
                dataStart - start, dataLength, references);
    }

    private static List<ValueReference> readReferences(WireReader r) throws CodecException {
        int n = r.count("value references", Limits.MAX_FIELD_LENGTH, MIN_REFERENCE_SIZE);
        if (n == 0) {
            return List.of();
        }
        ValueReference[] refs = new ValueReference[n];
        for (int i = 0; i < n; i++) {
            refs[i] = new ValueReference(r.str("reference handle"), r.i32("reference index"));
        }
        return List.of(refs);
    }

    // ---------------------------------------------------------------- encoding

    /** The exact encoding of {@code v}: a copy of the bytes it keeps, or its fields encoded. */
    public static byte[] encode(HandleValue v) {
        if (v.hasEncoding()) {
            return Arrays.copyOfRange(v.encodingArray(), v.encodingOffset(), v.encodingOffset() + v.encodingLength());
        }
        return encodeFields(v, v.type().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the encoding of {@code v}: the bytes it keeps, without a copy, or its fields encoded. */
    public static void write(HandleValue v, ByteBuf out) {
        if (v.hasEncoding()) {
            out.writeBytes(v.encodingArray(), v.encodingOffset(), v.encodingLength());
        } else {
            out.writeBytes(encodeFields(v, v.type().getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Writes a value list; a decoded {@link ValueList} (a stored record's values) as one copy of its encoding. */
    public static void writeList(List<HandleValue> values, ByteBuf out) {
        if (values instanceof ValueList list && list.encoding() != null) {
            out.writeBytes(list.encoding());
            return;
        }
        out.writeInt(values.size());
        for (int i = 0, n = values.size(); i < n; i++) {
            write(values.get(i), out);
        }
    }

    /** {@code v} itself if it keeps its encoding, else the same value decoded from its fields' encoding. */
    public static HandleValue encoded(HandleValue v) {
        if (v.hasEncoding()) {
            return v;
        }
        byte[] type = v.type().getBytes(StandardCharsets.UTF_8);
        byte[] encoding = encodeFields(v, type);
        return HandleValue.decoded(encoding, 0, encoding.length, v.index(), v.timestamp(), v.ttlType(), v.ttl(),
                v.permissions(), v.type(), dataOffset(type), v.dataLength(), v.references());
    }

    /**
     * {@code values} as the store hands them out: one list holding its encoding, each value a view of it, so
     * that a resolution of every value is written with one copy. Itself if it is such a list already.
     */
    public static ValueList encodedList(List<HandleValue> values) {
        if (values instanceof ValueList list && list.encoding() != null) {
            return list;
        }
        byte[][] encodings = new byte[values.size()][];
        int[] lengths = new int[encodings.length];
        int total = COUNT_SIZE;
        for (int i = 0; i < encodings.length; i++) {
            encodings[i] = encode(values.get(i));
            lengths[i] = encodings[i].length;
            total += lengths[i];
        }
        ByteBuffer list = ByteBuffer.allocate(total).putInt(encodings.length);
        for (byte[] e : encodings) {
            list.put(e);
        }
        try {
            return decodeList(list.array(), lengths);
        } catch (CodecException e) {
            throw new IllegalStateException("a list just encoded does not decode", e);
        }
    }

    /** Length of the encoding of {@code v}: of the bytes it keeps, or of its fields encoded. */
    public static int encodedLength(HandleValue v) {
        if (v.hasEncoding()) {
            return v.encodingLength();
        }
        long size = FIXED_FIELDS_SIZE + INT + ByteBufUtil.utf8Bytes(v.type()) + INT + v.dataLength() + INT;
        for (ValueReference ref : v.references()) {
            size += INT + ByteBufUtil.utf8Bytes(ref.handle()) + INT;
        }
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    private static int dataOffset(byte[] type) {
        return FIXED_FIELDS_SIZE + INT + type.length + INT;
    }

    private static byte[] encodeFields(HandleValue v, byte[] type) {
        if (type.length > Limits.MAX_FIELD_LENGTH || v.dataLength() > Limits.MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException("value type or data longer than " + Limits.MAX_FIELD_LENGTH);
        }
        ByteBuffer b = ByteBuffer.allocate(encodedLength(v));
        b.putInt(v.index()).putInt(v.timestamp()).put((byte) v.ttlType()).putInt(v.ttl()).put((byte) v.permissions());
        b.putInt(type.length).put(type);
        b.putInt(v.dataLength());
        v.copyDataTo(b.array(), b.position());
        b.position(b.position() + v.dataLength());
        List<ValueReference> references = v.references();
        b.putInt(references.size());
        for (ValueReference ref : references) {
            byte[] handle = ref.handle().getBytes(StandardCharsets.UTF_8);
            b.putInt(handle.length).put(handle).putInt(ref.index());
        }
        return b.array();
    }
}
