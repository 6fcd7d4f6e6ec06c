package io.idnode.server.http;

import io.idnode.handler.RequestContext;
import io.idnode.model.ValueReference;
import java.net.InetAddress;

/**
 * What the chain knows of a request that came over HTTP: the address it came from (what per-source quotas
 * count), and the identity a REST session or Basic authentication proved, if any.
 */
record SourceContext(InetAddress source, ValueReference authenticatedAs) implements RequestContext {
    @Override
    public void authenticated(ValueReference identity) {
        // A native message proves itself per request; a REST session records its identity on its own.
    }
}
