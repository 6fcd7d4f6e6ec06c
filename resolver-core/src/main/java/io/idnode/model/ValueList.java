package io.idnode.model;

import io.idnode.codec.CodecException;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The values of a {@link HandleRecord}: an immutable list that also holds the list's wire encoding
 * ({@code i32 count} then each value, handle-protocol.md §5.1), built once when the record is made. A
 * resolution that returns every value (the usual one) is then encoded with a single copy of these bytes
 * from the hot cache, instead of visiting each value. A list decoded from the store ({@link #decode}) holds
 * its values' bytes only once: the values are views of the list's encoding. Equal to any {@link List} of the
 * same values.
 */
public final class ValueList extends AbstractList<HandleValue> implements RandomAccess {
    private static final ValueList EMPTY = new ValueList(new HandleValue[0]);

    private final HandleValue[] values;
    private final byte[] wire;
    private final boolean allPublicReadable;

    private ValueList(HandleValue[] values, byte[] wire, boolean allPublicReadable) {
        this.values = values;
        this.wire = wire;
        this.allPublicReadable = allPublicReadable;
    }

    private ValueList(HandleValue[] values) {
        this.values = values;
        int length = 4;
        boolean allPublic = true;
        for (HandleValue v : values) {
            length += v.wireLength();
            allPublic &= v.isPublicReadable();
        }
        byte[] w = new byte[length];
        int n = values.length;
        w[0] = (byte) (n >>> 24);
        w[1] = (byte) (n >>> 16);
        w[2] = (byte) (n >>> 8);
        w[3] = (byte) n;
        int at = 4;
        for (HandleValue v : values) {
            System.arraycopy(v.wireArray(), v.wireOffset(), w, at, v.wireLength());
            at += v.wireLength();
        }
        this.wire = w;
        this.allPublicReadable = allPublic;
    }

    /** {@code values} as a value list (itself if it is one); null elements are refused, as by {@link List#copyOf}. */
    public static ValueList of(List<HandleValue> values) {
        if (values instanceof ValueList list) {
            return list;
        }
        if (values.isEmpty()) {
            return EMPTY;
        }
        HandleValue[] copy = values.toArray(new HandleValue[0]);
        for (HandleValue v : copy) {
            Objects.requireNonNull(v, "value");
        }
        return new ValueList(copy);
    }

    /**
     * Decodes a value list from its encoding ({@code i32 count}, then the values), where {@code lengths[i]} is
     * the length of value {@code i} and each value must decode to exactly that many bytes. The values are views
     * of {@code wire}, which the list takes over: it must not be modified afterwards.
     */
    public static ValueList decode(byte[] wire, int[] lengths) throws CodecException {
        int total = 4;
        for (int n : lengths) {
            total += n;
        }
        int count = (wire.length < 4) ? -1
                : (wire[0] & 0xFF) << 24 | (wire[1] & 0xFF) << 16 | (wire[2] & 0xFF) << 8 | (wire[3] & 0xFF);
        if (count != lengths.length || total != wire.length) {
            throw new CodecException("value list of " + wire.length + " bytes does not hold " + lengths.length
                    + " values of " + (total - 4) + " bytes");
        }
        HandleValue[] values = new HandleValue[lengths.length];
        boolean allPublic = true;
        int at = 4;
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = HandleValue.shared(wire, at, lengths[i]);
            } catch (CodecException e) {
                throw new CodecException("value #" + i + " does not decode (" + e.getMessage() + ")");
            }
            allPublic &= values[i].isPublicReadable();
            at += lengths[i];
        }
        return new ValueList(values, wire, allPublic);
    }

    @Override
    public HandleValue get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }

    /** The list's wire encoding: {@code i32 count} then each value's wire bytes. Not to be modified. */
    public byte[] wireBytes() {
        return wire;
    }

    /** True if every value is publicly readable (none would be dropped by a public-only resolution). */
    public boolean allPublicReadable() {
        return allPublicReadable;
    }
}
