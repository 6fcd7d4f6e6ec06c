package io.idnode.handler;

import io.idnode.model.ValueReference;
import java.net.InetAddress;

/**
 * What is known about a request beyond its bytes: whom its sender has already proved to be, through an
 * authenticated session (handle-protocol.md §6.5) or a login bound to its TCP connection (cn-extensions.md
 * §3). The links of the chain ask {@link #authenticatedAs()} before they challenge, and report a successful
 * challenge answer through {@link #authenticated}, so that the session or connection skips the next
 * challenge. Implementations belong to the session link, the challenge gate and the transports.
 */
public interface RequestContext {

    /** No session, no connection state: every operation that needs an identity is challenged. */
    RequestContext NONE = new RequestContext() {
        @Override
        public ValueReference authenticatedAs() {
            return null;
        }

        @Override
        public void authenticated(ValueReference identity) {
            // nothing to bind to
        }
    };

    /** The identity {@code index:handle} this request is already authenticated as, or {@code null}. */
    ValueReference authenticatedAs();

    /** Records that the sender proved {@code identity} by answering a challenge (§6.3). */
    void authenticated(ValueReference identity);

    /**
     * The address the request came from, as far as the transport knows it ({@code null} if it does not): what
     * per-source quotas are counted by. Transports give it for requests that may block, which are the ones
     * that set up state (sessions); resolution, answered on the I/O thread, goes without.
     */
    default InetAddress source() {
        return null;
    }

    /**
     * The live session this request belongs to, 0 if none. A challenge to a request in a session reuses the
     * session's id (§6.1); otherwise the challenge gets a fresh id.
     */
    default int sessionId() {
        return 0;
    }
}
