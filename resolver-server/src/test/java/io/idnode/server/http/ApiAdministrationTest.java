package io.idnode.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.server.StockClients;
import io.idnode.server.TestNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.SecretKeyAuthenticationInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Administration through the JSON API over HTTPS with Basic authentication (handle-protocol.md §8, §8.1), against a
 * node with its self-signed certificate: every change is read back by the stock client over UDP and the other way
 * round; refused requests change nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiAdministrationTest {
    static final String ADMIN = "88.100.1/HTTP-ADMIN";
    static final String SECRET = "correct horse battery staple";

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).httpsPort(0)
            .admins(List.of(new ValueReference(ADMIN, 300))));

    @TempDir
    static Path temp;

    static ApiClient https;
    static ApiClient plain;
    static HandleResolver udp;

    static String basic(String id, String secret) {
        String user = URLEncoder.encode(id, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static final String AUTH = basic("300:" + ADMIN, SECRET);

    @BeforeAll
    static void setUp() throws Exception {
        NODE.node().store().put(HandleRecord.of(ADMIN, List.of(HandleValue.builder(300, "HS_SECKEY").data(SECRET)
                .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).timestamp(1_700_000_000)
                .build())));
        https = ApiClient.https(NODE.dataDir(), NODE.node().httpsPort());
        plain = ApiClient.plain(NODE.node().httpPort());
        udp = StockClients.resolver(NODE.dataDir(), temp.resolve("udp"), Interface.SP_HDL_UDP);
    }

    static String values(String... urls) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < urls.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"index\":").append(i + 1)
                    .append(",\"type\":\"URL\",\"data\":{\"format\":\"string\",\"value\":\"").append(urls[i]).append("\"}}");
        }
        return b.append("]").toString();
    }

    static List<String> udpData(String handle) throws Exception {
        return Arrays.stream(udp.resolveHandle(handle, null, null))
                .map(v -> v.getIndex() + "=" + v.getTypeAsString() + ":" + v.getDataAsString()).sorted().toList();
    }

    @Test
    void createReplaceAddRemoveAndDeleteAreSeenByTheStockClientOverUdp() throws Exception {
        String h = "88.100.1/HTTP-LIFE";
        ApiClient.Answer created = https.put("/api/handles/" + h, "application/json", values("https://a.example"), AUTH);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("responseCode").asInt()).isEqualTo(1);
        assertThat(udpData(h)).contains("1=URL:https://a.example");

        ApiClient.Answer again = https.put("/api/handles/" + h + "?overwrite=false", "application/json",
                values("https://b.example"), AUTH);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("responseCode").asInt()).isEqualTo(101);
        assertThat(udpData(h)).contains("1=URL:https://a.example");

        ApiClient.Answer replaced = https.put("/api/handles/" + h, "application/json",
                "{\"handle\":\"" + h + "\",\"values\":" + values("https://b.example") + "}", AUTH);
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(udpData(h)).contains("1=URL:https://b.example");

        ApiClient.Answer added = https.put("/api/handles/" + h + "?index=5", "application/json",
                "{\"index\":5,\"type\":\"EMAIL\",\"data\":\"ops@example.com\"}", AUTH);
        assertThat(added.status()).isEqualTo(200);
        assertThat(udpData(h)).contains("5=EMAIL:ops@example.com", "1=URL:https://b.example");

        ApiClient.Answer mismatch = https.put("/api/handles/" + h + "?index=6", "application/json",
                "{\"index\":7,\"type\":\"EMAIL\",\"data\":\"x@example.com\"}", AUTH);
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.json().get("message").asText()).contains("index");

        assertThat(https.delete("/api/handles/" + h + "?index=5", AUTH).status()).isEqualTo(200);
        assertThat(udpData(h)).noneMatch(v -> v.startsWith("5="));
        ApiClient.Answer missingIndex = https.delete("/api/handles/" + h + "?index=77", AUTH);
        assertThat(missingIndex.status()).isEqualTo(400);
        assertThat(missingIndex.json().get("responseCode").asInt()).isEqualTo(200);

        assertThat(https.delete("/api/handles/" + h, AUTH).status()).isEqualTo(200);
        assertThat(https.get("/api/handles/" + h).status()).isEqualTo(404);
        assertThatThrownBy(() -> udp.resolveHandle(h, null, null)).isInstanceOf(HandleException.class);
    }

    @Test
    void aRecordTheStockClientCreatesIsReadOverHttp() throws Exception {
        String h = "88.100.1/FROM-STOCK";
        HandleResolver tcp = StockClients.resolver(NODE.dataDir(), temp.resolve("tcp"), Interface.SP_HDL_TCP);
        net.handle.hdllib.HandleValue url = new net.handle.hdllib.HandleValue(1, Util.encodeString("URL"),
                Util.encodeString("https://stock.example"));
        AbstractResponse r = tcp.processRequest(new CreateHandleRequest(Util.encodeString(h),
                new net.handle.hdllib.HandleValue[] {url},
                new SecretKeyAuthenticationInfo(Util.encodeString(ADMIN), 300, SECRET.getBytes(StandardCharsets.UTF_8))));
        assertThat(r.responseCode).isEqualTo(1);
        ApiClient.Answer a = https.get("/api/handles/" + h + "?type=URL");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("values").get(0).get("data").get("value").asText()).isEqualTo("https://stock.example");
    }

    @Test
    void mintingAppendsASuffixUnderThePrefix() throws Exception {
        ApiClient.Answer a = https.put("/api/handles/88.100.1/?mintNewSuffix=true", "application/json",
                values("https://minted.example"), AUTH);
        assertThat(a.status()).isEqualTo(201);
        String minted = a.json().get("handle").asText();
        assertThat(minted).startsWith("88.100.1/").hasSizeGreaterThan("88.100.1/".length());
        assertThat(udpData(minted)).contains("1=URL:https://minted.example");
    }

    @Test
    void listingAPrefixPagesItsHandlesWithATotalCountString() throws Exception {
        for (String s : List.of("LIST-A", "LIST-B", "LIST-C")) {
            assertThat(https.put("/api/handles/88.100.1/" + s, "application/json", values("https://l.example"), AUTH)
                    .status()).isEqualTo(201);
        }
        ApiClient.Answer all = https.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "https://127.0.0.1:" + NODE.node().httpsPort() + "/api/handles?prefix=88.100.1&page=1&pageSize=2"))
                .header("Authorization", AUTH).GET());
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("totalCount").isTextual()).isTrue();
        int total = Integer.parseInt(all.json().get("totalCount").asText());
        assertThat(total).isGreaterThanOrEqualTo(4); // the three, the admin identity and what other tests made
        assertThat(all.json().get("page").asInt()).isEqualTo(1);
        assertThat(all.json().get("pageSize").asInt()).isEqualTo(2);
        assertThat(all.json().get("handles").size()).isEqualTo(Math.min(2, total - 2));
        ApiClient.Answer anonymous = https.get("/api/handles?prefix=88.100.1");
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void withoutCredentialsItIs401WithAChallengeAndOverPlainHttp403AndNothingIsWritten() throws Exception {
        String h = "88.100.1/HTTP-REFUSED";
        ApiClient.Answer anonymous = https.put("/api/handles/" + h, "application/json", values("https://x"), null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("responseCode").asInt()).isEqualTo(402);
        assertThat(anonymous.raw().headers().allValues("www-authenticate")).anyMatch(v -> v.startsWith("Basic"));
        ApiClient.Answer overPlain = plain.put("/api/handles/" + h, "application/json", values("https://x"), AUTH);
        assertThat(overPlain.status()).isEqualTo(403);
        assertThat(overPlain.json().get("message").asText()).contains("HTTPS");
        ApiClient.Answer wrongSecret = https.put("/api/handles/" + h, "application/json", values("https://x"),
                basic("300:" + ADMIN, "wrong"));
        assertThat(wrongSecret.status()).isEqualTo(403);
        assertThat(wrongSecret.json().get("responseCode").asInt()).isEqualTo(403);
        assertThat(NODE.node().store().get(h)).isNull();
    }

    @Test
    void badBodiesAreRefusedWithAMessageAndNothingIsWritten() throws Exception {
        String h = "88.100.1/HTTP-BAD";
        ApiClient.Answer type = https.put("/api/handles/" + h, "text/plain", values("https://x"), AUTH);
        assertThat(type.status()).isEqualTo(415);
        assertThat(type.json().get("message").asText()).contains("application/json");
        ApiClient.Answer malformed = https.put("/api/handles/" + h, "application/json", "[{\"index\":1,", AUTH);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asText()).startsWith("not valid JSON");
        ApiClient.Answer badValue = https.put("/api/handles/" + h, "application/json",
                "[{\"index\":-1,\"type\":\"URL\",\"data\":\"x\"}]", AUTH);
        assertThat(badValue.status()).isEqualTo(400);
        assertThat(badValue.json().get("responseCode").asInt()).isEqualTo(202);
        assertThat(badValue.json().get("message").asText()).contains("index");
        ApiClient.Answer otherHandle = https.put("/api/handles/" + h, "application/json",
                "{\"handle\":\"88.100.1/OTHER\",\"values\":" + values("https://x") + "}", AUTH);
        assertThat(otherHandle.status()).isEqualTo(400);
        ApiClient.Answer unknown = https.put("/api/handles/" + h + "?force=1", "application/json", values("https://x"),
                AUTH);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("message").asText()).contains("'force'");
        assertThat(NODE.node().store().get(h)).isNull();
        assertThat(StreamSupport.stream(https.get("/api/handles/" + h).json().spliterator(), false).count())
                .isPositive();
    }
}
