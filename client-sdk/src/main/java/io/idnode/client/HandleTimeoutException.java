package io.idnode.client;

/**
 * No reply came before the operation's deadline ({@link ClientSettings#operationTimeout()}), while a request
 * was waiting for one. For a write whose outcome is unknown, the message says so; resolving the handle tells
 * whether it was done.
 */
public final class HandleTimeoutException extends HandleException {
    private static final long serialVersionUID = 1L;

    HandleTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
