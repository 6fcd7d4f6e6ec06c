package io.idnode.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.SiteInfoCodec;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.Node;
import io.idnode.server.StockClients;
import io.idnode.server.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.PublicKeyAuthenticationInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three nodes on loopback make a tree: the top-level node homes {@code 88} and keeps the delegation record
 * {@code 0.NA/88.100}; the secondary node homes {@code 88.100} and keeps {@code 0.NA/88.100.1}, the delegation to
 * the enterprise node, which homes {@code 88.100.1}. Each delegation is created by the parent's administrator
 * through the protocol (ADD_DERIVED_PREFIX). The stock client, knowing only the top-level node, resolves and
 * creates enterprise identifiers by following the referrals (handle-protocol.md §4.3, §7.1); an enterprise
 * operator whose key is kept only on the secondary node creates identifiers on the enterprise node, which asks
 * the secondary with VERIFY_CHALLENGE (§6.4); a wrong key is refused and nothing is written.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HierarchyTest {
    static final String OPERATOR = "88.100/ENT-ADMIN";

    static Path temp;
    static Node top;
    static Node secondary;
    static Node enterprise;
    static KeyPair operatorKey;

    @BeforeAll
    static void startTheTree() throws Exception {
        temp = Files.createTempDirectory("idnode-tree");
        top = Node.start(TestNode.config(temp.resolve("top")).prefixes(List.of("88")).build());
        secondary = Node.start(TestNode.config(temp.resolve("secondary")).prefixes(List.of("88.100"))
                .rootSites(List.of(top.site())).build());
        enterprise = Node.start(TestNode.config(temp.resolve("enterprise")).prefixes(List.of("88.100.1"))
                .rootSites(List.of(top.site())).httpsPort(0).build());
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        operatorKey = g.generateKeyPair();

        // The top's administrator delegates 88.100 to the secondary node; the record carries the secondary's
        // administrator key too, so that identity reads the same wherever it is looked up.
        try (HandleClient admin = adminOf(top, "0.NA/88")) {
            admin.create("0.NA/88.100", List.of(site(1, ValueTypes.HS_SITE, secondary),
                    site(2, ValueTypes.HS_SITE_PREFIX, secondary),
                    Values.admin(100, "300:0.NA/88.100", AdminValue.ALL),
                    Values.publicKey(300, secondary.keys().admin().getPublic()))).join();
        }
        // The secondary's administrator delegates 88.100.1 to the enterprise node and keeps the operator's key.
        try (HandleClient admin = adminOf(secondary, "0.NA/88.100")) {
            admin.create("0.NA/88.100.1", List.of(site(1, ValueTypes.HS_SITE, enterprise),
                    site(2, ValueTypes.HS_SITE_PREFIX, enterprise),
                    Values.admin(100, "300:0.NA/88.100.1", AdminValue.ALL),
                    Values.publicKey(300, enterprise.keys().admin().getPublic()))).join();
            admin.create(OPERATOR, List.of(Values.publicKey(300, operatorKey.getPublic()))).join();
        }
        // The enterprise's administrator lets the operator register under 88.100.1.
        try (HandleClient admin = adminOf(enterprise, "0.NA/88.100.1")) {
            admin.addValues("0.NA/88.100.1", List.of(Values.admin(101, "300:" + OPERATOR,
                    AdminValue.ADD_HANDLE | AdminValue.LIST_HANDLES))).join();
            admin.create("88.100.1/PUMP-1", List.of(Values.url(1, "https://example.com/pump-1"))).join();
        }
    }

    @AfterAll
    static void stopTheTree() throws Exception {
        for (Node n : new Node[] {enterprise, secondary, top}) {
            if (n != null) {
                n.close();
            }
        }
        try (Stream<Path> paths = Files.walk(temp)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static HandleValue site(int index, String type, Node node) {
        return Values.bytes(index, type, SiteInfoCodec.encode(node.site()));
    }

    static HandleClient adminOf(Node node, String prefixHandle) {
        return HandleClient.builder().node("127.0.0.1:" + node.port()).identity(Identity.of(
                new ValueReference(prefixHandle, 300), node.keys().admin().getPrivate())).build();
    }

    /** A client knowing only the top-level node. */
    static HandleClient fromTop(Identity identity) {
        HandleClient.Builder b = HandleClient.builder().site(top.site()).operationTimeout(Duration.ofSeconds(30));
        return identity == null ? b.build() : b.identity(identity).build();
    }

    @Test
    void theTopReferstheDerivedPrefixToTheSecondary() throws Exception {
        try (HandleClient client = HandleClient.builder().node("127.0.0.1:" + top.port()).prefixLookup(false)
                .build()) {
            assertThatThrownBy(() -> client.resolve("0.NA/88.100.1").join()).cause()
                    .isInstanceOfSatisfying(ResponseException.class, e -> assertThat(e.responseCode())
                            .isEqualTo(ResponseCode.PREFIX_REFERRAL));
        }
    }

    @Test
    void theStockClientKnowingOnlyTheTopResolvesAndCreatesAnEnterpriseIdentifier() throws Exception {
        HandleResolver resolver = StockClients.resolver(StockClients.site(temp.resolve("top")),
                temp.resolve("stock-config"), false, Interface.SP_HDL_TCP, Interface.SP_HDL_UDP);
        net.handle.hdllib.HandleValue[] values = resolver.resolveHandle("88.100.1/PUMP-1");
        assertThat(Arrays.stream(values).map(net.handle.hdllib.HandleValue::getDataAsString))
                .contains("https://example.com/pump-1");

        PublicKeyAuthenticationInfo auth = new PublicKeyAuthenticationInfo(Util.encodeString("0.NA/88.100.1"), 300,
                enterprise.keys().admin().getPrivate());
        AbstractResponse created = resolver.processRequest(new CreateHandleRequest(
                Util.encodeString("88.100.1/PUMP-STOCK"), new net.handle.hdllib.HandleValue[] {
                    new net.handle.hdllib.HandleValue(1, "URL", "https://example.com/pump-stock")}, auth));
        assertThat(created.responseCode).isEqualTo(1);
        assertThat(enterprise.store().get("88.100.1/PUMP-STOCK")).isNotNull();
        assertThat(top.store().get("88.100.1/PUMP-STOCK")).isNull();
        assertThat(Arrays.stream(resolver.resolveHandle("88.100.1/PUMP-STOCK"))
                .map(net.handle.hdllib.HandleValue::getDataAsString)).contains("https://example.com/pump-stock");
    }

    @Test
    void theSdkKnowingOnlyTheTopFollowsTheReferrals() throws Exception {
        try (HandleClient client = fromTop(null)) {
            Resolution r = client.resolve("88.100.1/PUMP-1").join();
            assertThat(r.values()).extracting(HandleValue::dataAsString).contains("https://example.com/pump-1");
        }
    }

    @Test
    void aDerivedPrefixCreatedOnTheParentIsHomedOnTheChild() throws Exception {
        Path childDir = temp.resolve("child");
        try (Node child = Node.start(TestNode.config(childDir).prefixes(List.of("77"))
                .admins(List.of(new ValueReference("0.NA/77", 300))).rootSites(List.of(top.site())).build())) {
            try (HandleClient admin = adminOf(secondary, "0.NA/88.100")) {
                admin.create("0.NA/88.100.2", List.of(site(1, ValueTypes.HS_SITE, child),
                        site(2, ValueTypes.HS_SITE_PREFIX, child))).join();
            }
            try (HandleClient childAdmin = adminOf(child, "0.NA/77")) {
                childAdmin.home("88.100.2").join();
                childAdmin.create("88.100.2/DEVICE-1", List.of(Values.url(1, "https://example.com/d1"))).join();
            }
            try (HandleClient client = fromTop(null)) {
                assertThat(client.resolve("88.100.2/DEVICE-1").join().values())
                        .extracting(HandleValue::dataAsString).containsExactly("https://example.com/d1");
            }
            assertThat(secondary.store().get("88.100.2/DEVICE-1")).isNull();
        }
    }

    @Test
    void anOperatorWhoseKeyIsOnTheSecondaryCreatesOnTheEnterpriseNode() throws Exception {
        for (boolean sessions : new boolean[] {true, false}) {
            String handle = "88.100.1/PUMP-OPERATOR-" + sessions;
            try (HandleClient operator = HandleClient.builder().node("127.0.0.1:" + enterprise.port())
                    .sessions(sessions).identity(Identity.of(new ValueReference(OPERATOR, 300),
                            operatorKey.getPrivate())).build()) {
                operator.create(handle, List.of(Values.url(1, "https://example.com/op"))).join();
            }
            assertThat(enterprise.store().get(handle)).as(handle).isNotNull();
        }
    }

    /**
     * Over HTTPS, with {@code Authorization: Handle} (§8.1): the enterprise node checks the operator's signature by
     * asking the secondary node, where the key is kept (VERIFY_CHALLENGE, §6.4), as it does a native answer; a
     * wrong key is 401 and nothing is written.
     */
    @Test
    void anOperatorWhoseKeyIsOnTheSecondaryAuthenticatesOverHttpsOnTheEnterpriseNode() throws Exception {
        java.security.cert.X509Certificate[] cert = io.idnode.server.http.HttpsCertificate.readCertificates(
                temp.resolve("enterprise").resolve(Node.KEYS_DIR).resolve(io.idnode.server.http.HttpsCertificate.CERT_FILE),
                new org.bouncycastle.jce.provider.BouncyCastleProvider());
        java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("node", cert[0]);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String base = "https://127.0.0.1:" + enterprise.httpsPort();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (KeyPair key : List.of(g.generateKeyPair(), operatorKey)) {
            boolean right = key == operatorKey;
            String handle = "88.100.1/PUMP-HTTPS-" + right;
            java.net.http.HttpResponse<String> made = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/api/sessions")).timeout(Duration.ofSeconds(30))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            com.fasterxml.jackson.databind.JsonNode session = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(made.body());
            byte[] nonce = java.util.Base64.getDecoder().decode(session.get("nonce").asText());
            byte[] cnonce = new byte[16];
            random.nextBytes(cnonce);
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withRSA");
            signer.initSign(key.getPrivate());
            signer.update(nonce);
            signer.update(cnonce);
            String authorization = "Handle version=\"0\", sessionId=\"" + session.get("sessionId").asText()
                    + "\", id=\"300%3A" + OPERATOR + "\", type=\"HS_PUBKEY\", alg=\"SHA256\", cnonce=\""
                    + java.util.Base64.getEncoder().encodeToString(cnonce) + "\", signature=\""
                    + java.util.Base64.getEncoder().encodeToString(signer.sign()) + "\"";
            java.net.http.HttpResponse<String> put = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/api/handles/" + handle)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "[{\"index\":1,\"type\":\"URL\",\"data\":\"https://example.com/https\"}]")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(right ? 201 : 401);
            if (right) {
                assertThat(enterprise.store().get(handle)).as(handle).isNotNull();
            } else {
                assertThat(put.body()).contains("300:" + OPERATOR);
                assertThat(enterprise.store().get(handle)).as(handle).isNull();
            }
        }
    }

    @Test
    void aWrongKeyIsRefusedAndNothingIsWritten() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair wrong = g.generateKeyPair();
        List<Throwable> failures = new ArrayList<>();
        for (boolean sessions : new boolean[] {true, false}) {
            String handle = "88.100.1/PUMP-WRONG-" + sessions;
            try (HandleClient operator = HandleClient.builder().node("127.0.0.1:" + enterprise.port())
                    .sessions(sessions).operationTimeout(Duration.ofSeconds(30))
                    .identity(Identity.of(new ValueReference(OPERATOR, 300), wrong.getPrivate())).build()) {
                assertThatThrownBy(() -> operator.create(handle, List.of(Values.url(1, "https://example.com/x")))
                        .join()).isInstanceOf(CompletionException.class).satisfies(e -> failures.add(e.getCause()));
            }
            assertThat(enterprise.store().get(handle)).as(handle).isNull();
        }
        assertThat(failures).allSatisfy(f -> assertThat(f.getMessage()).contains("403"));
    }
}
