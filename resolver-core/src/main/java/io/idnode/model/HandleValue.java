package io.idnode.model;

import io.idnode.codec.CodecException;
import io.idnode.codec.Limits;
import io.idnode.codec.WireReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One handle value, immutable and held in its wire encoding (handle-protocol.md §5.1, RFC 3651 §3.1), so
 * that a stored record is served without re-encoding. The fields used for filtering and permission checks
 * (index, type, permissions, TTL) are parsed once when the value is created.
 *
 * <pre>
 * i32 index | i32 timestamp | u8 ttlType | i32 ttl | u8 permissions | str type | bytes data |
 * list&lt;{str handle, i32 index}&gt; references
 * </pre>
 */
public final class HandleValue {
    /** ttlType: relative, TTL in seconds. */
    public static final int TTL_RELATIVE = 0;
    /** ttlType: absolute, TTL is the Unix time of expiry. */
    public static final int TTL_ABSOLUTE = 1;
    /** Default TTL (seconds). */
    public static final int DEFAULT_TTL = 86_400;

    /** Permission bit: readable by admins. */
    public static final int ADMIN_READ = 0x08;
    /** Permission bit: writable by admins. */
    public static final int ADMIN_WRITE = 0x04;
    /** Permission bit: readable by anyone. */
    public static final int PUBLIC_READ = 0x02;
    /** Permission bit: writable by anyone. */
    public static final int PUBLIC_WRITE = 0x01;
    /** Default permissions: admin read/write, public read. */
    public static final int DEFAULT_PERMISSIONS = ADMIN_READ | ADMIN_WRITE | PUBLIC_READ;

    private static final int TIMESTAMP_OFFSET = 4;

    // The value's wire bytes are wire[wireStart, wireStart + wireLength): its own array, or a share of the
    // encoded value list of a stored record (ValueList), which is never modified either.
    private final byte[] wire;
    private final int wireStart;
    private final int wireLength;
    private final int index;
    private final int timestamp;
    private final int ttlType;
    private final int ttl;
    private final int permissions;
    private final String type;
    private final int dataOffset;
    private final int dataLength;

    private HandleValue(byte[] wire, int wireStart, int wireLength, int index, int timestamp, int ttlType, int ttl,
            int permissions, String type, int dataOffset, int dataLength) {
        this.wire = wire;
        this.wireStart = wireStart;
        this.wireLength = wireLength;
        this.index = index;
        this.timestamp = timestamp;
        this.ttlType = ttlType;
        this.ttl = ttl;
        this.permissions = permissions;
        this.type = type;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
    }

    /** Decodes exactly one value from {@code wire}, which must hold nothing else. */
    public static HandleValue fromWire(byte[] wire) throws CodecException {
        WireReader r = new WireReader(wire);
        HandleValue v = read(r);
        r.expectEnd("handle value");
        return v;
    }

    /** Reads one value at the reader's position, keeping a copy of its exact bytes. */
    public static HandleValue read(WireReader r) throws CodecException {
        return read(r, true);
    }

    /**
     * Decodes exactly one value from {@code array[offset, offset + length)} without copying it: the value keeps
     * a share of {@code array}, which must never be modified afterwards (a {@link ValueList}'s encoding).
     */
    static HandleValue shared(byte[] array, int offset, int length) throws CodecException {
        WireReader r = new WireReader(array, offset, length);
        HandleValue v = read(r, false);
        r.expectEnd("handle value");
        return v;
    }

    private static HandleValue read(WireReader r, boolean copy) throws CodecException {
        int start = r.position();
        int index = r.i32("value index");
        int timestamp = r.i32("value timestamp");
        int ttlType = r.u8("value ttlType");
        int ttl = r.i32("value ttl");
        int permissions = r.u8("value permissions");
        int typeLen = r.length("value type", Limits.MAX_FIELD_LENGTH);
        int typeStart = r.position();
        r.skip(typeLen, "value type");
        int dataLen = r.length("value data", Limits.MAX_FIELD_LENGTH);
        int dataStart = r.position();
        r.skip(dataLen, "value data");
        int refs = r.count("value references", Limits.MAX_FIELD_LENGTH, 8);
        for (int i = 0; i < refs; i++) {
            int hl = r.length("reference handle", Limits.MAX_FIELD_LENGTH);
            r.skip(hl, "reference handle");
            r.i32("reference index");
        }
        int end = r.position();
        byte[] wire = copy ? Arrays.copyOfRange(r.array(), start, end) : r.array();
        int base = copy ? start : 0; // where the value's first byte was, relative to its place in wire
        // Re-read the type's str field (length word included): strict UTF-8, one decoder.
        String type = new WireReader(wire, typeStart - base - 4, typeLen + 4).str("value type");
        return new HandleValue(wire, start - base, end - start, index, timestamp, ttlType, ttl, permissions, type,
                dataStart - base, dataLen);
    }

