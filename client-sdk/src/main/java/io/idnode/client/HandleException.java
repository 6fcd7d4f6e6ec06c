package io.idnode.client;

/**
 * A failed client operation. One small family: the node answered with an error code
 * ({@link ResponseException}, with {@link ConflictException} for a record that exists with other values), no
 * reply came in time ({@link HandleTimeoutException}), no server could be reached or kept its connection
 * ({@link AllServersFailedException}, with the cause per server), or a reply failed the client's checks
 * ({@link InvalidReplyException}). Unchecked, so that it passes through lambdas; futures complete with it.
 * Every message names what went wrong and, where the client can tell, what to fix.
 */
public abstract sealed class HandleException extends RuntimeException
        permits ResponseException, HandleTimeoutException, AllServersFailedException, InvalidReplyException {
    private static final long serialVersionUID = 1L;

    HandleException(String message, Throwable cause) {
        super(message, cause);
    }
}
