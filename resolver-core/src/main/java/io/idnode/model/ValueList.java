package io.idnode.model;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The values of a {@link HandleRecord}: an immutable list that also holds the list's wire encoding
 * ({@code i32 count} then each value, handle-protocol.md §5.1), built once when the record is made. A
 * resolution that returns every value (the usual one) is then encoded with a single copy of these bytes
 * from the hot cache, instead of visiting each value. Equal to any {@link List} of the same values.
 */
public final class ValueList extends AbstractList<HandleValue> implements RandomAccess {
    private static final ValueList EMPTY = new ValueList(new HandleValue[0]);

    private final HandleValue[] values;
    private final byte[] wire;
    private final boolean allPublicReadable;

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
            System.arraycopy(v.wireBytes(), 0, w, at, v.wireLength());
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
