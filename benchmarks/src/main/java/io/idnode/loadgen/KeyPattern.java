package io.idnode.loadgen;

import java.util.IllegalFormatException;
import java.util.Locale;
import java.util.Objects;

/**
 * A numbered family of handles written {@code FORMAT:COUNT}, e.g. {@code 88.100.1/P%08d:1000000}: key
 * <i>i</i> (0 &le; i &lt; COUNT) is {@code String.format(FORMAT, i)}. The count follows the last colon, so
 * the format may itself contain colons.
 */
public record KeyPattern(String format, int count) {
    public KeyPattern {
        Objects.requireNonNull(format, "format");
        if (count < 1) {
            throw new IllegalArgumentException("key pattern count must be at least 1, got " + count);
        }
        String first;
        try {
            first = String.format(Locale.ROOT, format, 0);
        } catch (IllegalFormatException e) {
            throw new IllegalArgumentException("key pattern format '" + format + "' must take one integer: "
                    + e.getMessage(), e);
        }
        if (first.equals(String.format(Locale.ROOT, format, 1))) {
            throw new IllegalArgumentException("key pattern format '" + format + "' does not use the number");
        }
    }

    /** Parses {@code FORMAT:COUNT}. */
    public static KeyPattern parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("key pattern must be FORMAT:COUNT (e.g. 88.100.1/P%08d:1000), got '"
                    + spec + "'");
        }
        int count;
        try {
            count = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("key pattern count '" + spec.substring(colon + 1)
                    + "' is not a number", e);
        }
        return new KeyPattern(spec.substring(0, colon), count);
    }

    /** Key number {@code i}. */
    public String key(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("key " + i + " outside 0.." + (count - 1));
        }
        return String.format(Locale.ROOT, format, i);
    }

    @Override
    public String toString() {
        return format + ":" + count;
    }
}
