package io.idnode.sign;

import java.util.Locale;
import java.util.Objects;

/**
 * One permission an HS_CERT grants its key (handle-protocol.md §5.6, cn-extensions.md §5.3 step 4): sign
 * anything, records of one handle, handles under a prefix, or derived prefixes. Immutable.
 *
 * @param handle the handle the permission is about; null for {@link Kind#EVERYTHING}
 * @param kind what it allows
 */
public record Permission(String handle, Kind kind) {
    /** The permission kinds and their JSON names. */
    public enum Kind {
        /** Any handle. */
        EVERYTHING("everything"),
        /** The handle itself, or any handle under it as a prefix. */
        THIS_HANDLE("thisHandle"),
        /** Prefixes derived from the handle's prefix ({@code 0.NA/88.100} allows {@code 88.100.1}). */
        DERIVED_PREFIXES("derivedPrefixes"),
        /** Handles under the prefix named by a {@code 0.NA/prefix} handle. */
        HANDLES_UNDER_THIS_PREFIX("handlesUnderThisPrefix");

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The {@code perm} member's value. */
        public String jsonName() {
            return jsonName;
        }

        /** The kind named {@code name} in JSON, or null. */
        public static Kind ofJsonName(String name) {
            for (Kind k : values()) {
                if (k.jsonName.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    public Permission {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.EVERYTHING) {
            Objects.requireNonNull(handle, "handle");
        }
    }

    /** Permission to sign anything. */
    public static Permission everything() {
        return new Permission(null, Kind.EVERYTHING);
    }

    /**
     * Reads the command-line form: {@code everything}, {@code thisHandle:HANDLE},
     * {@code handlesUnderThisPrefix:0.NA/PREFIX} or {@code derivedPrefixes:0.NA/PREFIX}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Permission parse(String text) {
        int colon = text.indexOf(':');
        Kind kind = Kind.ofJsonName(colon < 0 ? text : text.substring(0, colon));
        if (kind == null || (kind == Kind.EVERYTHING) != (colon < 0) || colon == text.length() - 1) {
            throw new IllegalArgumentException("permission '" + text + "' must be everything, thisHandle:HANDLE,"
                    + " handlesUnderThisPrefix:0.NA/PREFIX or derivedPrefixes:0.NA/PREFIX");
        }
        return new Permission(colon < 0 ? null : text.substring(colon + 1), kind);
    }

    /** True if this permission lets its holder sign the record of {@code signed}. */
    public boolean authorizes(String signed) {
        return switch (kind) {
            case EVERYTHING -> true;
            case THIS_HANDLE -> equalsHandle(signed, handle) || startsWithPrefix(signed, handle + "/");
            case HANDLES_UNDER_THIS_PREFIX -> isPrefixHandle(handle)
                    && startsWithPrefix(signed, handle.substring(PREFIX_HANDLE.length()) + "/");
            case DERIVED_PREFIXES -> {
                String base = isPrefixHandle(handle) ? handle.substring(PREFIX_HANDLE.length()) : handle;
                String prefixOfSigned = isPrefixHandle(signed) ? signed.substring(PREFIX_HANDLE.length())
                        : signed.substring(0, Math.max(signed.indexOf('/'), 0));
                yield startsWithPrefix(prefixOfSigned, base + ".");
            }
        };
    }

    @Override
    public String toString() {
        return handle == null ? kind.jsonName() : kind.jsonName() + ":" + handle;
    }

    private static final String PREFIX_HANDLE = "0.NA/";

    private static boolean isPrefixHandle(String h) {
        return h.regionMatches(true, 0, PREFIX_HANDLE, 0, PREFIX_HANDLE.length());
    }

    // Prefixes compare case-insensitively (§5.3 step 2), suffixes exactly.
    private static boolean equalsHandle(String a, String b) {
        int sa = a.indexOf('/');
        int sb = b.indexOf('/');
        if (sa != sb) {
            return false;
        }
        return sa < 0 ? a.equalsIgnoreCase(b)
                : a.substring(0, sa).equalsIgnoreCase(b.substring(0, sb)) && a.substring(sa).equals(b.substring(sb));
    }

    private static boolean startsWithPrefix(String handle, String start) {
        return handle.toUpperCase(Locale.ROOT).startsWith(start.toUpperCase(Locale.ROOT));
    }
}
