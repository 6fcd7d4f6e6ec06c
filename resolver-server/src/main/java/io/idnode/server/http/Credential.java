package io.idnode.server.http;

import io.idnode.model.ValueReference;
import io.idnode.protocol.ResponseCode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Who a REST request says it is (handle-protocol.md §8): HTTP Basic with {@code INDEX:HANDLE} (percent-encoded) as
 * the user and the HS_SECKEY secret as the password. Only over HTTPS; on plain HTTP any credential is refused with
 * 403 (§8.1). The chain checks it: the front answers the chain's challenge with it, as a client would. An identity
 * an HTTP session proved ({@link #proven}) carries no secret and runs as itself.
 */
record Credential(ValueReference identity, byte[] secret) {
    /** An identity proven already (by an authenticated session of the Handle scheme, §8.1): it has no secret. */
    static Credential proven(ValueReference identity) {
        return new Credential(identity, null);
    }

    /** True for an identity proven already, false for a secret the chain checks. */
    boolean proven() {
        return secret == null;
    }

    /** Parameter names of the Handle authorization scheme, accepted as query or body parameters (§8.1). */
    static final Set<String> PARAMETERS = Set.of("sessionId", "id", "cnonce", "alg", "signature", "salt", "iterations",
            "length", "version");

    /** The credential of {@code request}, null if it has none. */
    static Credential of(FullHttpRequest request, HttpExchange exchange) throws ApiProblem {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return null;
        }
        if (!exchange.secure()) {
            throw new ApiProblem(HttpResponseStatus.FORBIDDEN, ResponseCode.AUTHENTICATION_NEEDED,
                    "authentication needs HTTPS (the node's --https-port); nothing was done");
        }
        String[] scheme = header.strip().split("\\s+", 2);
        if (scheme.length != 2 || !scheme[0].toLowerCase(Locale.ROOT).equals("basic")) {
            throw new ApiProblem(HttpResponseStatus.UNAUTHORIZED, ResponseCode.AUTHENTICATION_NEEDED,
                    "Authorization scheme '" + scheme[0] + "' is not served here; use Basic with INDEX:HANDLE and the"
                            + " secret key, or Handle (POST /api/sessions)");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(scheme[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unreadable();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw unreadable();
        }
        String user = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        if (user.chars().allMatch(Character::isDigit)) { // "300:0.NA/x:secret" sent without percent-encoding
            int next = secret.indexOf(':');
            if (next <= 0) {
                throw unreadable();
            }
            user = user + ":" + secret.substring(0, next);
            secret = secret.substring(next + 1);
        }
        String id;
        try {
            id = QueryStringDecoder.decodeComponent(user, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unreadable();
        }
        int sep = id.indexOf(':');
        try {
            return new Credential(new ValueReference(id.substring(sep + 1), Integer.parseInt(id.substring(0, sep))),
                    secret.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw unreadable();
        }
    }

    private static ApiProblem unreadable() {
        return new ApiProblem(HttpResponseStatus.UNAUTHORIZED, ResponseCode.INVALID_CREDENTIAL,
                "Basic credentials must be base64 of INDEX:HANDLE (percent-encoded) ':' SECRET");
    }
}
