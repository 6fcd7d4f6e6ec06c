package io.idnode.model;

/**
 * Handle naming rules (handle-protocol.md §0, §4.1, RFC 3650 §3): {@code prefix/suffix}, prefix handles
 * {@code 0.NA/<prefix>}, and the ASCII-only case folding used to match handles.
 */
public final class Handles {
    /** The prefix under which prefix (naming authority) handles live. */
    public static final String PREFIX_HANDLE_PREFIX = "0.NA/";

    private Handles() {
    }

    /** Upper-cases ASCII letters only; all other characters are unchanged. */
    public static String asciiUpper(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    char d = chars[j];
                    if (d >= 'a' && d <= 'z') {
                        chars[j] = (char) (d - 32);
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    /**
     * The handle as it is looked up: a handle without '/' means the prefix handle {@code 0.NA/<it>} (§4.1).
     */
    public static String lookupForm(String handle) {
        return handle.indexOf('/') < 0 ? PREFIX_HANDLE_PREFIX + handle : handle;
    }

    /** The key under which a handle is stored and matched: {@link #lookupForm} upper-cased. */
    public static String matchKey(String handle) {
        return asciiUpper(lookupForm(handle));
    }

    /** The prefix part (before the first '/'), or the whole handle if it has none. */
    public static String prefixPart(String handle) {
        int slash = handle.indexOf('/');
        return slash < 0 ? handle : handle.substring(0, slash);
    }

    /** The suffix part (after the first '/'), or "" if there is none. */
    public static String suffixPart(String handle) {
        int slash = handle.indexOf('/');
        return slash < 0 ? "" : handle.substring(slash + 1);
    }

    /** True for prefix handles such as {@code 0.NA/88.100.1} (case-insensitive). */
    public static boolean isPrefixHandle(String handle) {
        return handle.regionMatches(true, 0, PREFIX_HANDLE_PREFIX, 0, PREFIX_HANDLE_PREFIX.length());
    }

    /** The prefix handle {@code 0.NA/<prefix>} of a prefix such as {@code 88.100.1}. */
    public static String prefixHandle(String prefix) {
        return PREFIX_HANDLE_PREFIX + prefix;
    }

    /**
     * The prefix that governs a handle: for {@code 88.100.1/X} it is {@code 88.100.1}; for a prefix handle
     * {@code 0.NA/88.100.1} it is {@code 88.100.1}.
     */
    public static String governingPrefix(String handle) {
        String h = lookupForm(handle);
        if (isPrefixHandle(h)) {
            return h.substring(PREFIX_HANDLE_PREFIX.length());
        }
        return prefixPart(h);
    }
}
