package io.idnode.server.http;

import io.idnode.protocol.ResponseCode;
import io.netty.handler.codec.http.HttpResponseStatus;

/** The HTTP status of a reply's response code (handle-protocol.md §8's table). */
final class ApiStatus {
    private ApiStatus() {
    }

    /**
     * The status of {@code code}; {@code resolution} makes 200 (values not found) a success, {@code created} makes
     * success 201 (a create or add that overwrote nothing).
     */
    static HttpResponseStatus of(ResponseCode code, boolean resolution, boolean created) {
        return switch (code.code()) {
            case 1 -> created ? HttpResponseStatus.CREATED : HttpResponseStatus.OK;
            case 200 -> resolution ? HttpResponseStatus.OK : HttpResponseStatus.BAD_REQUEST;
            case 302, 303 -> HttpResponseStatus.MULTIPLE_CHOICES;
            case 100 -> HttpResponseStatus.NOT_FOUND;
            case 101, 201 -> HttpResponseStatus.CONFLICT;
            case 4, 102, 202, 301 -> HttpResponseStatus.BAD_REQUEST;
            case 5 -> HttpResponseStatus.NOT_IMPLEMENTED;
            case 3, 7 -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case 402 -> HttpResponseStatus.UNAUTHORIZED;
            case 400, 401, 403, 404 -> HttpResponseStatus.FORBIDDEN;
            default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
