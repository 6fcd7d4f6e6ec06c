package io.idnode.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP ceiling answers every request, on one kept-alive connection, with its fixed body. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpEchoServerTest {
    @Test
    void everyRequestGetsTheFixedBody() throws Exception {
        String body = "{\"responseCode\":1,\"handle\":\"88.100.1/X\",\"values\":[]}";
        try (HttpEchoServer server = HttpEchoServer.start(0, 1, body.getBytes())) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (String path : new String[] {"/api/handles/88.100.1/A", "/anything"}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(body);
            }
        }
    }
}
