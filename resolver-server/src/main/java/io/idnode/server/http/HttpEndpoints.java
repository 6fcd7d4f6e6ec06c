package io.idnode.server.http;

import io.idnode.server.http.ops.OpsEndpoint;
import io.idnode.server.http.page.RecordPageEndpoint;
import io.idnode.server.transport.RequestMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The one place the node's HTTP endpoints are listed, in the order the front asks them. */
public final class HttpEndpoints {
    private HttpEndpoints() {
    }

    /** The endpoints of a node given {@code resources}, in order. */
    public static List<HttpEndpoint> assemble(HttpResources resources) {
        List<HttpEndpoint> endpoints = new ArrayList<>();
        // 1. /api/...: the JSON REST API (handle-protocol.md §8, §8.1)
        // 2. POST application/x-hdl-message: native Handle messages (§1.5)
        endpoints.add(new NativeMessageEndpoint(resources.chain(), resources.blocking()));
        // 3. operations: /metrics, /healthz, /readyz (package http.ops)
        if (resources.meters() instanceof PrometheusMeterRegistry prometheus) {
            endpoints.add(new OpsEndpoint(prometheus, () -> resources.ready().getAsBoolean() ? null
                    : "not serving (starting, stopping, or a socket not bound)", resources.blocking()));
        }
        // 4. record pages: GET / and GET /{handle}, the catch-all (package http.page)
        endpoints.add(new RecordPageEndpoint(resources.chain(), resources.blocking(),
                RequestMeters.of(resources.meters()), Clock.systemUTC()));
        return List.copyOf(endpoints);
    }
}
