package io.idnode.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Responses every endpoint and the front make: a plain-text message, a JSON body. */
public final class HttpResponses {
    /** Media type of the JSON API's bodies (handle-protocol.md §8). */
    public static final String JSON = "application/json; charset=UTF-8";
    /** Media type of a plain-text message. */
    public static final String TEXT = "text/plain; charset=UTF-8";

    private HttpResponses() {
    }

    /** A response of {@code status} whose body is {@code message} as plain text, followed by a line break. */
    public static FullHttpResponse text(HttpResponseStatus status, String message) {
        return body(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A response of {@code status} with {@code content} of media type {@code contentType}. */
    public static FullHttpResponse body(HttpResponseStatus status, String contentType, byte[] content) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(content));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return r;
    }
}
