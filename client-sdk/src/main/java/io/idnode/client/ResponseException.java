package io.idnode.client;

import io.idnode.protocol.ResponseCode;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The node answered an operation with an error response code (handle-protocol.md §3.2), e.g. 100 handle
 * not found, 101 handle already exists, 301 prefix not served there, 400 the identity lacks a permission, 403
 * authentication failed. Carries the code, the node's own message and the handle concerned.
 */
public sealed class ResponseException extends HandleException permits ConflictException, Ops.Referred {
    private static final long serialVersionUID = 1L;

    private final transient ResponseCode responseCode;
    private final String serverMessage;
    private final String handle;
    private final transient InetSocketAddress server;

    /**
     * An error answer {@code code} with the node's {@code serverMessage} (may be empty) about {@code handle}
     * from {@code server}; {@code message} is the whole text shown to people, saying what to fix.
     */
    ResponseException(String message, ResponseCode code, String serverMessage, String handle,
            InetSocketAddress server) {
        super(message, null);
        this.responseCode = Objects.requireNonNull(code, "code");
        this.serverMessage = serverMessage == null ? "" : serverMessage;
        this.handle = handle;
        this.server = server;
    }

    /** The response code the node answered with (§3.2). */
    public ResponseCode responseCode() {
        return responseCode;
    }

    /** The message the node sent with the code (§3.2 error body), possibly empty. */
    public String serverMessage() {
        return serverMessage;
    }

    /** The handle (or prefix) the operation concerned, or null for one about the server itself. */
    public String handle() {
        return handle;
    }

    /** The server that answered, or null if unknown. */
    public InetSocketAddress server() {
        return server;
    }
}