    /** A builder with the defaults of §5.1 (relative TTL 86400, permissions 0x0E, no references). */
    public static Builder builder(int index, String type) {
        return new Builder(index, type);
    }

    /** The exact wire encoding. The array must not be modified. */
    public byte[] wireBytes() {
        return wireStart == 0 && wireLength == wire.length ? wire : Arrays.copyOfRange(wire, wireStart,
                wireStart + wireLength);
    }

    /**
     * The array holding the wire encoding at {@link #wireOffset()}, {@link #wireLength()} bytes, for writing it
     * out without a copy. The array must not be modified.
     */
    public byte[] wireArray() {
        return wire;
    }

    /** Where the wire encoding starts in {@link #wireArray()}. */
    public int wireOffset() {
        return wireStart;
    }

    /** Length of the wire encoding. */
    public int wireLength() {
        return wireLength;
    }

    public int index() {
        return index;
    }

    public int timestamp() {
        return timestamp;
    }

    public int ttlType() {
        return ttlType;
    }

    public int ttl() {
        return ttl;
    }

    public int permissions() {
        return permissions;
    }

    public String type() {
        return type;
    }

    public boolean isPublicReadable() {
        return (permissions & PUBLIC_READ) != 0;
    }

    public boolean isAdminReadable() {
        return (permissions & ADMIN_READ) != 0;
    }

    /** A copy of the value's data. */
    public byte[] data() {
        return Arrays.copyOfRange(wire, dataOffset, dataOffset + dataLength);
    }

    /** The data as UTF-8 text (malformed bytes replaced). */
    public String dataAsString() {
        return new String(wire, dataOffset, dataLength, StandardCharsets.UTF_8);
    }

