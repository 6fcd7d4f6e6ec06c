package io.idnode.server.http;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.server.transport.RequestMeters;
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
        Clock clock = Clock.systemUTC();
        ChallengeAnswers answers = new ChallengeAnswers(CryptoProviders.create());
        RequestMeters meters = RequestMeters.of(resources.meters());
        ApiCalls calls = new ApiCalls(resources.chain(), resources.blocking(), answers, clock, meters);
        HandleAuthenticator authenticator = new HandleAuthenticator(calls, resources.chain().answerVerifier(),
                resources.blocking(), answers, resources.chain().replies().identity(), clock);
        endpoints.add(new ApiEndpoint(calls, clock, new ApiSessions(HttpSessions.withDefaults(), authenticator),
                new ApiVerifications(authenticator)));
        // 2. POST application/x-hdl-message: native Handle messages (§1.5)
        endpoints.add(new NativeMessageEndpoint(resources.chain(), resources.blocking(), meters));
        // 3. operations: /metrics, /healthz, /readyz (package http.ops), and
        // 4. record pages: GET / and GET /{handle}, the catch-all (package http.page): both appended to this list
        //    by NodeServer.httpEndpoints, since those packages depend on this one (no package cycle)
        return List.copyOf(endpoints);
    }
}
