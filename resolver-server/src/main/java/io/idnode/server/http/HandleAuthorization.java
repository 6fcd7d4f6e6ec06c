package io.idnode.server.http;

import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.ResponseCode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The parameters of the {@code Authorization: Handle} scheme (handle-protocol.md §8, §8.1): {@code sessionId}, and to
 * authenticate, {@code id} ({@code index:handle}, percent-decoded), {@code type} ({@code HS_PUBKEY} or
 * {@code HS_SECKEY}), {@code cnonce}, {@code alg}, {@code signature} (both base64), and for PBKDF2 {@code salt},
 * {@code iterations}, {@code length}. Read from the header or, under the same names, from the request's query or JSON
 * body. Every field may be null except where a method says otherwise.
 */
record HandleAuthorization(String sessionId, ValueReference id, String type, byte[] cnonce, String alg,
        byte[] signature, byte[] salt, Integer iterations, Integer length) {

    /** The scheme's name as it starts the header. */
    static final String SCHEME = "Handle";

    /** True if the request asks to authenticate as an identity, not only to name its session. */
    boolean authenticates() {
        return id != null || signature != null;
    }

    /** True if the request asks the server to prove itself: a client nonce and no identity (§8.1). */
    boolean asksServerSignature() {
        return cnonce != null && id == null;
    }

    /** The parameters of header {@code value} ({@code Handle k="v", ...}), null if it is not of this scheme. */
    static HandleAuthorization ofHeader(String value) throws ApiProblem {
        String v = value.strip();
        if (!v.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || v.length() > SCHEME.length() && !Character.isWhitespace(v.charAt(SCHEME.length()))) {
            return null;
        }
        return of(pairs(v.substring(SCHEME.length())));
    }

    /** The parameters named in a request's query or body, null if it names none of them. */
    static HandleAuthorization ofParameters(Function<String, String> parameter) throws ApiProblem {
        Map<String, String> found = new HashMap<>();
        for (String name : new String[] {"sessionId", "id", "type", "cnonce", "alg", "signature", "salt",
            "iterations", "length"}) {
            String value = parameter.apply(name);
            if (value != null) {
                found.put(name, value);
            }
        }
        if (!found.containsKey("sessionId") && !found.containsKey("cnonce") && !found.containsKey("signature")) {
            return null;
        }
        String type = found.get("type");
        if (type != null && !type.equals(ValueTypes.HS_PUBKEY) && !type.equals(ValueTypes.HS_SECKEY)) {
            found.remove("type"); // a resolution's type filter, not the scheme's key type
        }
        return of(found);
    }

    private static HandleAuthorization of(Map<String, String> p) throws ApiProblem {
        String version = p.get("version");
        if (version != null && !version.equals("0")) {
            throw refused("Authorization: Handle version \"" + version + "\" is not served; send version=\"0\"");
        }
        String type = p.get("type");
        if (type != null && !type.equals(ValueTypes.HS_PUBKEY) && !type.equals(ValueTypes.HS_SECKEY)) {
            throw refused("Authorization: Handle type must be HS_PUBKEY or HS_SECKEY, was \"" + type + "\"");
        }
        return new HandleAuthorization(blankToNull(p.get("sessionId")), identity(p.get("id")), type,
                base64(p, "cnonce"), p.get("alg"), base64(p, "signature"), base64(p, "salt"),
                number(p, "iterations"), number(p, "length"));
    }

    /** {@code index:handle}, percent-decoded (§8.1). */
    private static ValueReference identity(String id) throws ApiProblem {
        if (id == null) {
            return null;
        }
        String decoded;
        try {
            decoded = QueryStringDecoder.decodeComponent(id, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw refused("Authorization: Handle id has a malformed percent escape");
        }
        int colon = decoded.indexOf(':');
        try {
            int index = Integer.parseInt(decoded.substring(0, Math.max(colon, 0)));
            String handle = decoded.substring(colon + 1);
            if (index >= 0 && !handle.isEmpty()) {
                return new ValueReference(handle, index);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw refused("Authorization: Handle id must be INDEX:HANDLE such as 300:88.100.1/LINE-1, was \"" + decoded
                + "\"");
    }

    private static byte[] base64(Map<String, String> p, String name) throws ApiProblem {
        String v = p.get(name);
        if (v == null) {
            return null;
        }
        try {
            return decodeBase64(v);
        } catch (IllegalArgumentException e) {
            throw refused("Authorization: Handle " + name + " must be base64");
        }
    }

    /** Standard or URL-safe base64, as clients write it; a query string's '+' may arrive as a space. */
    static byte[] decodeBase64(String text) {
        String s = text.strip().replace(' ', '+');
        return s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s)
                : Base64.getDecoder().decode(s);
    }

    private static Integer number(Map<String, String> p, String name) throws ApiProblem {
        String v = p.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            throw refused("Authorization: Handle " + name + " must be a whole number, was \"" + v + "\"");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** {@code k="v", k2=token, ...}: quoted strings may hold commas and backslash escapes. */
    static Map<String, String> pairs(String text) throws ApiProblem {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                throw refused("Authorization: Handle parameters must be name=\"value\" pairs separated by commas");
            }
            String name = text.substring(i, eq).strip();
            i = eq + 1;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = text.charAt(i++);
                    }
                    value.append(c);
                }
                if (i >= n) {
                    throw refused("Authorization: Handle parameter " + name + " has no closing quote");
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            out.put(name.toLowerCase(Locale.ROOT).equals("sessionid") ? "sessionId" : name, value.toString().strip());
        }
        return out;
    }

    private static ApiProblem refused(String message) {
        return new ApiProblem(HttpResponseStatus.UNAUTHORIZED, ResponseCode.INVALID_CREDENTIAL, message);
    }
}
