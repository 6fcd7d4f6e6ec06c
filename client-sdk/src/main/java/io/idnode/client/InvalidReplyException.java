package io.idnode.client;

/**
 * A reply failed the client's checks, so it was not believed: it does not decode, its signature or session
 * MAC does not verify (handle-protocol.md §2.3), its request digest is not that of the request (§2.4), or it
 * has expired (§2.1). Points at a node that is not the one configured, or at a changed server key.
 */
public final class InvalidReplyException extends HandleException {
    private static final long serialVersionUID = 1L;

    InvalidReplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
