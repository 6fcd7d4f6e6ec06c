package io.idnode.server.http;

import io.idnode.protocol.ResponseCode;
import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the API refuses before the chain sees it: the HTTP status, the response code and what to fix. */
final class ApiProblem extends Exception {
    private static final long serialVersionUID = 1L;
    final transient HttpResponseStatus status;
    final transient ResponseCode code;

    ApiProblem(HttpResponseStatus status, ResponseCode code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiProblem badRequest(String message) {
        return new ApiProblem(HttpResponseStatus.BAD_REQUEST, ResponseCode.PROTOCOL_ERROR, message);
    }
}
