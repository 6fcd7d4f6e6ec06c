package io.idnode.server.http.page;

import io.idnode.handler.ReplyCollector;
import io.idnode.json.RecordJsonWriter;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.http.HttpEndpoint;
import io.idnode.server.http.HttpExchange;
import io.idnode.server.transport.RequestMeters;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record page, the proxy behaviour people expect of a Handle server: {@code GET /{handle}} resolves the public
 * values through the node's request chain (as a UDP or TCP resolution would) and redirects (302) to the record's
 * URL value; with {@code ?noredirect}, or for a record without one, it shows the values ({@link Pages}) with a QR
 * code of the page's own address. {@code Accept: application/json} gets the REST API's JSON form instead
 * (handle-protocol.md §8, with its status mapping). {@code GET /} is the home page with a lookup box, whose
 * {@code ?handle=} goes to the page of that identifier. Errors are pages: bad identifier (400), not found and not
 * served here (404), busy (503). GET and HEAD only.
 */
public final class RecordPageEndpoint implements HttpEndpoint {
    /** Query parameter that shows the page instead of redirecting. */
    public static final String NO_REDIRECT = "noredirect";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    /** Scripts and outside resources are refused even if markup ever got through: the pages need none. */
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");
    private static final String PATH_SAFE = "-._~/:@!$&'()*+,;=";
    private static final Logger LOG = LoggerFactory.getLogger(RecordPageEndpoint.class);

    private final RequestChain chain;
    private final Executor blocking;
    private final RequestMeters meters;
    private final Clock clock;

