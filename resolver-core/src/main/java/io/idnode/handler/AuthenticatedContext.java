package io.idnode.handler;

import io.idnode.model.ValueReference;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The context of a request whose sender has proved {@code identity}: by answering a challenge (handle-protocol.md
 * §6.3) or by a LOGIN on its TCP connection (cn-extensions.md §3.3). It runs as that identity; what else is known
 * (source, session, where a further proof is recorded) is {@code base}'s.
 */
public record AuthenticatedContext(ValueReference identity, RequestContext base) implements RequestContext {

    /** The context of {@code base}'s request, running as {@code identity}. */
    public AuthenticatedContext {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(base, "base");
    }

    @Override
    public ValueReference authenticatedAs() {
        return identity;
    }

    @Override
    public void authenticated(ValueReference proved) {
        base.authenticated(proved);
    }

    @Override
    public int sessionId() {
        return base.sessionId();
    }

    @Override
    public InetAddress source() {
        return base.source();
    }
}
