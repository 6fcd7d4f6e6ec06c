package io.idnode.server.http;

import io.idnode.server.ratelimit.SourceLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What the HTTP ports allow each source network: the node's per-network request rate ({@code udp-rate} requests a
 * second, {@code ipv4-network-bits}/{@code ipv6-network-bits}, {@code exempt-networks}; {@link SourceLimits}), counted
 * in a table of their own so that HTTP and UDP do not share a budget. A request above it is answered 429 with
 * {@code Retry-After} and a message before any endpoint sees it, and counted in {@value SourceLimits#REFUSALS} with
 * reason {@value #REASON}. Thread-safe.
 */
public final class HttpLimits {
    /** The refusal counter's {@code reason} tag for HTTP requests above the rate. */
    public static final String REASON = "http-rate";
    /** Seconds a refused client is told to wait. */
    static final int RETRY_AFTER_SECONDS = 1;

    /** No limit. */
    public static final HttpLimits NONE = new HttpLimits(SourceLimits.NONE, new SimpleMeterRegistry());

    private final SourceLimits limits;
    private final Counter refused;

    /** Requests held to {@code limits}' rate per source network; refusals counted in {@code meters}. */
    public HttpLimits(SourceLimits limits, MeterRegistry meters) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.refused = Counter.builder(SourceLimits.REFUSALS).tag("reason", REASON)
                .description("Requests refused or replies replaced by a limit, by reason").register(meters);
    }

    /** Null if a request from {@code source} is within its network's rate; else the 429 that answers it. */
    FullHttpResponse refusal(InetSocketAddress source) {
        if (source == null || limits.udpRequest(source) == SourceLimits.UdpVerdict.ANSWER) {
            return null;
        }
        refused.increment();
        FullHttpResponse r = HttpResponses.text(HttpResponseStatus.TOO_MANY_REQUESTS, "more than "
                + limits.settings().udpRate() + " requests a second from your network; slow down and retry after "
                + RETRY_AFTER_SECONDS + " s");
        r.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        return r;
    }
}
