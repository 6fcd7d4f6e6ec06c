package io.idnode.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection of the front: hands each aggregated request to the first {@link HttpEndpoint} that
 * accepts it and writes the responses in the order of the requests (pipelined requests wait their turn, at
 * most {@link #MAX_PIPELINED} of them). The front owns the request: it is released once its response is
 * written. A request above its source network's rate is 429 ({@link HttpLimits}), a failed stage 500 with a message,
 * a request no endpoint accepts 404; Content-Length and keep-alive are set here.
 */
final class HttpFrontHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontHandler.class);
    /** Requests read ahead of the one being answered before the connection is closed. */
    static final int MAX_PIPELINED = 16;

    private final List<HttpEndpoint> endpoints;
    private final boolean secure;
    private final HttpLimits limits;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    HttpFrontHandler(List<HttpEndpoint> endpoints, boolean secure, HttpLimits limits) {
        super(false);
        this.endpoints = endpoints;
        this.secure = secure;
        this.limits = limits;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (busy) {
            if (waiting.size() >= MAX_PIPELINED) {
                request.release();
                ctx.close();
                return;
            }
            waiting.add(request);
            return;
        }
        start(ctx, request);
    }

    private void start(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
        CompletionStage<FullHttpResponse> stage;
        try {
            stage = answer(ctx, request);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((response, failure) -> {
            if (ctx.executor().inEventLoop()) {
                finish(ctx, request, response, failure);
            } else {
                ctx.executor().execute(() -> finish(ctx, request, response, failure));
            }
        });
    }

    private CompletionStage<FullHttpResponse> answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.BAD_REQUEST,
                    "malformed HTTP request: " + request.decoderResult().cause().getMessage()));
        }
        FullHttpResponse refused = limits.refusal((InetSocketAddress) ctx.channel().remoteAddress());
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        try {
            uri.path();
            uri.parameters();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.BAD_REQUEST,
                    "malformed request target: " + e.getMessage()));
        }
        HttpExchange exchange = new HttpExchange((InetSocketAddress) ctx.channel().remoteAddress(), secure);
        for (HttpEndpoint endpoint : endpoints) {
            if (endpoint.accepts(request, uri)) {
                return endpoint.answer(request, uri, exchange);
            }
        }
        return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.NOT_FOUND,
                "nothing here: " + uri.path()));
    }

    private void finish(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
            Throwable failure) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        try {
            if (failure != null || response == null) {
                Throwable cause = failure == null ? new IllegalStateException("no response") : failure;
                LOG.error("{} {} from {} failed; answered 500", request.method(), request.uri(),
                        ctx.channel().remoteAddress(), cause);
                response = HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "internal error: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            }
        } finally {
            request.release();
        }
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().isKeepAliveDefault()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (!ctx.channel().isActive()) {
            response.release();
            drop();
            return;
        }
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
            busy = false;
            FullHttpRequest next = waiting.poll();
            if (next != null) {
                start(ctx, next);
            }
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            drop();
        }
    }

    private void drop() {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        drop();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