    /**
     * Pages of the records {@code chain} resolves, a resolution that may block running on {@code blocking}; each
     * counted as an HTTP request in {@code meters}; requests dated by {@code clock}.
     */
    public RecordPageEndpoint(RequestChain chain, Executor blocking, RequestMeters meters, Clock clock) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean accepts(HttpRequest request, QueryStringDecoder uri) {
        HttpMethod m = request.method();
        return (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD)) && !uri.path().startsWith("/api/");
    }

    @Override
    public CompletionStage<FullHttpResponse> answer(FullHttpRequest request, QueryStringDecoder uri,
            HttpExchange exchange) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        String rawPath = uri.rawPath();
        if (rawPath.equals("/")) {
            return CompletableFuture.completedFuture(home(uri, head));
        }
        if (rawPath.equals("/favicon.ico") || rawPath.equals("/robots.txt")) {
            return done(html(HttpResponseStatus.NOT_FOUND, Pages.error("Not here", "This node has no such file.",
                    null), head));
        }
        String handle = decodePath(rawPath.substring(1));
        boolean json = wantsJson(request);
        if (handle == null) {
            return done(bad(json, rawPath.substring(1), "The address is not a valid identifier: its %-escapes must"
                    + " spell UTF-8 text.", head));
        }
        int slash = handle.indexOf('/');
        if (slash <= 0 || slash == handle.length() - 1) {
            return done(bad(json, handle, "An identifier looks like prefix/suffix, for example"
                    + " 88.100.1/PUMP-2026-000123.", head));
        }
        boolean redirect = !flag(uri, NO_REDIRECT);
        String base = base(request, exchange);
        Message resolution = Requests.madeAt(clock.instant()).resolution(handle);
        long start = System.nanoTime();
        CompletableFuture<List<Message>> replies = chain.mayBlock(resolution)
                ? CompletableFuture.supplyAsync(() -> chain.answer(resolution), blocking).thenCompose(f -> f)
                : chain.answer(resolution);
        return replies.handle((list, failure) -> {
            if (failure != null) {
                LOG.warn("resolution of {} for a record page failed; answered 500", handle, failure);
            }
            Message reply = failure == null ? ReplyCollector.single(list) : null;
            ResponseCode code = reply == null ? ResponseCode.ERROR : reply.responseCode();
            meters.count(OpCode.RESOLUTION, RequestMeters.Transport.HTTP, code);
            meters.time(OpCode.RESOLUTION, RequestMeters.Transport.HTTP, System.nanoTime() - start);
            return respond(handle, reply, code, json, redirect, base, head);
        });
    }

    private FullHttpResponse respond(String handle, Message reply, ResponseCode code, boolean json,
            boolean redirect, String base, boolean head) {
        if (code.equals(ResponseCode.SUCCESS) || code.equals(ResponseCode.VALUES_NOT_FOUND)) {
            List<HandleValue> values = reply.body() instanceof MessageBody.ResolutionResponse r
                    ? r.values().stream().sorted(Comparator.comparingInt(HandleValue::index)).toList() : List.of();
            if (json) {
                return response(HttpResponseStatus.OK, RecordJsonWriter.STANDARD.writeReply(ResponseCode.SUCCESS,
                        handle, values), JSON, head);
            }
            String target = redirect ? redirectTarget(values) : null;
            if (target != null) {
                FullHttpResponse r = response(HttpResponseStatus.FOUND, "", HTML, head);
                r.headers().set(HttpHeaderNames.LOCATION, target);
                return r;
            }
            String self = base == null ? null : base + "/" + encodePath(handle);
            return html(HttpResponseStatus.OK, Pages.record(handle, values, self), head);
        }
        String message = reply != null && reply.body() instanceof MessageBody.ErrorResponse e ? e.message() : "";
        if (json) {
            return response(apiStatus(code), RecordJsonWriter.STANDARD.writeErrorReply(code, handle,
                    message.isEmpty() ? null : message), JSON, head);
        }
        if (code.equals(ResponseCode.HANDLE_NOT_FOUND)) {
            return html(HttpResponseStatus.NOT_FOUND, Pages.error("Not found", "No identifier " + handle
                    + " is registered on this node.", handle), head);
        }
        if (code.equals(ResponseCode.SERVER_NOT_RESPONSIBLE)) {
            return html(HttpResponseStatus.NOT_FOUND, Pages.error("Not served here", "This node does not serve"
                    + " the prefix of " + handle + "; another resolution service may know it.", handle), head);
        }
        if (code.equals(ResponseCode.INVALID_HANDLE)) {
            return bad(false, handle, "This is not a valid identifier.", head);
        }
        if (code.equals(ResponseCode.SERVER_TOO_BUSY) || code.equals(ResponseCode.SERVER_BACKUP)) {
            return html(HttpResponseStatus.SERVICE_UNAVAILABLE, Pages.error("Busy", "The node is too busy to answer"
                    + " now; try again in a moment.", handle), head);
        }
        return html(HttpResponseStatus.INTERNAL_SERVER_ERROR, Pages.error("Could not look this up",
                "The node could not answer (" + code + ").", handle), head);
    }

    /** The first URL value that is a web address without spaces or controls, or null. */
    private static String redirectTarget(List<HandleValue> values) {
        for (HandleValue v : values) {
            if (v.hasType(ValueTypes.URL)) {
                String url = v.dataAsString().strip();
                String lower = url.toLowerCase(Locale.ROOT);
                if ((lower.startsWith("http://") || lower.startsWith("https://")) && url.chars().allMatch(
                        c -> c > ' ' && c < 0x7f)) {
                    return url;
                }
            }
        }
        return null;
    }

    /** HTTP status of a REST reply with {@code code} for a resolution (handle-protocol.md §8). */
    static HttpResponseStatus apiStatus(ResponseCode code) {
        return switch (code.code()) {
            case 1, 200 -> HttpResponseStatus.OK;
            case 100 -> HttpResponseStatus.NOT_FOUND;
            case 4, 102, 202, 301 -> HttpResponseStatus.BAD_REQUEST;
            case 5 -> HttpResponseStatus.NOT_IMPLEMENTED;
            case 3, 7 -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case 302, 303 -> HttpResponseStatus.MULTIPLE_CHOICES;
            case 402 -> HttpResponseStatus.UNAUTHORIZED;
            case 400, 401, 403, 404 -> HttpResponseStatus.FORBIDDEN;
            case 101, 201 -> HttpResponseStatus.CONFLICT;
            default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }

    private FullHttpResponse home(QueryStringDecoder uri, boolean head) {
        List<String> asked = uri.parameters().get(Pages.LOOKUP);
        String handle = asked == null || asked.isEmpty() ? "" : asked.get(0).strip();
        if (handle.isEmpty()) {
            return html(HttpResponseStatus.OK, Pages.home(), head);
        }
        FullHttpResponse r = response(HttpResponseStatus.SEE_OTHER, "", HTML, head);
        r.headers().set(HttpHeaderNames.LOCATION, "/" + encodePath(handle) + "?" + NO_REDIRECT);
        return r;
    }

    private static FullHttpResponse bad(boolean json, String handle, String why, boolean head) {
        if (json) {
            return response(HttpResponseStatus.BAD_REQUEST, RecordJsonWriter.STANDARD.writeErrorReply(
                    ResponseCode.INVALID_HANDLE, handle, why), JSON, head);
        }
        return html(HttpResponseStatus.BAD_REQUEST, Pages.error("Bad identifier", why, handle), head);
    }

    /** A boolean query parameter as §8 reads them: present without a value, {@code true} or {@code yes}. */
    private static boolean flag(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        if (values == null) {
            return false;
        }
        String v = values.isEmpty() ? "" : values.get(0);
        return v.isEmpty() || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes");
    }

    private static boolean wantsJson(HttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT, "").toLowerCase(Locale.ROOT);
        return accept.contains("application/json") && !accept.contains("text/html");
    }

    /** {@code http://host[:port]} of the page as the client addressed it, or null if its Host header is unusable. */
    private static String base(HttpRequest request, HttpExchange exchange) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || !HOST.matcher(host).matches()) {
            return null;
        }
        return (exchange.secure() ? "https://" : "http://") + host;
    }

    /** The path, %-escapes decoded as UTF-8, or null if an escape is malformed or the bytes are not UTF-8. */
    static String decodePath(String raw) {
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 4);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@code handle} as a URL path: UTF-8, every byte outside the unreserved and path characters %-escaped. */
    static String encodePath(String handle) {
        StringBuilder b = new StringBuilder();
        for (byte x : handle.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || PATH_SAFE.indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    private static CompletionStage<FullHttpResponse> done(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static FullHttpResponse html(HttpResponseStatus status, String page, boolean head) {
        return response(status, page, HTML, head);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body, String type, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, POLICY).set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT);
        return r;
    }
}
