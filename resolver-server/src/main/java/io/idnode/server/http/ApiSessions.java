package io.idnode.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.model.ValueReference;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.http.HandleAuthenticator.ServerProof;
import io.idnode.server.http.HttpSessions.Session;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The {@code Authorization: Handle} scheme and its sessions (handle-protocol.md §8.1), over HTTPS only. A session is
 * made by {@code POST /api/sessions} or by any 401, whose {@code WWW-Authenticate: Handle} names a new one with its
 * nonce; the client signs {@code nonce ‖ cnonce} with its key and sends {@code id}, {@code type}, {@code cnonce},
 * {@code alg}, {@code signature} with the {@code sessionId}, on {@code /api/sessions/this} or on any API request;
 * {@link HandleAuthenticator} judges the proof. From then on the session's id alone, in the header or the
 * {@value #COOKIE} cookie, makes requests run as that identity, and the request chain decides what it may do.
 */
final class ApiSessions {
    /** The cookie that carries a session's id (HTTPS only, not readable by scripts). */
    static final String COOKIE = "HandleSessionId";
    static final String SESSIONS = "/api/sessions";
    static final String THIS = SESSIONS + "/this";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpSessions sessions;
    private final HandleAuthenticator authenticator;

    ApiSessions(HttpSessions sessions, HandleAuthenticator authenticator) {
        this.sessions = sessions;
        this.authenticator = authenticator;
    }

    /** What one request learned of its session, used when its response is written. */
    static final class Use {
        private Session session;
        private ServerProof proof;
        private boolean setCookie;
    }

    /**
     * Who sends {@code request}: a Basic credential ({@link Credential#of}), the identity of its Handle session
     * (authenticated now if it carries a proof), or nobody (null). Fails with an {@link ApiProblem}: 403 on plain
     * HTTP, 401 for a session that is unknown or a proof that fails.
     */
    CompletableFuture<Credential> caller(FullHttpRequest request, ApiParameters params, HttpExchange exchange,
            Use use) throws ApiProblem {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        HandleAuthorization handle = header != null ? HandleAuthorization.ofHeader(header)
                : HandleAuthorization.ofParameters(params::one);
        if (header != null && handle == null) {
            return CompletableFuture.completedFuture(Credential.of(request, exchange));
        }
        if (handle == null) {
            Session s = exchange.secure() ? sessions.find(cookie(request)) : null;
            use.session = s;
            return CompletableFuture.completedFuture(s == null || s.identity() == null ? null
                    : Credential.proven(s.identity()));
        }
        Session s = session(handle, exchange);
        use.session = s;
        if (handle.asksServerSignature()) {
            use.proof = authenticator.serverProof(s.nonce(), handle.cnonce());
        }
        if (!handle.authenticates()) {
            return CompletableFuture.completedFuture(s.identity() == null ? null : Credential.proven(s.identity()));
        }
        return authenticator.verify(handle, s.nonce(), exchange).thenApply(id -> {
            s.authenticated(id);
            use.setCookie = true;
            return Credential.proven(id);
        });
    }

    /** The session {@code handle} names, live; refused if it names none, or on plain HTTP. */
    private Session session(HandleAuthorization handle, HttpExchange exchange) throws ApiProblem {
        if (!exchange.secure()) {
            throw new ApiProblem(HttpResponseStatus.FORBIDDEN, ResponseCode.AUTHENTICATION_NEEDED,
                    "authentication needs HTTPS (the node's --https-port); nothing was done");
        }
        if (handle.sessionId() == null) {
            throw new ApiProblem(HttpResponseStatus.UNAUTHORIZED, ResponseCode.AUTHENTICATION_NEEDED,
                    "Authorization: Handle needs the sessionId whose nonce was signed (POST " + SESSIONS
                            + ", or the WWW-Authenticate of a 401, makes one)");
        }
        Session s = sessions.find(handle.sessionId());
        if (s == null) {
            throw new ApiProblem(HttpResponseStatus.UNAUTHORIZED, ResponseCode.SESSION_TIMEOUT,
                    "session " + handle.sessionId() + " is unknown or expired; start another");
        }
        return s;
    }

    /**
     * {@code response} as the scheme wants it: a 401 over HTTPS names a session and its nonce in
     * {@code WWW-Authenticate: Handle} (the request's own session, else a new one) beside Basic unless the request
     * is a script's ({@code X-Requested-With: XMLHttpRequest}); the server's proof goes in {@code Authentication-Info};
     * a session just authenticated is set as a cookie.
     */
    FullHttpResponse finish(FullHttpResponse response, FullHttpRequest request, HttpExchange exchange, Use use) {
        if (!exchange.secure()) {
            return response;
        }
        if (response.status().equals(HttpResponseStatus.UNAUTHORIZED)) {
            Session s = use.session != null ? use.session : sessions.create(exchange.remote().getAddress());
            response.headers().remove(HttpHeaderNames.WWW_AUTHENTICATE);
            if (s != null) {
                response.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, HandleAuthorization.SCHEME + " sessionId=\""
                        + s.id() + "\", nonce=\"" + s.nonceBase64() + "\"");
            }
            if (!"XMLHttpRequest".equalsIgnoreCase(request.headers().get("X-Requested-With"))) {
                response.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"handle\"");
            }
        }
        if (use.proof != null) {
            response.headers().set("Authentication-Info", HandleAuthorization.SCHEME + " sessionId=\""
                    + use.session.id() + "\", serverAlg=\"" + use.proof.alg() + "\", serverSignature=\""
                    + use.proof.signature() + "\"");
        }
        if (use.setCookie && use.session != null) {
            response.headers().add(HttpHeaderNames.SET_COOKIE, cookieOf(use.session));
        }
        return response;
    }

    // ------------------------------------------------------------------ /api/sessions

    /** True for the paths this class answers itself. */
    static boolean isSessions(String path) {
        return path.equals(SESSIONS) || path.startsWith(SESSIONS + "/");
    }

    /** Parameters {@code /api/sessions/this} takes besides the output ones. */
    static final Set<String> PARAMETERS = Set.of("type");

    /**
     * {@code POST /api/sessions} makes a session (201); on {@code /api/sessions/this} GET, PUT and POST authenticate
     * the session if the request carries a proof and report it, DELETE ends it (204). Anything else: 403 or 405.
     */
    CompletableFuture<FullHttpResponse> answer(FullHttpRequest request, String path, ApiParameters params,
            HttpExchange exchange, Use use) throws ApiProblem {
        if (!exchange.secure()) {
            throw new ApiProblem(HttpResponseStatus.FORBIDDEN, ResponseCode.PROTOCOL_ERROR,
                    "sessions need HTTPS (the node's --https-port)");
        }
        HttpMethod method = request.method();
        if (path.equals(SESSIONS) || path.equals(SESSIONS + "/")) {
            if (!method.equals(HttpMethod.POST)) {
                throw new ApiProblem(HttpResponseStatus.METHOD_NOT_ALLOWED, ResponseCode.PROTOCOL_ERROR,
                        method + " is not allowed on " + SESSIONS + "; POST makes a session");
            }
            Session s = sessions.create(exchange.remote().getAddress());
            if (s == null) {
                throw new ApiProblem(HttpResponseStatus.SERVICE_UNAVAILABLE, ResponseCode.SERVER_TOO_BUSY,
                        "no room for another session (too many live, or too many from your address); end one or"
                                + " retry later");
            }
            ObjectNode body = MAPPER.createObjectNode().put("sessionId", s.id()).put("nonce", s.nonceBase64());
            FullHttpResponse r = json(HttpResponseStatus.CREATED, body);
            r.headers().set(HttpHeaderNames.LOCATION, THIS);
            r.headers().add(HttpHeaderNames.SET_COOKIE, cookieOf(s));
            return CompletableFuture.completedFuture(r);
        }
        if (!path.equals(THIS)) {
            throw new ApiProblem(HttpResponseStatus.FORBIDDEN, ResponseCode.PROTOCOL_ERROR,
                    "only " + THIS + " can be asked about, not " + path);
        }
        if (method.equals(HttpMethod.DELETE)) {
            String id = named(request, params);
            if (id != null) {
                sessions.end(id);
            }
            FullHttpResponse r = HttpResponses.body(HttpResponseStatus.NO_CONTENT, HttpResponses.JSON, new byte[0]);
            DefaultCookie gone = new DefaultCookie(COOKIE, "");
            gone.setMaxAge(0);
            gone.setPath("/");
            r.headers().add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(gone));
            return CompletableFuture.completedFuture(r);
        }
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.PUT) && !method.equals(HttpMethod.POST)) {
            throw new ApiProblem(HttpResponseStatus.METHOD_NOT_ALLOWED, ResponseCode.PROTOCOL_ERROR,
                    method + " is not allowed on " + THIS);
        }
        CompletableFuture<Credential> proving;
        try {
            proving = caller(request, params, exchange, use);
        } catch (ApiProblem p) {
            proving = CompletableFuture.failedFuture(p);
        }
        return proving.handle((who, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause()
                        : failure;
                if (cause instanceof ApiProblem p) {
                    return json(p.status, MAPPER.createObjectNode().put("authenticated", false)
                            .put("error", p.getMessage()));
                }
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return json(HttpResponseStatus.OK, report(use));
        });
    }

    private static ObjectNode report(Use use) {
        ObjectNode body = MAPPER.createObjectNode();
        Session s = use.session;
        if (s != null) {
            body.put("sessionId", s.id()).put("nonce", s.nonceBase64());
        }
        ValueReference id = s == null ? null : s.identity();
        body.put("authenticated", id != null);
        if (id != null) {
            body.put("id", id.index() + ":" + id.handle());
        }
        if (use.proof != null) {
            body.put("serverAlg", use.proof.alg()).put("serverSignature", use.proof.signature());
        }
        return body;
    }

    /** The session a request names: in its Handle header or parameters, else in its cookie. */
    private String named(FullHttpRequest request, ApiParameters params) throws ApiProblem {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        HandleAuthorization handle = header != null ? HandleAuthorization.ofHeader(header)
                : HandleAuthorization.ofParameters(params::one);
        return handle != null && handle.sessionId() != null ? handle.sessionId() : cookie(request);
    }

    private static String cookie(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.STRICT.decodeAll(header)) {
            if (c.name().equals(COOKIE)) {
                return c.value();
            }
        }
        return null;
    }

    private static String cookieOf(Session s) {
        DefaultCookie c = new DefaultCookie(COOKIE, s.id());
        c.setPath("/");
        c.setSecure(true);
        c.setHttpOnly(true);
        c.setSameSite(CookieHeaderNames.SameSite.Strict);
        return ServerCookieEncoder.STRICT.encode(c);
    }

    private static FullHttpResponse json(HttpResponseStatus status, ObjectNode body) {
        return HttpResponses.body(status, HttpResponses.JSON, body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
