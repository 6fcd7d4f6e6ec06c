package io.idnode.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.json.JsonFormatException;
import io.idnode.json.RecordJsonReader;
import io.idnode.json.RecordJsonWriter;
import io.idnode.model.HandleValue;
import io.idnode.model.Handles;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.CreateHandleResponse;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleListResponse;
import io.idnode.protocol.MessageBody.ReferralResponse;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageBody.SiteInfoResponse;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The JSON REST API (handle-protocol.md §8, §8.1) under {@code /api/}: each request becomes a {@link Message}
 * ({@link Requests}), answered by the request chain exactly as over UDP and TCP, and its replies become JSON in the
 * §8 forms with §8's HTTP statuses. The chain decides everything about records and permissions; this class only
 * maps. Requests with a body or parameters it cannot read are refused with 4xx and a message before the chain.
 */
final class ApiEndpoint implements HttpEndpoint {
    private static final String HANDLES = "/api/handles";
    private static final Set<String> OUTPUT = Set.of("pretty", "callback");
    private static final Set<String> RESOLVE = union(OUTPUT, "type", "index", "publicOnly", "auth", "cert",
            "doNotRefer");
    private static final Set<String> LIST = union(OUTPUT, "prefix", "page", "pageSize");
    private static final Set<String> PUT = union(OUTPUT, "index", "overwrite", "mintNewSuffix");
    private static final Set<String> DELETE = union(OUTPUT, "index");
    private static final Set<String> PREFIXES = union(OUTPUT, "prefix");
    private static final Pattern CALLBACK = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.]{0,127}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Set<String> SESSION = union(OUTPUT, "type");
    private static final Set<String> VERIFY = union(OUTPUT, "type", "nonce");

    private final ApiCalls calls;
    private final Clock clock;
    private final ApiSessions sessions;
    private final ApiVerifications verifications;
    private final AtomicInteger requestIds = new AtomicInteger();

    ApiEndpoint(ApiCalls calls, Clock clock, ApiSessions sessions, ApiVerifications verifications) {
        this.calls = calls;
        this.clock = clock;
        this.sessions = sessions;
        this.verifications = verifications;
    }

    @Override
    public boolean accepts(HttpRequest request, QueryStringDecoder uri) {
        String path = uri.path();
        return path.equals("/api") || path.startsWith("/api/");
    }

    @Override
    public CompletionStage<FullHttpResponse> answer(FullHttpRequest request, QueryStringDecoder uri,
            HttpExchange exchange) {
        if (request.method().equals(HttpMethod.OPTIONS)) {
            return CompletableFuture.completedFuture(options(uri.path(), request));
        }
        Output out = new Output(false, null);
        ApiSessions.Use use = new ApiSessions.Use();
        try {
            ApiParameters params = parameters(request, uri);
            out = output(params);
            Output o = out;
            String path = uri.path();
            CompletableFuture<FullHttpResponse> answered;
            if (ApiSessions.isSessions(path)) {
                answered = sessions.answer(request, path, params.only(SESSION), exchange, use);
            } else if (ApiVerifications.isVerifications(path)) {
                answered = verifications.answer(request.method(), params.only(VERIFY), exchange);
            } else {
                answered = sessions.caller(request, params, exchange, use)
                        .thenCompose(who -> routed(request, uri, params, o, exchange, who));
            }
            return answered.exceptionally(failure(out))
                    .thenApply(r -> cors(sessions.finish(r, request, exchange, use), request, path));
        } catch (ApiProblem p) {
            return CompletableFuture.completedFuture(cors(sessions.finish(out.error(p.status, p.code, null,
                    p.getMessage()), request, exchange, use), request, uri.path()));
        }
    }

    // ------------------------------------------------------------------ OPTIONS and CORS

    /** True for the read API a browser application on another origin may call: handles, prefixes, the site. */
    private static boolean readApi(String path) {
        return path.equals(HANDLES) || path.startsWith(HANDLES + "/") || path.equals("/api/site")
                || path.equals("/api/prefixes") || path.startsWith("/api/prefixes/");
    }

    /** The methods {@code path} answers (§8.1). */
    private static String allowed(String path) {
        if (path.equals(HANDLES) || path.startsWith(HANDLES + "/")) {
            return "GET, HEAD, PUT, DELETE, POST, OPTIONS";
        }
        if (path.equals("/api/prefixes") || path.startsWith("/api/prefixes/")) {
            return "GET, POST, DELETE, OPTIONS";
        }
        if (ApiSessions.isSessions(path)) {
            return "GET, PUT, POST, DELETE, OPTIONS";
        }
        return ApiVerifications.isVerifications(path) ? "GET, POST, OPTIONS" : "GET, OPTIONS";
    }

    /**
     * {@code OPTIONS}: 204 with {@code Allow}, and for the read API a CORS preflight's answer (any origin, reading
     * methods only, no credentials: a page elsewhere may read public records, never write or act as a session).
     */
    private static FullHttpResponse options(String path, FullHttpRequest request) {
        FullHttpResponse r = HttpResponses.body(HttpResponseStatus.NO_CONTENT, HttpResponses.TEXT, new byte[0]);
        r.headers().set(HttpHeaderNames.ALLOW, allowed(path));
        if (readApi(path) && request.headers().contains(HttpHeaderNames.ORIGIN)) {
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS");
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Accept, X-Requested-With");
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, 600);
        }
        return r;
    }

    /** A read API response to a request from a page ({@code Origin}) may be read by it (CORS). */
    private static FullHttpResponse cors(FullHttpResponse r, FullHttpRequest request, String path) {
        if (request.headers().contains(HttpHeaderNames.ORIGIN) && readApi(path)
                && (request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD))) {
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        return r;
    }

    private CompletableFuture<FullHttpResponse> routed(FullHttpRequest request, QueryStringDecoder uri,
            ApiParameters params, Output out, HttpExchange exchange, Credential who) {
        try {
            return route(request, uri, params, out, exchange, who);
        } catch (ApiProblem p) {
            return CompletableFuture.failedFuture(p);
        }
    }

    private java.util.function.Function<Throwable, FullHttpResponse> failure(Output out) {
        return t -> {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof ApiProblem p) {
                return out.error(p.status, p.code, null, p.getMessage());
            }
            throw t instanceof CompletionException c ? c : new CompletionException(t);
        };
    }

    private CompletableFuture<FullHttpResponse> route(FullHttpRequest request, QueryStringDecoder uri,
            ApiParameters params, Output out, HttpExchange exchange, Credential who) throws ApiProblem {
        String path = uri.path();
        HttpMethod method = request.method();
        if (path.equals(HANDLES) || path.equals(HANDLES + "/")) {
            if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.POST)) {
                return list(params.only(LIST), out, exchange, who);
            }
            throw notAllowed(method, path);
        }
        if (path.startsWith(HANDLES + "/")) {
            String handle = handleOf(request.uri());
            if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.POST)) {
                return resolve(handle, params.only(RESOLVE), out, exchange, who);
            }
            if (method.equals(HttpMethod.PUT)) {
                return put(handle, request, params.only(PUT), out, exchange, who);
            }
            if (method.equals(HttpMethod.DELETE)) {
                return delete(handle, params.only(DELETE), out, exchange, who);
            }
            throw notAllowed(method, path);
        }
        if (path.equals("/api/site") && method.equals(HttpMethod.GET)) {
            params.only(OUTPUT);
            return calls.ask(requests().siteInfo(), exchange, who).thenApply(replies -> {
                Message reply = replies.get(0);
                if (reply.body() instanceof SiteInfoResponse site) {
                    return out.json(HttpResponseStatus.OK, out.writer().writeSite(site.siteInfo()));
                }
                return out.reply(reply, "/", false, false);
            });
        }
        if (path.equals("/api/prefixes") || path.startsWith("/api/prefixes/")) {
            return prefixes(path, method, params.only(PREFIXES), out, exchange, who);
        }
        throw new ApiProblem(HttpResponseStatus.NOT_FOUND, ResponseCode.PROTOCOL_ERROR,
                "Unknown HTTP API endpoint " + path);
    }

    private static ApiProblem notAllowed(HttpMethod method, String path) {
        return new ApiProblem(HttpResponseStatus.METHOD_NOT_ALLOWED, ResponseCode.PROTOCOL_ERROR,
                method + " is not allowed on " + path);
    }

    private Requests requests() {
        return Requests.madeAt(clock.instant()).withRequestId(requestIds.incrementAndGet() & 0x7FFF_FFFF);
    }

    // ------------------------------------------------------------------ operations

    private CompletableFuture<FullHttpResponse> resolve(String handle, ApiParameters params, Output out,
            HttpExchange exchange, Credential who) throws ApiProblem {
        int flags = Requests.DEFAULT_FLAGS;
        if (!params.bool("publicOnly", who == null)) {
            flags &= ~OpFlags.PUBLIC_ONLY;
        }
        if (params.bool("auth", false)) {
            flags |= OpFlags.AUTHORITATIVE;
        }
        if (params.bool("doNotRefer", false)) {
            flags |= OpFlags.DO_NOT_REFER;
        }
        params.bool("cert", false); // a JSON reply carries no signature; accepted as the reference server does
        List<String> types = params.all("type");
        int[] indexes = params.indexes();
        Message m = types.isEmpty() && indexes.length == 0 ? requests().withFlags(flags).resolution(handle)
                : requests().withFlags(flags).resolution(handle, types, indexes);
        return calls.ask(m, exchange, who).thenApply(replies -> out.reply(replies.get(0), handle, true, false));
    }

    private CompletableFuture<FullHttpResponse> list(ApiParameters params, Output out, HttpExchange exchange,
            Credential who) throws ApiProblem {
        String prefix = params.one("prefix");
        if (prefix == null || prefix.isEmpty()) {
            throw ApiProblem.badRequest("listing needs ?prefix=, e.g. ?prefix=0.NA/88.100.1");
        }
        int page = params.integer("page", -1, 0, Integer.MAX_VALUE);
        int pageSize = params.integer("pageSize", -1, 1, Integer.MAX_VALUE);
        String prefixHandle = Handles.isPrefixHandle(prefix) ? prefix : Handles.prefixHandle(prefix);
        return calls.ask(requests().listHandles(prefixHandle), exchange, who).thenApply(replies -> {
            Message last = replies.get(replies.size() - 1);
            if (!last.responseCode().equals(ResponseCode.SUCCESS)) {
                return out.reply(last, prefix, false, false);
            }
            TreeSet<String> all = new TreeSet<>();
            for (Message r : replies) {
                if (r.body() instanceof HandleListResponse l) {
                    all.addAll(l.handles());
                }
            }
            List<String> handles = new ArrayList<>(all);
            int size = pageSize < 0 ? handles.size() : pageSize;
            int p = Math.max(page, 0);
            long from = pageSize < 0 ? 0 : (long) p * size;
            List<String> shown = from >= handles.size() ? List.of()
                    : handles.subList((int) from, (int) Math.min(handles.size(), from + size));
            return out.json(HttpResponseStatus.OK, out.writer().writeHandleList(prefix, handles.size(), p,
                    pageSize < 0 ? handles.size() : pageSize, shown));
        });
    }

    private CompletableFuture<FullHttpResponse> put(String handle, FullHttpRequest request, ApiParameters params,
            Output out, HttpExchange exchange, Credential who) throws ApiProblem {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiProblem(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, ResponseCode.PROTOCOL_ERROR,
                    "PUT needs Content-Type: application/json, was " + (type == null ? "none" : "'" + type + "'"));
        }
        List<HandleValue> values = values(handle, utf8(ByteBufUtil.getBytes(request.content()), "body"));
        boolean mint = params.bool("mintNewSuffix", false);
        boolean overwrite = params.bool("overwrite", true);
        int flags = Requests.DEFAULT_FLAGS;
        if (!params.has("index")) {
            if (mint) {
                String target = handle.endsWith("/") ? handle : handle + "/";
                return calls.ask(requests().withFlags(flags | OpFlags.MINT).createHandle(target, values), exchange,
                        who).thenApply(r -> out.reply(r.get(0), target, false, true));
            }
            Message exists = requests().withFlags(flags | OpFlags.AUTHORITATIVE).resolution(handle, List.of(), 0);
            Message create = requests().withFlags(overwrite ? flags | OpFlags.OVERWRITE : flags)
                    .createHandle(handle, values);
            return calls.answer(exists, exchange, false).thenCompose(before -> {
                boolean created = before.get(0).responseCode().equals(ResponseCode.HANDLE_NOT_FOUND);
                return calls.ask(create, exchange, who).thenApply(r -> out.reply(r.get(0), handle, false, created));
            });
        }
        if (!params.all("index").equals(List.of("various"))) {
            TreeSet<Integer> asked = new TreeSet<>();
            Arrays.stream(params.indexes()).forEach(asked::add);
            TreeSet<Integer> given = new TreeSet<>();
            values.forEach(v -> given.add(v.index()));
            if (!asked.equals(given)) {
                throw ApiProblem.badRequest("parameter 'index' " + asked + " must name the indexes of the body's values "
                        + given + " (or be 'various')");
            }
        }
        Message add = requests().withFlags(overwrite ? flags | OpFlags.OVERWRITE : flags).addValues(handle, values);
        return calls.ask(add, exchange, who).thenApply(r -> out.reply(r.get(0), handle, false, !overwrite));
    }

    private CompletableFuture<FullHttpResponse> delete(String handle, ApiParameters params, Output out,
            HttpExchange exchange, Credential who) throws ApiProblem {
        int[] indexes = params.indexes();
        Message m = params.has("index") ? requests().removeValues(handle, indexes) : requests().deleteHandle(handle);
        return calls.ask(m, exchange, who).thenApply(r -> out.reply(r.get(0), handle, false, false));
    }

    private CompletableFuture<FullHttpResponse> prefixes(String path, HttpMethod method, ApiParameters params,
            Output out, HttpExchange exchange, Credential who) throws ApiProblem {
        String named = path.length() > "/api/prefixes/".length() ? path.substring("/api/prefixes/".length())
                : params.one("prefix");
        if (method.equals(HttpMethod.GET) && named == null) {
            return calls.ask(requests().listHomedPrefixes("/"), exchange, who).thenApply(replies -> {
                Message last = replies.get(replies.size() - 1);
                if (!last.responseCode().equals(ResponseCode.SUCCESS)) {
                    return out.reply(last, "/", false, false);
                }
                List<String> all = new ArrayList<>();
                for (Message r : replies) {
                    if (r.body() instanceof HandleListResponse l) {
                        all.addAll(l.handles());
                    }
                }
                return out.json(HttpResponseStatus.OK, out.writer().writePrefixes(all));
            });
        }
        if (named == null || named.isEmpty()) {
            throw ApiProblem.badRequest("name the prefix: /api/prefixes/{prefix} or ?prefix=");
        }
        String prefixHandle = Handles.isPrefixHandle(named) ? named : Handles.prefixHandle(named);
        Message m;
        if (method.equals(HttpMethod.POST)) {
            m = requests().homePrefix(prefixHandle);
        } else if (method.equals(HttpMethod.DELETE)) {
            m = requests().unhomePrefix(prefixHandle);
        } else {
            throw notAllowed(method, path);
        }
        return calls.ask(m, exchange, who).thenApply(r -> out.reply(r.get(0), prefixHandle, false, false));
    }

    // ------------------------------------------------------------------ reading the request

    /** The handle of {@code /api/handles/{handle}}, percent-decoded from the raw target and required to be UTF-8. */
    static String handleOf(String target) throws ApiProblem {
        int end = target.length();
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String raw = target.substring(target.indexOf(HANDLES + "/") + HANDLES.length() + 1, end);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int v = i + 2 < raw.length() ? hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)) : -1;
                if (v < 0) {
                    throw new ApiProblem(HttpResponseStatus.BAD_REQUEST, ResponseCode.INVALID_HANDLE,
                            "handle has a malformed percent escape at '" + raw.substring(i) + "'");
                }
                bytes.write(v);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        String handle;
        try {
            handle = strictUtf8(bytes.toByteArray());
        } catch (CharacterCodingException e) {
            throw new ApiProblem(HttpResponseStatus.BAD_REQUEST, ResponseCode.INVALID_HANDLE,
                    "handle is not UTF-8 (percent-encode the UTF-8 bytes of the handle)");
        }
        if (handle.isEmpty()) {
            throw new ApiProblem(HttpResponseStatus.BAD_REQUEST, ResponseCode.INVALID_HANDLE, "no handle after "
                    + HANDLES + "/");
        }
        return handle;
    }

    private static int hex(char c) {
        int v = Character.digit(c, 16);
        return v < 0 ? -1000 : v;
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static String utf8(byte[] bytes, String what) throws ApiProblem {
        try {
            return strictUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw ApiProblem.badRequest("the " + what + " is not UTF-8");
        }
    }

    /** Query parameters, and for a POST with a JSON body its properties as well (§8). */
    private static ApiParameters parameters(FullHttpRequest request, QueryStringDecoder uri) throws ApiProblem {
        Map<String, List<String>> all = new LinkedHashMap<>(uri.parameters());
        if (request.method().equals(HttpMethod.POST) && request.content().isReadable()) {
            String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                throw new ApiProblem(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, ResponseCode.PROTOCOL_ERROR,
                        "a POST body must be Content-Type: application/json, was "
                                + (type == null ? "none" : "'" + type + "'"));
            }
            JsonNode body = tree(utf8(ByteBufUtil.getBytes(request.content()), "body"));
            if (!body.isObject()) {
                throw ApiProblem.badRequest("a POST body must be a JSON object of parameters");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> vs = new ArrayList<>(all.getOrDefault(e.getKey(), List.of()));
                if (e.getValue().isArray()) {
                    e.getValue().forEach(n -> vs.add(n.asText()));
                } else if (e.getValue().isValueNode()) {
                    vs.add(e.getValue().asText());
                } else {
                    throw ApiProblem.badRequest("parameter '" + e.getKey() + "' must be a string, number, boolean or"
                            + " array of them");
                }
                all.put(e.getKey(), vs);
            }
        }
        return new ApiParameters(all);
    }

    private static JsonNode tree(String text) throws ApiProblem {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null) {
                throw ApiProblem.badRequest("the body is empty; it must be JSON");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiProblem.badRequest("not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    /** The values of a PUT body: an array, {@code {"values": [...]}} (its {@code handle}, if any, must match), or one value. */
    private List<HandleValue> values(String handle, String text) throws ApiProblem {
        JsonNode body = tree(text);
        int now = (int) clock.instant().getEpochSecond();
        try {
            if (body.isArray()) {
                return nonEmpty(RecordJsonReader.STANDARD.readValues(text, now));
            }
            if (body.isObject() && body.has("values")) {
                JsonNode h = body.get("handle");
                if (h != null && !(h.isTextual() && h.asText().equalsIgnoreCase(handle))) {
                    throw ApiProblem.badRequest("the body's handle " + h + " is not the handle of the path '" + handle
                            + "'");
                }
                return nonEmpty(RecordJsonReader.STANDARD.readValues(text, now));
            }
            if (body.isObject()) {
                return List.of(RecordJsonReader.STANDARD.readValue(text, now));
            }
        } catch (JsonFormatException e) {
            throw new ApiProblem(HttpResponseStatus.BAD_REQUEST, ResponseCode.INVALID_VALUE, e.getMessage());
        }
        throw ApiProblem.badRequest("the body must be an array of values, {\"values\": [...]} or one value object");
    }

    private static List<HandleValue> nonEmpty(List<HandleValue> values) throws ApiProblem {
        if (values.isEmpty()) {
            throw new ApiProblem(HttpResponseStatus.BAD_REQUEST, ResponseCode.INVALID_VALUE, "no values given");
        }
        return values;
    }

    private static Output output(ApiParameters params) throws ApiProblem {
        String callback = params.one("callback");
        if (callback != null && !CALLBACK.matcher(callback).matches()) {
            throw ApiProblem.badRequest("parameter 'callback' must be a JavaScript name such as cb or app.cb");
        }
        return new Output(params.bool("pretty", false), callback);
    }

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> s = new java.util.HashSet<>(base);
        s.addAll(List.of(more));
        s.addAll(Credential.PARAMETERS);
        return Set.copyOf(s);
    }

    // ------------------------------------------------------------------ writing the response

    /** How the response is written: {@code pretty}, and wrapped in {@code callback(...)} for JSONP if not null. */
    record Output(boolean pretty, String callback) {
        RecordJsonWriter writer() {
            return pretty ? RecordJsonWriter.STANDARD.pretty() : RecordJsonWriter.STANDARD;
        }

        FullHttpResponse json(HttpResponseStatus status, String json) {
            if (callback != null) {
                return HttpResponses.body(status, "application/javascript; charset=UTF-8",
                        (callback + "(" + json + ");").getBytes(StandardCharsets.UTF_8));
            }
            return HttpResponses.body(status, HttpResponses.JSON, json.getBytes(StandardCharsets.UTF_8));
        }

        FullHttpResponse error(HttpResponseStatus status, ResponseCode code, String handle, String message) {
            FullHttpResponse r = json(status, writer().writeErrorReply(code, handle, message));
            if (status.equals(HttpResponseStatus.UNAUTHORIZED)) {
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"handle\"");
            }
            return r;
        }

        /** The JSON of a reply of the chain, with its §8 status. */
        FullHttpResponse reply(Message reply, String handle, boolean resolution, boolean created) {
            ResponseCode rc = reply.responseCode();
            HttpResponseStatus status = ApiStatus.of(rc, resolution, created);
            if (reply.body() instanceof ResolutionResponse r) {
                return json(status, writer().writeReply(rc, handle, r.values()));
            }
            if (rc.equals(ResponseCode.VALUES_NOT_FOUND) && resolution) {
                return json(status, writer().writeReply(rc, handle, List.of()));
            }
            if (reply.body() instanceof ReferralResponse r) {
                return json(status, writer().writeReferral(rc, handle, r.referralHandle(), r.values()));
            }
            if (reply.body() instanceof CreateHandleResponse c) {
                return json(status, writer().writeErrorReply(rc, c.handle(), null));
            }
            // Not found is the reference server's bare {"responseCode":100,"handle":...}.
            String message = reply.body() instanceof ErrorResponse e && !e.message().isEmpty()
                    && !rc.equals(ResponseCode.HANDLE_NOT_FOUND) ? e.message() : null;
            return json(status, writer().writeErrorReply(rc, handle, message));
        }
    }
}
