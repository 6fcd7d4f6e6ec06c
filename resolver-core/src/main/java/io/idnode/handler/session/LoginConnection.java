package io.idnode.handler.session;

import io.idnode.handler.RequestContext;

/**
 * The context of a request that came on a persistent connection able to hold a login (cn-extensions.md §3): a
 * TCP connection gives each of its requests the same {@link ConnectionLogin} and {@link ConnectionEncryption}.
 * Requests without one (UDP, HTTP, a node asking itself) cannot log in or set up an encrypted connection.
 */
public interface LoginConnection extends RequestContext {

    /** The login state of the connection the request came on. */
    ConnectionLogin login();

    /** Whether the connection is encrypted with a session key of mode 3 (cn-extensions.md §4), and with what. */
    ConnectionEncryption encryption();
}
