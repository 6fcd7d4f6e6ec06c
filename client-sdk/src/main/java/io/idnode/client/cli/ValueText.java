package io.idnode.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.client.AdminPermissions;
import io.idnode.client.Values;
import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.CodecException;
import io.idnode.codec.ValueListCodec;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.json.RecordJsonWriter;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;

/**
 * The text forms of handle values on the command line and in CSV cells, read and shown alike:
 * <ul>
 *   <li>{@code HS_ADMIN}: {@code INDEX:HANDLE} (every permission) or {@code INDEX:PERMISSIONS:HANDLE}, the
 *       permissions named ({@code all}, {@code owner}: all but the prefix rights, {@code registrar}: add and list
 *       handles) or written as 12 characters of 0/1, highest bit (list handles) first, as in the JSON
 *       {@code admin} format (§5.2);</li>
 *   <li>{@code HS_VLIST}: {@code INDEX:HANDLE;INDEX:HANDLE...} (§5.5);</li>
 *   <li>{@code HS_PUBKEY}: the path of a public-key file, X.509 PEM (as {@code idctl keygen} writes) or the
 *       HS_PUBKEY bytes (§5.4); shown as its JSON (JWK) form;</li>
 *   <li>{@code HS_SECKEY}: the secret, stored with permissions {@code 1100} (no public read);</li>
 *   <li>any other type ({@code URL}, {@code EMAIL}, a product-data JSON document...): the UTF-8 text itself.</li>
 * </ul>
 * Values needing other permissions, a TTL or another data format are given in the JSON form instead. The
 * values are made by the SDK's {@link Values}.
 */
final class ValueText {
    private static final int ADMIN_BITS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyFiles keyFiles;
    private final HandleKeyCodec keyCodec;

    ValueText(KeyFiles keyFiles, HandleKeyCodec keyCodec) {
        this.keyFiles = keyFiles;
        this.keyCodec = keyCodec;
    }

    /** A value from {@code INDEX:TYPE=DATA}, the form of {@code --value}. */
    HandleValue parseSpec(String spec) throws InputException {
        int colon = spec.indexOf(':');
        int equals = spec.indexOf('=');
        if (colon <= 0 || equals < colon + 2) {
            throw new InputException("a value is INDEX:TYPE=DATA such as 1:URL=https://example.com/p/1, got '" + spec
                    + "'");
        }
        return value(parseIndex(spec.substring(0, colon), spec), spec.substring(colon + 1, equals),
                spec.substring(equals + 1));
    }

    /** A value of {@code type} at {@code index} from its text form. */
    HandleValue value(int index, String type, String text) throws InputException {
        if (type.equalsIgnoreCase(ValueTypes.HS_ADMIN)) {
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw new InputException("HS_ADMIN is INDEX:HANDLE or INDEX:PERMISSIONS:HANDLE such as"
                        + " 300:registrar:0.NA/88.100.1, got '" + text + "'");
            }
            String rest = text.substring(colon + 1);
            int permissions = AdminPermissions.ALL;
            int second = rest.indexOf(':');
            Integer named = second > 0 ? permissions(rest.substring(0, second)) : null;
            if (named != null) {
                permissions = named;
                rest = rest.substring(second + 1);
            }
            return Values.admin(index, new ValueReference(handle(rest, text), parseIndex(text.substring(0, colon), text)),
                    permissions);
        }
        if (type.equalsIgnoreCase(ValueTypes.HS_VLIST)) {
            return Values.valueList(index, references(text));
        }
        if (type.equalsIgnoreCase(ValueTypes.HS_PUBKEY)) {
            return Values.publicKey(index, publicKey(text));
        }
        if (type.equalsIgnoreCase(ValueTypes.HS_SECKEY)) {
            return Values.secretKey(index, text.getBytes(StandardCharsets.UTF_8));
        }
        return Values.text(index, type, text);
    }

    /** Permission bits named {@code all}, {@code owner}, {@code registrar}, or written as 12 characters of 0/1. */
    private static Integer permissions(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "all" -> {
                return AdminPermissions.ALL;
            }
            case "owner" -> {
                return AdminPermissions.RECORD_OWNER;
            }
            case "registrar" -> {
                return AdminPermissions.REGISTRAR;
            }
            default -> {
                return text.length() == ADMIN_BITS && text.chars().allMatch(c -> c == '0' || c == '1')
                        ? Integer.parseInt(text, 2) : null;
            }
        }
    }

    /** The value's data for people: the text form above where there is one, else its JSON {@code data}. */
    String show(HandleValue value) {
        try {
            if (value.hasType(ValueTypes.HS_ADMIN)) {
                AdminValue a = AdminValueCodec.decode(value.data());
                return a.adminIndex() + ":" + permissionsText(a.permissions()) + ":" + a.adminHandle();
            }
            if (value.hasType(ValueTypes.HS_VLIST)) {
                List<String> refs = ValueListCodec.decode(value.data()).stream().map(ValueReference::toString).toList();
                return String.join(";", refs);
            }
        } catch (CodecException e) {
            // fall through to the JSON form, which shows bytes that do not decode as base64
        }
        JsonNode data = readTree(RecordJsonWriter.STANDARD.writeValue(value)).path("data");
        if (data.isTextual()) {
            return data.textValue();
        }
        // Text that looks like a format object (a JSON document) is written as {"format": "string", ...}.
        return "string".equals(data.path("format").asText()) ? data.path("value").asText() : data.toString();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the record writer wrote invalid JSON: " + json, e);
        }
    }

    private static List<ValueReference> references(String text) throws InputException {
        List<ValueReference> refs = new ArrayList<>();
        for (String part : text.split(";")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new InputException("HS_VLIST is INDEX:HANDLE;INDEX:HANDLE..., got '" + text + "'");
            }
            refs.add(new ValueReference(handle(part.substring(colon + 1), text), parseIndex(part.substring(0, colon),
                    text)));
        }
        return refs;
    }

    private PublicKey publicKey(String text) throws InputException {
        Path file = Path.of(text);
        if (!Files.isReadable(file)) {
            throw new InputException("HS_PUBKEY is the path of a public-key file (as idctl keygen writes),"
                    + " and " + file + " cannot be read");
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).strip()
                    .startsWith("-----BEGIN")) {
                return keyFiles.readPublicKeyPem(file);
            }
            return keyCodec.decodePublicKey(bytes);
        } catch (IOException e) {
            throw new InputException(e.getMessage());
        } catch (CryptoException e) {
            throw new InputException(file + ": not a PEM public key nor HS_PUBKEY data: " + e.getMessage());
        }
    }

    private static String handle(String handle, String text) throws InputException {
        if (handle.indexOf('/') <= 0) {
            throw new InputException("'" + handle + "' in '" + text + "' must be a handle prefix/suffix");
        }
        return handle;
    }

    private static int parseIndex(String index, String text) throws InputException {
        try {
            int i = Integer.parseInt(index.strip());
            if (i > 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputException("index must be a whole number > 0, got '" + index + "' in '" + text + "'");
    }

    private static String permissionsText(int permissions) {
        if (permissions == AdminPermissions.ALL) {
            return "all";
        }
        if (permissions == AdminPermissions.RECORD_OWNER) {
            return "owner";
        }
        if (permissions == AdminPermissions.REGISTRAR) {
            return "registrar";
        }
        String s = Integer.toBinaryString(permissions & AdminValue.ALL);
        return "0".repeat(ADMIN_BITS - s.length()) + s;
    }
}
