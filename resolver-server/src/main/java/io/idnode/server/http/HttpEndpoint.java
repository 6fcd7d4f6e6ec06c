package io.idnode.server.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletionStage;

/** One family of the node's HTTP resources; the front asks the endpoints in order and the first that accepts answers. */
public interface HttpEndpoint {
    /** True if this endpoint answers {@code request}, decided from its method, path and headers. */
    boolean accepts(HttpRequest request, QueryStringDecoder uri);

    /** The response; called on the connection's event loop, so it must not block (hand blocking work to an executor). */
    CompletionStage<FullHttpResponse> answer(FullHttpRequest request, QueryStringDecoder uri, HttpExchange exchange);
}
