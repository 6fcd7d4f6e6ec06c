package io.idnode.model;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The values of a {@link HandleRecord}: an immutable list. A list the codec decoded (every stored record the
 * store hands the hot cache) also keeps the list's exact encoding, and its values are views of it: the values'
 * bytes are held once, and a resolution that returns every value (the usual one) is encoded with a single
 * copy of them. Equal to any {@link List} of the same values.
 */
public final class ValueList extends AbstractList<HandleValue> implements RandomAccess {
    private static final ValueList EMPTY = new ValueList(new HandleValue[0], null);

    private final HandleValue[] values;
    private final byte[] encoding;
    private final boolean allPublicReadable;

    private ValueList(HandleValue[] values, byte[] encoding) {
        this.values = values;
        this.encoding = encoding;
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
     * A list the codec decoded from {@code encoding}, its exact bytes, each value a view of them. The list takes
     * both arrays over instead of copying them: nobody may modify them afterwards. Only the codec, which owns the
     * layout, calls this ({@code io.idnode.codec.ValueCodec}).
     */
    public static ValueList decoded(HandleValue[] values, byte[] encoding) {
        Objects.requireNonNull(encoding, "encoding");
        for (HandleValue v : values) {
            if (v.encodingArray() != encoding) {
                throw new IllegalArgumentException("value " + v + " is not a view of the list's encoding");
            }
        }
        return new ValueList(values, encoding);
    }

    @Override
    public HandleValue get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }

    /**
     * The list's exact encoding if it was decoded from one (the values are then views of it), else null; for
     * writing it out without a copy. The array must not be modified.
     */
    public byte[] encoding() {
        return encoding;
    }

    /** True if every value is publicly readable (none would be dropped by a public-only resolution). */
    public boolean allPublicReadable() {
        return allPublicReadable;
    }
}
