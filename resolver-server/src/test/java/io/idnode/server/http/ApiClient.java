package io.idnode.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The JDK's HTTP client against a node's API, with each answer's status, media type and JSON at hand. */
final class ApiClient {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client;
    private final String base;

    ApiClient(String base, SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.client = b.build();
        this.base = base;
    }

    static ApiClient plain(int port) {
        return new ApiClient("http://127.0.0.1:" + port, null);
    }

    /** A client of the HTTPS port {@code port} trusting only the certificate the node made in {@code dataDir}. */
    static ApiClient https(Path dataDir, int port) throws Exception {
        X509Certificate[] cert = HttpsCertificate.readCertificates(
                dataDir.resolve("keys").resolve(HttpsCertificate.CERT_FILE), new BouncyCastleProvider());
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("node", cert[0]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return new ApiClient("https://127.0.0.1:" + port, tls);
    }

    /** A request to {@code path} of this client's node, to be completed and {@link #send sent}. */
    HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    record Answer(int status, String type, String body, HttpResponse<String> raw) {
        JsonNode json() throws IOException {
            return MAPPER.readTree(body);
        }
    }

    Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer delete(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).DELETE();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    Answer put(String path, String contentType, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).PUT(BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    Answer post(String path, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body)));
    }

    Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(), r);
    }
}
