package io.idnode.model;

/**
 * The value types the protocol gives a meaning to (handle-protocol.md §5, RFC 3651 §3.2), and the two rules
 * by which a value's type is matched: the subtype rule of §5.1 and the type filter of a resolution (§4.1).
 * Both compare ignoring case.
 */
public final class ValueTypes {
    /** Permissions of an administrator identity (§5.2). */
    public static final String HS_ADMIN = "HS_ADMIN";
    /** Description of the service site holding the handle (§5.3). */
    public static final String HS_SITE = "HS_SITE";
    /** Site description read beside HS_SITE when a service referral is followed (§4.3). */
    public static final String HS_SITE_6 = "HS_SITE.6";
    /** Site description of the service responsible for derived prefixes (§4.3, §5.3). */
    public static final String HS_SITE_PREFIX = "HS_SITE.PREFIX";
    /** Legacy name of HS_SITE.PREFIX (§5.5). */
    public static final String HS_NA_DELEGATE = "HS_NA_DELEGATE";
    /** Handle of a service handle whose HS_SITE values define the service (§5.5). */
    public static final String HS_SERV = "HS_SERV";
    /** Handle of a service handle whose HS_SITE.PREFIX values define the service for derived prefixes (§5.5). */
    public static final String HS_SERV_PREFIX = "HS_SERV.PREFIX";
    /** Public key of an identity (§5.4); also the authentication type of a public-key challenge answer (§6.2). */
    public static final String HS_PUBKEY = "HS_PUBKEY";
    /** Secret key of an identity (§5.4); also the authentication type of a secret-key challenge answer (§6.2). */
    public static final String HS_SECKEY = "HS_SECKEY";
    /** Admin group: a list of value references (§5.5). */
    public static final String HS_VLIST = "HS_VLIST";
    /** Target handle of an alias, followed by clients only (§5.5). */
    public static final String HS_ALIAS = "HS_ALIAS";
    /** Namespace information of a prefix handle (§5.5). */
    public static final String HS_NAMESPACE = "HS_NAMESPACE";
    /** Compact JWS signing values of the handle (§5.6). */
    public static final String HS_SIGNATURE = "HS_SIGNATURE";
    /** Compact JWS granting a public key permissions (§5.5). */
    public static final String HS_CERT = "HS_CERT";
    /** A URL, UTF-8 text (§5.5). */
    public static final String URL = "URL";
    /** An e-mail address, UTF-8 text (§5.5). */
    public static final String EMAIL = "EMAIL";
    /** A description, UTF-8 text (§5.5). */
    public static final String DESC = "DESC";

    private ValueTypes() {
    }

    /** True if {@code type} is {@code base} or a subtype {@code base.x} of it (§5.1, the library's hasType). */
    public static boolean hasType(String type, String base) {
        return type.equalsIgnoreCase(base)
                || type.length() > base.length() && type.charAt(base.length()) == '.'
                        && type.regionMatches(true, 0, base, 0, base.length());
    }

    /**
     * True if a value of {@code type} is selected by the entry {@code query} of a resolution's type filter
     * (§4.1): equal ignoring the case of ASCII letters, or, for a query ending in '.', equal to it without the dot or starting with it.
     */
    public static boolean matchesQuery(String type, String query) {
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
}
