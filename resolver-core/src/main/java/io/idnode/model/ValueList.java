package io.idnode.model;

import io.idnode.codec.CodecException;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The values of a {@link HandleRecord}: an immutable list that also holds the list's wire encoding
 * ({@code i32 count} then each value, handle-protocol.md §5.1), built once, when first asked for. A
 * resolution that returns every value (the usual one) is then encoded with a single copy of these bytes
 * from the hot cache, instead of visiting each value. A list decoded from the store ({@link #decode}) holds
 * its values' bytes only once: the values are views of the list's encoding. Equal to any {@link List} of the
 * same values.
 */
public final class ValueList extends AbstractList<HandleValue> implements RandomAccess {
    private static final ValueList EMPTY = new ValueList(new HandleValue[0], null);

    private final HandleValue[] values;
    private final boolean allPublicReadable;
    // Given at once for a list decoded from its encoding (what the store hands the hot cache); built on first
    // use for a list made of values, since most of those (records parsed for an import, or built by an
    // administrative change) are stored, not served. Volatile: published whole.
    private volatile byte[] wire;

    private ValueList(HandleValue[] values, byte[] wire) {
        this.values = values;
        this.wire = wire;
        boolean allPublic = true;
        for (HandleValue v : values) {
            allPublic &= v.isPublicReadable();
        }
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
        return new ValueList(copy, null);
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
        int count = wire.length < 4 ? -1 : ByteBuffer.wrap(wire).getInt(0);
        if (count != lengths.length || total != wire.length) {
            throw new CodecException("value list of " + wire.length + " bytes does not hold " + lengths.length
                    + " values of " + (total - 4) + " bytes");
        }
        HandleValue[] values = new HandleValue[lengths.length];
        int at = 4;
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = HandleValue.shared(wire, at, lengths[i]);
            } catch (CodecException e) {
                throw new CodecException("value #" + i + " does not decode (" + e.getMessage() + ")");
            }
            at += lengths[i];
        }
        return new ValueList(values, wire);
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
        byte[] w = wire;
        if (w == null) {
            w = encode(values); // racing threads build equal arrays; either may stay
            wire = w;
        }
        return w;
    }

    private static byte[] encode(HandleValue[] values) {
        int length = 4;
        for (HandleValue v : values) {
            length += v.wireLength();
        }
        ByteBuffer w = ByteBuffer.allocate(length).putInt(values.length);
        for (HandleValue v : values) {
            w.put(v.wireArray(), v.wireOffset(), v.wireLength());
        }
        return w.array();
    }

    /** True if every value is publicly readable (none would be dropped by a public-only resolution). */
    public boolean allPublicReadable() {
        return allPublicReadable;
    }
}
