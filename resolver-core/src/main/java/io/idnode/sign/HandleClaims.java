package io.idnode.sign;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON claims of an HS_SIGNATURE or HS_CERT payload (handle-protocol.md §5.6, cn-extensions.md §5.1):
 * {@code perms}, {@code digests}, {@code chain}, {@code publicKey} (a JWK), {@code content}, {@code iss},
 * {@code sub}, {@code exp}, {@code nbf}, {@code iat}, written in that order as the stock library and the
 * Chinese SDK write them, read in any order; other members are ignored. Immutable.
 *
 * @param perms the permissions a certificate grants; empty for a record signature
 * @param digests the signed values; null for a certificate
 * @param chain where to find the issuer's certificate instead of {@code iss}; empty when absent
 * @param publicKey the certified key as JWK members; null for a record signature
 * @param content free text some signers add; null when absent
 * @param iss the issuer, {@code index:handle}
 * @param sub the signed handle (record signature) or the certified key's {@code index:handle}
 * @param exp expiry, Unix seconds; null when absent
 * @param nbf not before, Unix seconds; null when absent
 * @param iat issued at, Unix seconds; null when absent
 */
public record HandleClaims(List<Permission> perms, Digests digests, List<String> chain,
        Map<String, String> publicKey, String content, String iss, String sub, Long exp, Long nbf, Long iat) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();

    /** The {@code digests} claim: the hash algorithm and one digest per signed value. */
    public record Digests(String alg, List<ValueDigest> digests) {
        public Digests {
            Objects.requireNonNull(alg, "alg");
            digests = List.copyOf(digests);
        }
    }

    /** One signed value: its index and the base64 digest of its encoding without index and timestamp. */
    public record ValueDigest(int index, String digest) {
        public ValueDigest {
            Objects.requireNonNull(digest, "digest");
        }
    }

    public HandleClaims {
        perms = List.copyOf(perms);
        chain = List.copyOf(chain);
        publicKey = publicKey == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(publicKey));
        Objects.requireNonNull(iss, "iss");
        Objects.requireNonNull(sub, "sub");
    }

    /** True if the issuer certified itself: a root ({@code iss} equals {@code sub}). */
    public boolean selfIssued() {
        return iss.equals(sub);
    }

    /** True if {@code now} (Unix seconds) lies within {@code nbf}..{@code exp} (absent bounds do not limit). */
    public boolean inDateRange(long now) {
        return (nbf == null || nbf <= now) && (exp == null || now <= exp);
    }

    /** The payload bytes, members in the stock order. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (!perms.isEmpty()) {
                g.writeArrayFieldStart("perms");
                for (Permission p : perms) {
                    g.writeStartObject();
                    if (p.handle() != null) {
                        g.writeStringField("handle", p.handle());
                    }
                    g.writeStringField("perm", p.kind().jsonName());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (digests != null) {
                g.writeObjectFieldStart("digests");
                g.writeStringField("alg", digests.alg());
                g.writeArrayFieldStart("digests");
                for (ValueDigest d : digests.digests()) {
                    g.writeStartObject();
                    g.writeNumberField("index", d.index());
                    g.writeStringField("digest", d.digest());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (!chain.isEmpty()) {
                g.writeArrayFieldStart("chain");
                for (String c : chain) {
                    g.writeString(c);
                }
                g.writeEndArray();
            }
            if (publicKey != null) {
                g.writeObjectFieldStart("publicKey");
                String kty = publicKey.get("kty");
                if (kty != null) {
                    g.writeStringField("kty", kty);
                }
                for (Map.Entry<String, String> e : orderedMembers(publicKey)) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            if (content != null) {
                g.writeStringField("content", content);
            }
            g.writeStringField("iss", iss);
            g.writeStringField("sub", sub);
            writeTime(g, "exp", exp);
            writeTime(g, "nbf", nbf);
            writeTime(g, "iat", iat);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a payload.
     *
     * @throws SignatureFormatException if it is not a JSON object, {@code iss} or {@code sub} is missing, or a
     *     claim has the wrong type
     */
    public static HandleClaims parse(byte[] payload) throws SignatureFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new SignatureFormatException("payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new SignatureFormatException("payload is not a JSON object");
        }
        List<Permission> perms = new ArrayList<>();
        for (JsonNode p : array(root, "perms")) {
            Permission.Kind kind = Permission.Kind.ofJsonName(text(p, "perm", true));
            if (kind == null) {
                throw new SignatureFormatException("unknown permission \"" + p.path("perm").asText() + "\"");
            }
            String handle = text(p, "handle", kind != Permission.Kind.EVERYTHING);
            perms.add(new Permission(kind == Permission.Kind.EVERYTHING ? null : handle, kind));
        }
        Digests digests = null;
        JsonNode d = root.get("digests");
        if (d != null && !d.isNull()) {
            List<ValueDigest> list = new ArrayList<>();
            for (JsonNode v : array(d, "digests")) {
                JsonNode index = v.get("index");
                if (index == null || !index.canConvertToInt()) {
                    throw new SignatureFormatException("digest without an integer \"index\"");
                }
                list.add(new ValueDigest(index.intValue(), text(v, "digest", true)));
            }
            digests = new Digests(text(d, "alg", true), list);
        }
        List<String> chain = new ArrayList<>();
        for (JsonNode c : array(root, "chain")) {
            if (!c.isTextual()) {
                throw new SignatureFormatException("\"chain\" holds a non-string");
            }
            chain.add(c.asText());
        }
        Map<String, String> key = null;
        JsonNode k = root.get("publicKey");
        if (k != null && !k.isNull()) {
            if (!k.isObject()) {
                throw new SignatureFormatException("\"publicKey\" is not a JWK object");
            }
            key = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = k.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    key.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        return new HandleClaims(perms, digests, chain, key, text(root, "content", false), text(root, "iss", true),
                text(root, "sub", true), time(root, "exp"), time(root, "nbf"), time(root, "iat"));
    }

    private static List<Map.Entry<String, String>> orderedMembers(Map<String, String> jwk) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> e : jwk.entrySet()) {
            if (!e.getKey().equals("kty")) {
                out.add(e);
            }
        }
        return out;
    }

    private static void writeTime(JsonGenerator g, String name, Long value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value);
        }
    }

    private static Iterable<JsonNode> array(JsonNode node, String name) throws SignatureFormatException {
        JsonNode a = node.get(name);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new SignatureFormatException("\"" + name + "\" is not an array");
        }
        return a;
    }

    private static String text(JsonNode node, String name, boolean required) throws SignatureFormatException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw new SignatureFormatException("claim \"" + name + "\" is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new SignatureFormatException("claim \"" + name + "\" is not a string");
        }
        return v.asText();
    }

    private static Long time(JsonNode node, String name) throws SignatureFormatException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new SignatureFormatException("claim \"" + name + "\" is not a number of seconds");
        }
        return v.longValue();
    }
}
