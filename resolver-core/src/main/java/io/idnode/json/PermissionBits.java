package io.idnode.json;

/**
 * Permission bits as JSON (handle-protocol.md §5.1, §5.2, §8): written as a string of '0'/'1', highest bit
 * first (4 characters for a value, 12 for HS_ADMIN); read also as {@code "*"} (all), a boolean (all or none),
 * a number, or an array of these, OR-ed.
 */
final class PermissionBits {
    private PermissionBits() {
    }

    /** The bits as {@code width} characters, highest bit first. */
    static String text(int bits, int width) {
        char[] c = new char[width];
        for (int i = 0; i < width; i++) {
            c[i] = (bits & (1 << (width - 1 - i))) != 0 ? '1' : '0';
        }
        return new String(c);
    }

    /** Reads the value under the cursor as {@code width} permission bits. */
    static int read(JsonInput in, int width) throws JsonFormatException {
        int all = (1 << width) - 1;
        if (in.isBoolean()) {
            return in.bool() ? all : 0;
        }
        if (in.isInteger()) {
            return in.integer(0, all);
        }
        if (in.isArray()) {
            int bits = 0;
            in.startArray();
            while (in.nextElement()) {
                bits |= read(in, width);
            }
            return bits;
        }
        if (in.isString()) {
            String s = in.string();
            if (s.equals("*")) {
                return all;
            }
            if (s.length() == width && s.chars().allMatch(c -> c == '0' || c == '1')) {
                return Integer.parseInt(s, 2);
            }
            throw in.error("must be " + width + " characters of 0/1 or \"*\", got '" + s + "'");
        }
        throw in.error("must be " + width + " characters of 0/1, \"*\", a boolean, a number or an array of these");
    }
}
