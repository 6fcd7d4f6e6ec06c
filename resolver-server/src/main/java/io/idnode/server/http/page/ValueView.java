package io.idnode.server.http.page;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.idnode.json.DataFormat;
import io.idnode.json.DataFormats;
import io.idnode.json.RecordJsonWriter;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The data of one handle value as HTML, by type: administrators with their permissions (HS_ADMIN, §5.2), sites
 * (HS_SITE, §5.3), keys (HS_PUBKEY, §5.4; a secret key is never shown), signed records and certificates
 * (HS_SIGNATURE, HS_CERT, §5.6: the JWS header and payload decoded when it parses), JSON documents such as
 * product data (indented), web addresses as links (http and https only), anything else as text or base64. The
 * typed forms read the data through the REST API's JSON form ({@link RecordJsonWriter}, §8), so the page and the
 * API agree. Every piece of text is escaped ({@link Html}).
 */
final class ValueView {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] PERMISSIONS = {
        "add handle", "delete handle", "add derived prefix", "delete derived prefix", "modify value", "remove value",
        "add value", "modify admin", "remove admin", "add admin", "read value", "list handles",
    };

    private ValueView() {
    }

    /** The HTML of {@code value}'s data. */
    static String html(HandleValue value) {
        if (value.hasType(ValueTypes.HS_SECKEY)) {
            return note("secret key, " + value.dataLength() + " bytes, not shown");
        }
        JsonNode data = jsonData(value);
        String format = data.path("format").asText();
        JsonNode v = data.path("value");
        return switch (format) {
            case "admin" -> admin(v);
            case "site" -> labelled(site(v), pretty(v));
            case "key" -> labelled(key(value), pretty(v));
            case "vlist" -> labelled("references to other values", pretty(v));
            case "base64" -> labelled("binary, " + value.dataLength() + " bytes, base64", v.asText());
            default -> text(value, v.asText());
        };
    }

    private static JsonNode jsonData(HandleValue value) {
        try {
            return JSON.readTree(RecordJsonWriter.STANDARD.writeValue(value)).path("data");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the record writer wrote JSON that does not parse", e);
        }
    }

    private static String admin(JsonNode v) {
        String permissions = v.path("permissions").asText();
        List<String> granted = new ArrayList<>();
        // Highest bit first: the last character is bit 0, add handle (AdminValue.ADD_HANDLE), then up to 11.
        for (int bit = 0; bit < PERMISSIONS.length && bit < permissions.length(); bit++) {
            if (permissions.charAt(permissions.length() - 1 - bit) == '1') {
                granted.add(PERMISSIONS[bit]);
            }
        }
        String who = v.path("index").asText() + ":" + v.path("handle").asText();
        String rights = permissions.equals("1".repeat(PERMISSIONS.length)) ? "all permissions"
                : granted.isEmpty() ? "no permissions" : String.join(", ", granted);
        return "<span class=\"label\">administrator</span> <code>" + Html.text(who) + "</code><br><span class=\"perm\">"
                + Html.text(rights) + "</span>";
    }

    private static String site(JsonNode v) {
        int servers = v.path("servers").size();
        return "site, serial " + v.path("serialNumber").asText() + ", " + servers + (servers == 1 ? " server" : " servers")
                + (v.path("primarySite").asBoolean() ? ", primary" : "");
    }

    private static String key(HandleValue value) {
        PublicKey key = decodeKey(value);
        if (key == null) {
            return "public key";
        }
        String size = key instanceof RSAPublicKey rsa ? ", " + rsa.getModulus().bitLength() + " bits"
                : key instanceof DSAPublicKey dsa ? ", " + dsa.getParams().getP().bitLength() + " bits"
                : key instanceof ECPublicKey ec ? ", " + ec.getParams().getCurve().getField().getFieldSize() + " bits"
                : "";
        return key.getAlgorithm() + " public key" + size;
    }

    private static PublicKey decodeKey(HandleValue value) {
        DataFormat<?> format = DataFormats.STANDARD.forValue(value);
        Object key = format == null ? null : format.decode(value.data());
        return key instanceof PublicKey k ? k : null;
    }

    private static String text(HandleValue value, String s) {
        if (value.hasType(ValueTypes.HS_SIGNATURE) || value.hasType(ValueTypes.HS_CERT)) {
            String jws = jws(s);
            if (jws != null) {
                return jws;
            }
        }
        String trimmed = s.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return labelled("JSON", JSON.writeValueAsString(JSON.readTree(trimmed)));
            } catch (JsonProcessingException notJson) {
                // shown as text below
            }
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (value.hasType(ValueTypes.URL) && (lower.startsWith("https://") || lower.startsWith("http://"))
                && trimmed.chars().noneMatch(c -> c <= ' ')) {
            return "<a href=\"" + Html.text(trimmed) + "\" rel=\"nofollow noopener\">" + Html.text(trimmed) + "</a>";
        }
        return "<span class=\"text\">" + Html.text(s) + "</span>";
    }

    /** A compact JWS ({@code header.payload.signature}) with its header and payload decoded, or null. */
    private static String jws(String s) {
        String[] parts = s.strip().split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(new String(b64.decode(parts[0]), StandardCharsets.UTF_8));
            JsonNode payload = JSON.readTree(new String(b64.decode(parts[1]), StandardCharsets.UTF_8));
            if (!header.isObject() || !payload.isObject()) {
                return null;
            }
            return labelled("signed (JWS) header", JSON.writeValueAsString(header))
                    + labelled("payload", JSON.writeValueAsString(payload))
                    + labelled("signature, base64url", parts[2]);
        } catch (IllegalArgumentException | JsonProcessingException notJws) {
            return null;
        }
    }

    private static String pretty(JsonNode v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return v.toString();
        }
    }

    private static String labelled(String label, String pre) {
        return "<span class=\"label\">" + Html.text(label) + "</span><pre>" + Html.text(pre) + "</pre>";
    }

    private static String note(String s) {
        return "<span class=\"label\">" + Html.text(s) + "</span>";
    }
}
