package io.idnode.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.crypto.SignatureAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * One compact JWS as HS_SIGNATURE and HS_CERT hold it (handle-protocol.md §5.6): base64url (no padding) of
 * the header {@code {"alg":...}}, of the payload and of the signature, joined by dots. The signature covers
 * the ASCII of the first two parts. Immutable.
 *
 * @param compact the serialised form, exactly as stored
 * @param algorithm the registry entry the header's {@code alg} names
 * @param payload the decoded payload bytes (JSON claims)
 * @param signature the decoded signature bytes
 */
public record Jws(String compact, SignatureAlgorithm algorithm, byte[] payload, byte[] signature) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    public Jws {
        Objects.requireNonNull(compact, "compact");
        Objects.requireNonNull(algorithm, "algorithm");
        payload = payload.clone();
        signature = signature.clone();
    }

    /**
     * Reads a compact JWS.
     *
     * @throws SignatureFormatException if it is not three base64url parts, the header is not JSON with a
     *     string {@code alg}, or {@code alg} names no registry algorithm
     */
    public static Jws parse(String compact) throws SignatureFormatException {
        String text = compact.strip();
        int first = text.indexOf('.');
        int second = first < 0 ? -1 : text.indexOf('.', first + 1);
        if (first < 0 || second < 0 || text.indexOf('.', second + 1) >= 0) {
            throw new SignatureFormatException("not a compact JWS (three base64url parts joined by dots)");
        }
        byte[] header = decode(text.substring(0, first), "header");
        byte[] payload = decode(text.substring(first + 1, second), "payload");
        byte[] signature = decode(text.substring(second + 1), "signature");
        String alg;
        try {
            JsonNode node = JSON.readTree(header);
            JsonNode a = node == null ? null : node.get("alg");
            if (a == null || !a.isTextual()) {
                throw new SignatureFormatException("JWS header has no \"alg\"");
            }
            alg = a.asText();
        } catch (IOException e) {
            throw new SignatureFormatException("JWS header is not JSON");
        }
        SignatureAlgorithm algorithm = SignatureAlgorithm.forJwsAlgorithm(alg).orElseThrow(() ->
                new SignatureFormatException("JWS algorithm \"" + alg + "\" is not supported ("
                        + SignatureAlgorithm.describe(SignatureAlgorithm::jwsAlgorithm) + ")"));
        return new Jws(text, algorithm, payload, signature);
    }

    /** A JWS of {@code payload} under {@code algorithm} whose signature over {@link #signingInput} is {@code signature}. */
    static Jws assemble(SignatureAlgorithm algorithm, byte[] payload, byte[] signature) {
        String input = signingInput(algorithm, payload);
        return new Jws(input + "." + B64URL.encodeToString(signature), algorithm, payload, signature);
    }

    /** The ASCII the signature of a JWS of {@code payload} under {@code algorithm} covers. */
    static String signingInput(SignatureAlgorithm algorithm, byte[] payload) {
        String header = "{\"alg\":\"" + algorithm.jwsAlgorithm() + "\"}";
        return B64URL.encodeToString(header.getBytes(StandardCharsets.US_ASCII)) + "."
                + B64URL.encodeToString(payload);
    }

    /** The bytes the signature covers: the first two parts as stored, with their dot. */
    public byte[] signingInput() {
        return compact.substring(0, compact.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    /** The payload as text. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Jws j && compact.equals(j.compact);
    }

    @Override
    public int hashCode() {
        return compact.hashCode();
    }

    @Override
    public String toString() {
        return compact;
    }

    private static byte[] decode(String part, String name) throws SignatureFormatException {
        if (part.isEmpty() && !name.equals("signature")) {
            throw new SignatureFormatException("JWS " + name + " is empty");
        }
        try {
            return B64URL_DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw new SignatureFormatException("JWS " + name + " is not base64url");
        }
    }
}
