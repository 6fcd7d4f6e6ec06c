package io.idnode.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.codec.ValueListCodec;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.Jwk;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.model.ValueReference;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REST JSON form of handle values and records (handle-protocol.md §8): value objects with
 * {@code index, type, data, permissions, ttl, timestamp, references} in the library's key order, and the
 * {@code data} formats {@code string}, {@code base64}, {@code hex}, {@code admin}, {@code vlist},
 * {@code site} and {@code key}. Parsing failures are {@link JsonFormatException}s that say what to fix.
 */
public final class HandleJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] INTERFACE_PROTOCOLS = {"UDP", "TCP", "HTTP", "HTTPS"};

    private HandleJson() {
    }

    /** Codec and JWK mapping of the key format; this class is static throughout, so it keeps its own context. */
    private static final class KeyFormat {
        private static final CryptoProviders PROVIDERS = CryptoProviders.create();
        private static final HandleKeyCodec CODEC = new HandleKeyCodec(PROVIDERS);
        private static final Jwk JWK = new Jwk(PROVIDERS);
    }

    /** The shared mapper (thread-safe once configured). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    // ---------------------------------------------------------------- output

    /** A value as a JSON object. */
    public static ObjectNode valueToJson(HandleValue v) {
        ObjectNode o = NODES.objectNode();
        o.put("index", v.index());
        o.put("type", v.type());
        o.set("data", dataToJson(v));
        if (v.permissions() != HandleValue.DEFAULT_PERMISSIONS) {
            o.put("permissions", permissionString(v.permissions()));
        }
        if (v.ttlType() == HandleValue.TTL_ABSOLUTE) {
            o.put("ttl", Instant.ofEpochSecond(v.ttl() & 0xFFFF_FFFFL).toString());
        } else {
            o.put("ttl", v.ttl());
        }
        if (v.timestamp() != 0) {
            o.put("timestamp", Instant.ofEpochSecond(v.timestamp() & 0xFFFF_FFFFL).toString());
        }
        List<ValueReference> refs = v.references();
        if (!refs.isEmpty()) {
            ArrayNode a = o.putArray("references");
            for (ValueReference r : refs) {
                a.addObject().put("handle", r.handle()).put("index", r.index());
            }
        }
        return o;
    }

    /** A record as {@code {"handle": ..., "values": [...]}}. */
    public static ObjectNode recordToJson(String handle, List<HandleValue> values) {
        ObjectNode o = NODES.objectNode();
        o.put("handle", handle);
        ArrayNode a = o.putArray("values");
        for (HandleValue v : values) {
            a.add(valueToJson(v));
        }
        return o;
    }

    /** A site description as pretty JSON text (the {@code value} of the {@code site} format). */
    public static String siteToJson(SiteInfo site) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(siteNode(site)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }

    private static ObjectNode dataToJson(HandleValue v) {
        byte[] data = v.data();
        ObjectNode d = NODES.objectNode();
        try {
            if (v.hasType(AdminValue.TYPE)) {
                AdminValue a = AdminValueCodec.decode(data);
                d.put("format", "admin");
                d.putObject("value").put("handle", a.adminHandle()).put("index", a.adminIndex())
                        .put("permissions", adminPermissionString(a.permissions()));
                return d;
            }
            if (v.hasType("HS_VLIST")) {
                List<ValueReference> refs = ValueListCodec.decode(data);
                d.put("format", "vlist");
                ArrayNode a = d.putArray("value");
                for (ValueReference r : refs) {
                    a.addObject().put("handle", r.handle()).put("index", r.index());
                }
                return d;
            }
            if (v.hasType(SiteInfo.TYPE) || v.hasType("HS_NA_DELEGATE")) {
                d.put("format", "site");
                d.set("value", siteNode(SiteInfoCodec.decode(data)));
                return d;
            }
            if (v.hasType("HS_PUBKEY")) {
                ObjectNode key = keyNode(data);
                if (key != null) {
                    return key;
                }
            }
        } catch (CodecException | RuntimeException e) {
            // Not decodable as its type says: shown as text or base64 below, like any other value.
            d.removeAll();
        }
        String text = printableUtf8(data);
        if (text != null) {
            d.put("format", "string");
            d.put("value", text);
        } else {
            d.put("format", "base64");
            d.put("value", Base64.getEncoder().encodeToString(data));
        }
        return d;
    }

    private static ObjectNode keyNode(byte[] data) {
        try {
            PublicKey key = KeyFormat.CODEC.decodePublicKey(data);
            Map<String, String> jwk = KeyFormat.JWK.toJwk(key);
            ObjectNode d = NODES.objectNode();
            d.put("format", "key");
            ObjectNode value = d.putObject("value");
            jwk.forEach(value::put);
            return d;
        } catch (CryptoException | RuntimeException e) {
            return null;
        }
    }

    private static ObjectNode siteNode(SiteInfo site) {
        ObjectNode o = NODES.objectNode();
        o.put("version", site.dataFormatVersion());
        o.put("protocolVersion", site.protocolMajor() + "." + site.protocolMinor());
        o.put("serialNumber", site.serialNumber());
        o.put("primarySite", site.primary());
        o.put("multiPrimary", site.multiPrimary());
        if (site.hashOption() != SiteInfo.HASH_BY_HANDLE) {
            o.put("hashOption", site.hashOption());
        }
        if (!site.hashFilter().isEmpty()) {
            o.put("hashFilter", site.hashFilter());
        }
        ArrayNode attrs = o.putArray("attributes");
        for (SiteInfo.Attribute a : site.attributes()) {
            attrs.addObject().put("name", a.name()).put("value", a.value());
        }
        ArrayNode servers = o.putArray("servers");
        for (ServerInfo s : site.servers()) {
            ObjectNode so = servers.addObject();
            so.put("serverId", s.serverId());
            so.put("address", addressText(s.address()));
            ObjectNode key = keyNode(s.publicKey());
            if (key == null) {
                key = NODES.objectNode().put("format", "base64")
                        .put("value", Base64.getEncoder().encodeToString(s.publicKey()));
            }
            so.set("publicKey", key);
            ArrayNode ifs = so.putArray("interfaces");
            for (ServiceInterface i : s.interfaces()) {
                ifs.addObject()
                        .put("query", (i.type() & ServiceInterface.QUERY) != 0)
                        .put("admin", (i.type() & ServiceInterface.ADMIN) != 0)
                        .put("protocol", i.protocol() < INTERFACE_PROTOCOLS.length
                                ? INTERFACE_PROTOCOLS[i.protocol()] : Integer.toString(i.protocol()))
                        .put("port", i.port());
            }
        }
        return o;
    }

    private static String addressText(byte[] addr16) {
        boolean v4 = true;
        for (int i = 0; i < 12; i++) {
            if (addr16[i] != 0) {
                v4 = false;
                break;
            }
        }
        try {
            return InetAddress.getByAddress(v4 ? Arrays.copyOfRange(addr16, 12, 16) : addr16).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    /** The data as text if it is UTF-8 without control bytes 0x00–0x08, 0x14–0x1F and 0x7F (§8), else null. */
    static String printableUtf8(byte[] data) {
        for (byte b : data) {
            int c = b & 0xFF;
            if (c <= 0x08 || c >= 0x14 && c <= 0x1F || c == 0x7F) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Value permissions as 4 characters: admin-read, admin-write, public-read, public-write. */
    static String permissionString(int p) {
        return bits(p, 4);
    }

    /** HS_ADMIN permissions as 12 characters, left = bit 11 (§5.2). */
    static String adminPermissionString(int p) {
        return bits(p, 12);
    }

    private static String bits(int p, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (p & (1 << (n - 1 - i))) != 0 ? '1' : '0';
        }
        return new String(c);
    }

    // ---------------------------------------------------------------- input

    /** Parses one JSON Lines record {@code {"handle": "...", "values": [...]}}. */
    public static HandleRecord parseRecord(String json, int defaultTimestamp) throws JsonFormatException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new JsonFormatException("not valid JSON: " + e.getOriginalMessage());
        }
        return recordFromJson(node, defaultTimestamp);
    }

    /** A record from its JSON object; value indexes must be positive and unique. */
    public static HandleRecord recordFromJson(JsonNode node, int defaultTimestamp) throws JsonFormatException {
        if (node == null || !node.isObject()) {
            throw new JsonFormatException("a record must be a JSON object {\"handle\": ..., \"values\": [...]}");
        }
        JsonNode h = node.get("handle");
        if (h == null || !h.isTextual() || h.asText().isEmpty()) {
            throw new JsonFormatException("\"handle\" must be a non-empty string");
        }
        String handle = h.asText();
        if (handle.indexOf('/') <= 0) {
            throw new JsonFormatException("handle '" + handle + "' must look like prefix/suffix");
        }
        JsonNode values = node.get("values");
        if (values == null || !values.isArray() || values.isEmpty()) {
            throw new JsonFormatException("\"values\" must be a non-empty array");
        }
        List<HandleValue> out = new ArrayList<>(values.size());
        Set<Integer> seen = new HashSet<>();
        for (JsonNode v : values) {
            HandleValue value = valueFromJson(v, defaultTimestamp);
            if (!seen.add(value.index())) {
                throw new JsonFormatException("index " + value.index() + " appears twice");
            }
            out.add(value);
        }
        return HandleRecord.of(handle, out);
    }

    /** A value from its JSON object (§8 value object; data as a bare string or {format, value}). */
    public static HandleValue valueFromJson(JsonNode v, int defaultTimestamp) throws JsonFormatException {
        if (v == null || !v.isObject()) {
            throw new JsonFormatException("each value must be a JSON object");
        }
        JsonNode idx = v.get("index");
        if (idx == null || !idx.canConvertToInt() || !idx.isIntegralNumber()) {
            throw new JsonFormatException("value \"index\" must be an integer");
        }
        int index = idx.asInt();
        if (index <= 0) {
            throw new JsonFormatException("value index must be > 0, got " + index);
        }
        JsonNode t = v.get("type");
        if (t == null || !t.isTextual()) {
            throw new JsonFormatException("value " + index + ": \"type\" must be a string");
        }
        String type = t.asText();
        HandleValue.Builder b = HandleValue.builder(index, type);
        b.data(dataFromJson(v.get("data"), type, index));
        JsonNode perms = v.get("permissions");
        if (perms != null) {
            b.permissions(parseBits(perms, 4, "value " + index + " permissions"));
        }
        JsonNode ttl = v.get("ttl");
        if (ttl != null) {
            if (ttl.isIntegralNumber() && ttl.canConvertToInt()) {
                b.ttl(HandleValue.TTL_RELATIVE, ttl.asInt());
            } else if (ttl.isTextual()) {
                b.ttl(HandleValue.TTL_ABSOLUTE, (int) instant(ttl.asText(), "value " + index + " ttl"));
            } else {
                throw new JsonFormatException("value " + index + ": \"ttl\" must be seconds or an ISO-8601 time");
            }
        }
        JsonNode ts = v.get("timestamp");
        b.timestamp(ts == null ? defaultTimestamp : (int) instant(ts.asText(), "value " + index + " timestamp"));
        JsonNode refs = v.get("references");
        if (refs != null) {
            b.references(references(refs, "value " + index + " references"));
        }
        return b.build();
    }

    private static long instant(String text, String what) throws JsonFormatException {
        long seconds = plainUtcSeconds(text);
        if (seconds != NOT_PLAIN_UTC) {
            return seconds;
        }
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw new JsonFormatException(what + " must be an ISO-8601 UTC time like 2026-01-31T12:00:00Z, got '"
                    + text + "'");
        }
    }

    /** What {@link #plainUtcSeconds} returns for text it leaves to {@link Instant#parse}. */
    static final long NOT_PLAIN_UTC = Long.MIN_VALUE;

    /**
     * The seconds of {@code yyyy-MM-ddTHH:mm:ssZ}, the form {@link #valueToJson} writes, read directly: the
     * general parser costs about a microsecond a time and a bulk import reads several times a line. Any other
     * text, or a field out of its plain range (e.g. a leap second), gives {@link #NOT_PLAIN_UTC} and is left to
     * {@link Instant#parse}, so what is accepted, and every error message, stays the same.
     */
    static long plainUtcSeconds(String s) {
        if (s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
            return NOT_PLAIN_UTC;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return NOT_PLAIN_UTC;
        }
        if (!YearMonth.of(year, month).isValidDay(day)) {
            return NOT_PLAIN_UTC;
        }
        return LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3_600 + minute * 60 + second;
    }

    /** The value of {@code n} ASCII digits at {@code from}, or -1 if any is not a digit. */
    private static int digits(String s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static List<ValueReference> references(JsonNode refs, String what) throws JsonFormatException {
        if (!refs.isArray()) {
            throw new JsonFormatException(what + " must be an array of {\"handle\", \"index\"}");
        }
        List<ValueReference> out = new ArrayList<>();
        for (JsonNode r : refs) {
            JsonNode h = r.get("handle");
            JsonNode i = r.get("index");
            if (h == null || !h.isTextual() || i == null || !i.isIntegralNumber()) {
                throw new JsonFormatException(what + ": each entry needs a string \"handle\" and an integer \"index\"");
            }
            out.add(new ValueReference(h.asText(), i.asInt()));
        }
        return out;
    }

    private static byte[] dataFromJson(JsonNode data, String type, int index) throws JsonFormatException {
        String what = "value " + index + " data";
        if (data == null || data.isNull()) {
            return new byte[0];
        }
        if (data.isTextual()) {
            return data.asText().getBytes(StandardCharsets.UTF_8);
        }
        if (!data.isObject() || !data.has("format")) {
            throw new JsonFormatException(what + " must be a string or {\"format\": ..., \"value\": ...}");
        }
        String format = data.get("format").asText();
        JsonNode value = data.get("value");
        if (value == null) {
            throw new JsonFormatException(what + " has no \"value\"");
        }
        try {
            switch (format) {
                case "string":
                    return value.asText().getBytes(StandardCharsets.UTF_8);
                case "base64":
                    return Base64.getDecoder().decode(value.asText());
                case "hex":
                    return HexFormat.of().parseHex(value.asText());
                case "admin": {
                    JsonNode h = value.get("handle");
                    JsonNode i = value.get("index");
                    if (h == null || !h.isTextual() || i == null || !i.isIntegralNumber()) {
                        throw new JsonFormatException(what + ": admin needs \"handle\", \"index\" and \"permissions\"");
                    }
                    int perms = parseBits(value.get("permissions"), 12, what + " permissions");
                    return AdminValueCodec.encode(new AdminValue(perms, h.asText(), i.asInt()));
                }
                case "vlist":
                    return ValueListCodec.encode(references(value, what));
                case "site":
                    return SiteInfoCodec.encode(siteFromJson(value, what));
                case "key":
                    return KeyFormat.CODEC.encodePublicKey(KeyFormat.JWK.fromJwk(jwkMap(value, what)));
                default:
                    throw new JsonFormatException(what + ": unknown format '" + format
                            + "' (string, base64, hex, admin, vlist, site, key)");
            }
        } catch (IllegalArgumentException | CryptoException e) {
            throw new JsonFormatException(what + " is not valid " + format + ": " + e.getMessage());
        }
    }

    private static Map<String, String> jwkMap(JsonNode value, String what) throws JsonFormatException {
        if (!value.isObject()) {
            throw new JsonFormatException(what + ": a key must be a JWK object");
        }
        Map<String, String> m = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    private static SiteInfo siteFromJson(JsonNode v, String what) throws JsonFormatException {
        if (!v.isObject()) {
            throw new JsonFormatException(what + ": a site must be an object");
        }
        String[] pv = v.path("protocolVersion").asText("2.11").split("\\.");
        List<SiteInfo.Attribute> attrs = new ArrayList<>();
        for (JsonNode a : v.path("attributes")) {
            attrs.add(new SiteInfo.Attribute(a.path("name").asText(), a.path("value").asText()));
        }
        List<ServerInfo> servers = new ArrayList<>();
        for (JsonNode s : v.path("servers")) {
            byte[] addr16 = new byte[16];
            try {
                byte[] raw = InetAddress.getByName(s.path("address").asText()).getAddress();
                System.arraycopy(raw, 0, addr16, 16 - raw.length, raw.length);
            } catch (UnknownHostException e) {
                throw new JsonFormatException(what + ": server address must be a literal IP address");
            }
            JsonNode pk = s.get("publicKey");
            byte[] key = pk == null ? new byte[0] : dataFromJson(pk, "HS_PUBKEY", 0);
            List<ServiceInterface> ifs = new ArrayList<>();
            for (JsonNode i : s.path("interfaces")) {
                int type = (i.path("query").asBoolean() ? ServiceInterface.QUERY : 0)
                        | (i.path("admin").asBoolean() ? ServiceInterface.ADMIN : 0);
                int proto = Arrays.asList(INTERFACE_PROTOCOLS).indexOf(i.path("protocol").asText());
                if (proto < 0) {
                    throw new JsonFormatException(what + ": interface protocol must be UDP, TCP, HTTP or HTTPS");
                }
                ifs.add(new ServiceInterface(type, proto, i.path("port").asInt()));
            }
            servers.add(new ServerInfo(s.path("serverId").asInt(1), addr16, key, ifs));
        }
        return new SiteInfo(v.path("version").asInt(1), Integer.parseInt(pv[0]),
                pv.length > 1 ? Integer.parseInt(pv[1]) : 0, v.path("serialNumber").asInt(1),
                v.path("primarySite").asBoolean(), v.path("multiPrimary").asBoolean(),
                v.path("hashOption").asInt(SiteInfo.HASH_BY_HANDLE), v.path("hashFilter").asText(""), attrs,
                servers);
    }

    /**
     * Permission bits from a string of '0'/'1' of length {@code n} (left = highest bit), "*" (all), a
     * boolean (all or none), a number, or an array of bit strings (OR-ed).
     */
    private static int parseBits(JsonNode p, int n, String what) throws JsonFormatException {
        int all = (1 << n) - 1;
        if (p == null || p.isNull()) {
            throw new JsonFormatException(what + " missing");
        }
        if (p.isBoolean()) {
            return p.asBoolean() ? all : 0;
        }
        if (p.isIntegralNumber()) {
            int v = p.asInt();
            if ((v & ~all) != 0) {
                throw new JsonFormatException(what + " must fit in " + n + " bits, got " + v);
            }
            return v;
        }
        if (p.isArray()) {
            int v = 0;
            for (JsonNode e : p) {
                v |= parseBits(e, n, what);
            }
            return v;
        }
        String s = p.asText();
        if (s.equals("*")) {
            return all;
        }
        if (s.length() != n || !s.chars().allMatch(c -> c == '0' || c == '1')) {
            throw new JsonFormatException(what + " must be " + n + " characters of 0/1, got '" + s + "'");
        }
        return Integer.parseInt(s, 2);
    }
}