    /** The value's references. */
    public List<ValueReference> references() {
        try {
            int refsStart = dataOffset + dataLength;
            WireReader r = new WireReader(wire, refsStart, wireStart + wireLength - refsStart);
            int n = r.count("value references", Limits.MAX_FIELD_LENGTH, 8);
            List<ValueReference> refs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                refs.add(new ValueReference(r.str("reference handle"), r.i32("reference index")));
            }
            return List.copyOf(refs);
        } catch (CodecException e) {
            throw new IllegalStateException("value was validated on creation", e);
        }
    }

    /**
     * True if this value has type {@code query} in the sense of §4.1: equal ignoring ASCII case, or, when the
     * query ends with '.', this type equals the query without its dot or starts with the query.
     */
    public boolean matchesTypeQuery(String query) {
        return typeMatches(type, query);
    }

    /** True if the type is {@code base} or a subtype {@code base.x} (§5.1 {@code hasType}). */
    public boolean hasType(String base) {
        return type.equalsIgnoreCase(base)
                || type.length() > base.length() && type.charAt(base.length()) == '.'
                        && type.regionMatches(true, 0, base, 0, base.length());
    }

    /** The §4.1 type-filter rule on plain strings. */
    public static boolean typeMatches(String type, String query) {
        int q = query.length();
        if (q > 0 && query.charAt(q - 1) == '.') {
            return type.length() == q - 1 && asciiRegionMatches(type, query, q - 1)
                    || type.length() >= q && asciiRegionMatches(type, query, q);
        }
        return type.length() == q && asciiRegionMatches(type, query, q);
    }

    /** Whether the first {@code n} characters of both are equal when ASCII letters only are upper-cased (§4.1). */
    private static boolean asciiRegionMatches(String a, String b, int n) {
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && asciiUpper(x) != asciiUpper(y)) {
                return false;
            }
        }
        return true;
    }

    private static char asciiUpper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
    }

    /** A copy of this value with another timestamp (the server stamps values it stores, §4.4). */
    public HandleValue withTimestamp(int newTimestamp) {
        byte[] copy = Arrays.copyOfRange(wire, wireStart, wireStart + wireLength);
        ByteBuffer.wrap(copy).putInt(TIMESTAMP_OFFSET, newTimestamp);
        return new HandleValue(copy, 0, wireLength, index, newTimestamp, ttlType, ttl, permissions, type,
                dataOffset - wireStart, dataLength);
    }

    /** A copy of this value at another index. */
    public HandleValue withIndex(int newIndex) {
        byte[] copy = Arrays.copyOfRange(wire, wireStart, wireStart + wireLength);
        ByteBuffer.wrap(copy).putInt(0, newIndex);
        return new HandleValue(copy, 0, wireLength, newIndex, timestamp, ttlType, ttl, permissions, type,
                dataOffset - wireStart, dataLength);
    }

    /** A builder initialised from this value. */
    public Builder toBuilder() {
        return new Builder(index, type).timestamp(timestamp).ttl(ttlType, ttl).permissions(permissions).data(data())
                .references(references());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandleValue other && Arrays.equals(wire, wireStart, wireStart + wireLength, other.wire,
                other.wireStart, other.wireStart + other.wireLength);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = wireStart; i < wireStart + wireLength; i++) {
            h = 31 * h + wire[i];
        }
        return h;
    }

    @Override
    public String toString() {
        String shown = dataLength <= 64 && isPrintable() ? dataAsString() : dataLength + " bytes";
        return index + ":" + type + "=" + shown;
    }

    private boolean isPrintable() {
        for (int i = dataOffset; i < dataOffset + dataLength; i++) {
            int b = wire[i] & 0xFF;
            if (b < 0x20 || b == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** Builds a value; {@link #build()} validates and encodes it once. */
    public static final class Builder {
        private final int index;
        private final String type;
        private int timestamp;
        private int ttlType = TTL_RELATIVE;
        private int ttl = DEFAULT_TTL;
        private int permissions = DEFAULT_PERMISSIONS;
        private byte[] data = new byte[0];
        private List<ValueReference> references = List.of();

        private Builder(int index, String type) {
            this.index = index;
            this.type = Objects.requireNonNull(type, "type");
        }

        public Builder timestamp(int unixSeconds) {
            this.timestamp = unixSeconds;
            return this;
        }

        /** Sets the TTL: {@code ttlType} 0 relative (seconds) or 1 absolute (Unix time). */
        public Builder ttl(int ttlType, int ttl) {
            if (ttlType != TTL_RELATIVE && ttlType != TTL_ABSOLUTE) {
                throw new IllegalArgumentException("ttlType must be 0 (relative) or 1 (absolute), got " + ttlType);
            }
            this.ttlType = ttlType;
            this.ttl = ttl;
            return this;
        }

        public Builder permissions(int permissions) {
            if ((permissions & ~0xFF) != 0) {
                throw new IllegalArgumentException("permissions must fit in one byte, got " + permissions);
            }
            this.permissions = permissions;
            return this;
        }

        public Builder data(byte[] data) {
            this.data = Objects.requireNonNull(data, "data").clone();
            return this;
        }

        public Builder data(String utf8) {
            this.data = utf8.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder references(List<ValueReference> references) {
            this.references = List.copyOf(references);
            return this;
        }

        public HandleValue build() {
            byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
            if (typeBytes.length > Limits.MAX_FIELD_LENGTH || data.length > Limits.MAX_FIELD_LENGTH) {
                throw new IllegalArgumentException("value type or data longer than " + Limits.MAX_FIELD_LENGTH);
            }
            List<byte[]> refHandles = new ArrayList<>(references.size());
            int size = 4 + 4 + 1 + 4 + 1 + 4 + typeBytes.length + 4 + data.length + 4;
            for (ValueReference ref : references) {
                byte[] h = ref.handle().getBytes(StandardCharsets.UTF_8);
                refHandles.add(h);
                size += 4 + h.length + 4;
            }
            ByteBuffer b = ByteBuffer.allocate(size);
            b.putInt(index).putInt(timestamp).put((byte) ttlType).putInt(ttl).put((byte) permissions);
            b.putInt(typeBytes.length).put(typeBytes);
            int dataOffset = b.position() + 4;
            b.putInt(data.length).put(data);
            b.putInt(references.size());
            for (int i = 0; i < references.size(); i++) {
                b.putInt(refHandles.get(i).length).put(refHandles.get(i)).putInt(references.get(i).index());
            }
            return new HandleValue(b.array(), 0, size, index, timestamp, ttlType, ttl, permissions, type, dataOffset,
                    data.length);
        }
    }
}
