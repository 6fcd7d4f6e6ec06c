package io.idnode.server.http.ops;

import io.idnode.server.http.HttpEndpoint;
import io.idnode.server.http.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The operators' resources: {@value #METRICS}, the node's meters in the Prometheus text format (OpenMetrics when
 * the scraper asks for it in {@code Accept}); {@value #HEALTH}, 200 while the process answers HTTP (liveness);
 * {@value #READY}, 200 when the node takes requests (store open, sockets bound), else 503 with the reason. GET and
 * HEAD; another method gets 405. The scrape reads every meter (RocksDB properties among them), so it runs on the
 * given executor, not on the event loop.
 */
public final class OpsEndpoint implements HttpEndpoint {
    /** Path of the metrics. */
    public static final String METRICS = "/metrics";
    /** Path of the liveness probe. */
    public static final String HEALTH = "/healthz";
    /** Path of the readiness probe. */
    public static final String READY = "/readyz";
    /** Content type of the Prometheus text format 0.0.4. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text";

    private final PrometheusMeterRegistry registry;
    private final Supplier<String> notReady;
    private final Executor scrapes;

    /**
     * Shows {@code registry}, scraped on {@code scrapes}; {@code notReady} tells why the node cannot take requests,
     * or null when it can.
     */
    public OpsEndpoint(PrometheusMeterRegistry registry, Supplier<String> notReady, Executor scrapes) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.notReady = Objects.requireNonNull(notReady, "notReady");
        this.scrapes = Objects.requireNonNull(scrapes, "scrapes");
    }

    @Override
    public boolean accepts(HttpRequest request, QueryStringDecoder uri) {
        String path = uri.path();
        return path.equals(METRICS) || path.equals(HEALTH) || path.equals(READY);
    }

    @Override
    public CompletionStage<FullHttpResponse> answer(FullHttpRequest request, QueryStringDecoder uri,
            HttpExchange exchange) {
        HttpMethod method = request.method();
        boolean head = method.equals(HttpMethod.HEAD);
        if (!head && !method.equals(HttpMethod.GET)) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or HEAD\n", false);
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return CompletableFuture.completedFuture(r);
        }
        return switch (uri.path()) {
            case METRICS -> CompletableFuture.supplyAsync(() -> metrics(request, head), scrapes);
            case HEALTH -> CompletableFuture.completedFuture(text(HttpResponseStatus.OK, "ok\n", head));
            default -> {
                String reason = notReady.get();
                yield CompletableFuture.completedFuture(reason == null ? text(HttpResponseStatus.OK, "ready\n", head)
                        : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready: " + reason + "\n", head));
            }
        };
    }

    private FullHttpResponse metrics(FullHttpRequest request, boolean head) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
        String type = accept.contains(OPENMETRICS) ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : PROMETHEUS_TEXT;
        String body = registry.scrape(type);
        return response(HttpResponseStatus.OK, body, type, head);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, boolean head) {
        return response(status, body, "text/plain; charset=utf-8", head);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body, String type, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return r;
    }
}
