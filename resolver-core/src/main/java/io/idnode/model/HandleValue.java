package io.idnode.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One handle value (handle-protocol.md §5.1, RFC 3651 §3.1): index, timestamp, TTL, permissions, type, data
 * and references. Immutable. A value the codec decoded keeps the exact bytes it was read from (for a stored
 * record, a share of its {@link ValueList}'s encoding), so that it is served without re-encoding; a value made
 * with the {@link Builder} has fields only, and the codec encodes them when it writes the value. The byte
 * layout is the codec's ({@code io.idnode.codec.ValueCodec}); this class knows none of it.
 */
public final class HandleValue {
    /** ttlType: relative, TTL in seconds. */
    public static final int TTL_RELATIVE = 0;
    /** ttlType: absolute, TTL is the Unix time of expiry. */
    public static final int TTL_ABSOLUTE = 1;
    /** Default TTL (seconds). */
    public static final int DEFAULT_TTL = 86_400;

    private static final int NO_ENCODING = -1;

    private final int index;
    private final int timestamp;
    private final byte ttlType;
    private final int ttl;
    private final byte permissions;
    private final String type;
    // A decoded value: the array of its encoding, bytes[encodingOffset, encodingOffset + encodingLength), which
    // holds the data too. A value made here: its data, and encodingLength is NO_ENCODING. Never modified.
    private final byte[] bytes;
    private final int encodingOffset;
    private final int encodingLength;
    private final int dataOffset;
    private final int dataLength;
    private final List<ValueReference> references;

    private HandleValue(int index, int timestamp, int ttlType, int ttl, int permissions, String type, byte[] bytes,
            int encodingOffset, int encodingLength, int dataOffset, int dataLength, List<ValueReference> references) {
        this.index = index;
        this.timestamp = timestamp;
        this.ttlType = (byte) ttlType;
        this.ttl = ttl;
        this.permissions = (byte) permissions;
        this.type = type;
        this.bytes = bytes;
        this.encodingOffset = encodingOffset;
        this.encodingLength = encodingLength;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
        this.references = references;
    }

    /** A builder with the defaults of §5.1 (relative TTL 86400, permissions 0x0E, no data, no references). */
    public static Builder builder(int index, String type) {
        return new Builder(index, type);
    }

    /**
     * A value the codec decoded: its fields, and the bytes they were read from,
     * {@code encoding[offset, offset + length)}, with the data at {@code dataOffset}. The value shares those
     * bytes instead of copying them; nobody may modify them afterwards. Only the codec, which owns the layout,
     * calls this ({@code io.idnode.codec.ValueCodec}).
     */
    public static HandleValue decoded(byte[] encoding, int offset, int length, int index, int timestamp, int ttlType,
            int ttl, int permissions, String type, int dataOffset, int dataLength, List<ValueReference> references) {
        Objects.checkFromIndexSize(offset, length, encoding.length);
        if (dataOffset < offset || dataLength < 0 || dataOffset + dataLength > offset + length) {
            throw new IllegalArgumentException("data " + dataOffset + "+" + dataLength + " outside the encoding "
                    + offset + "+" + length);
        }
        checkByte("ttlType", ttlType);
        checkByte("permissions", permissions);
        return new HandleValue(index, timestamp, ttlType, ttl, permissions, Objects.requireNonNull(type, "type"),
                encoding, offset, length, dataOffset, dataLength, List.copyOf(references));
    }

    private static void checkByte(String field, int value) {
        if ((value & ~0xFF) != 0) {
            throw new IllegalArgumentException(field + " must fit in one byte, got " + value);
        }
    }

    /** The value's index in its handle; stored values have indexes above 0 (§4.4). */
    public int index() {
        return index;
    }

    /** Unix seconds of the last change; a node restamps the values it stores (§4.4). */
    public int timestamp() {
        return timestamp;
    }

    /** {@link #TTL_RELATIVE} or {@link #TTL_ABSOLUTE} (other codes are kept as received). */
    public int ttlType() {
        return ttlType & 0xFF;
    }

    /** The TTL: seconds, or the Unix time of expiry (see {@link #ttlType()}). */
    public int ttl() {
        return ttl;
    }

    /** The {@link ValuePermissions} bits. */
    public int permissions() {
        return permissions & 0xFF;
    }

    /** The value type, e.g. {@link ValueTypes#URL}. */
    public String type() {
        return type;
    }

    /** True if anyone may read the value. */
    public boolean isPublicReadable() {
        return (permissions & ValuePermissions.PUBLIC_READ) != 0;
    }

    /** True if the handle's administrators may read the value. */
    public boolean isAdminReadable() {
        return (permissions & ValuePermissions.ADMIN_READ) != 0;
    }

    /** A copy of the value's data. */
    public byte[] data() {
        return Arrays.copyOfRange(bytes, dataOffset, dataOffset + dataLength);
    }

    /** Length of the value's data. */
    public int dataLength() {
        return dataLength;
    }

    /** Copies the data into {@code destination} at {@code at} (to encode the value without an extra copy). */
    public void copyDataTo(byte[] destination, int at) {
        System.arraycopy(bytes, dataOffset, destination, at, dataLength);
    }

    /** The data as UTF-8 text (malformed bytes replaced). */
    public String dataAsString() {
        return new String(bytes, dataOffset, dataLength, StandardCharsets.UTF_8);
    }

    /** The value's references. */
    public List<ValueReference> references() {
        return references;
    }

    /** True if the value keeps the exact bytes it was decoded from ({@link #encodingArray()}). */
    public boolean hasEncoding() {
        return encodingLength != NO_ENCODING;
    }

    /**
     * The array holding the bytes the value was decoded from, at {@link #encodingOffset()}, for writing them out
     * without a copy; null for a value made with the builder. The array must not be modified.
     */
    public byte[] encodingArray() {
        return hasEncoding() ? bytes : null;
    }

    /** Where the kept encoding starts in {@link #encodingArray()}. */
    public int encodingOffset() {
        return encodingOffset;
    }

    /** Length of the kept encoding, or -1 if the value keeps none. */
    public int encodingLength() {
        return encodingLength;
    }

    /** True if the value is of type {@code base} or a subtype of it (§5.1; {@link ValueTypes#hasType}). */
    public boolean hasType(String base) {
        return ValueTypes.hasType(type, base);
    }

    /** True if the type filter entry {@code query} of a resolution selects this value (§4.1; {@link ValueTypes#matchesQuery}). */
    public boolean matchesTypeQuery(String query) {
        return ValueTypes.matchesQuery(type, query);
    }

    /** This value with another timestamp (the server stamps values it stores, §4.4). */
    public HandleValue withTimestamp(int newTimestamp) {
        return new HandleValue(index, newTimestamp, ttlType, ttl, permissions, type, bytes, 0, NO_ENCODING, dataOffset,
                dataLength, references);
    }

    /** This value at another index. */
    public HandleValue withIndex(int newIndex) {
        return new HandleValue(newIndex, timestamp, ttlType, ttl, permissions, type, bytes, 0, NO_ENCODING, dataOffset,
                dataLength, references);
    }

    /** A builder initialised from this value. */
    public Builder toBuilder() {
        Builder b = new Builder(index, type).timestamp(timestamp).permissions(permissions()).references(references);
        b.ttlType = ttlType();
        b.ttl = ttl;
        b.data = data();
        return b;
    }

    /** Values are equal when all their fields are, whether they were decoded or built. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HandleValue v && index == v.index && timestamp == v.timestamp && ttlType == v.ttlType
                && ttl == v.ttl && permissions == v.permissions && type.equals(v.type)
                && Arrays.equals(bytes, dataOffset, dataOffset + dataLength, v.bytes, v.dataOffset,
                        v.dataOffset + v.dataLength)
                && references.equals(v.references);
    }

    @Override
    public int hashCode() {
        int h = index;
        h = 31 * h + timestamp;
        h = 31 * h + ttlType;
        h = 31 * h + ttl;
        h = 31 * h + permissions;
        h = 31 * h + type.hashCode();
        for (int i = dataOffset; i < dataOffset + dataLength; i++) {
            h = 31 * h + bytes[i];
        }
        return 31 * h + references.hashCode();
    }

    @Override
    public String toString() {
        String shown = dataLength <= 64 && isPrintable() ? dataAsString() : dataLength + " bytes";
        return index + ":" + type + "=" + shown;
    }

    private boolean isPrintable() {
        for (int i = dataOffset; i < dataOffset + dataLength; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x20 || b == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** Builds a value from its fields; {@link #build()} checks them. */
    public static final class Builder {
        private final int index;
        private final String type;
        private int timestamp;
        private int ttlType = TTL_RELATIVE;
        private int ttl = DEFAULT_TTL;
        private int permissions = ValuePermissions.DEFAULT;
        private byte[] data = new byte[0];
        private List<ValueReference> references = List.of();

        private Builder(int index, String type) {
            this.index = index;
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Sets the timestamp (Unix seconds). */
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

        /** Sets the {@link ValuePermissions} bits. */
        public Builder permissions(int permissions) {
            checkByte("permissions", permissions);
            this.permissions = permissions;
            return this;
        }

        /** Sets the data (copied). */
        public Builder data(byte[] data) {
            this.data = Objects.requireNonNull(data, "data").clone();
            return this;
        }

        /** Sets the data to the UTF-8 bytes of {@code utf8}. */
        public Builder data(String utf8) {
            this.data = utf8.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Sets the references. */
        public Builder references(List<ValueReference> references) {
            this.references = List.copyOf(references);
            return this;
        }

        /** The value; the builder's data array is never modified afterwards, so values may share it. */
        public HandleValue build() {
            return new HandleValue(index, timestamp, ttlType, ttl, permissions, type, data, 0, NO_ENCODING, 0,
                    data.length, references);
        }
    }
}
