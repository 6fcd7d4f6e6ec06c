package io.idnode.server.http.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueTypes;
import io.idnode.server.TestNode;
import io.idnode.store.RecordStore.RecordWrite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The record page over real HTTP (the JDK's client) against a node on ephemeral ports: the redirect, the page
 * of values with its typed renderings, escaping, content negotiation, the home page and its lookup box, and the
 * error pages with their statuses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecordPageTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true));
    static final String DEMO = "88.100.1/PUMP-2026-000123";
    static final String HOSTILE = "88.100.1/HOSTILE";
    static final String SIGNED = "88.100.1/SIGNED";
    static final String SCRIPT = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void records() {
        write(NODE);
    }

    /** Test records: a hostile record without URL, and a signed one with product data. */
    static void write(TestNode node) {
        String header = b64("{\"alg\":\"RS256\"}");
        String payload = b64("{\"iss\":\"300:88.100.1/LINE-1\",\"sub\":\"" + SIGNED + "\",\"iat\":1764979200}");
        node.node().store().write(List.of(
                RecordWrite.put(HandleRecord.of(HOSTILE, List.of(
                        HandleValue.builder(1, ValueTypes.DESC).data(SCRIPT).build(),
                        HandleValue.builder(2, "PRODUCT_DATA").data("{\"name\":\"" + SCRIPT.replace("'", "\\u0027")
                                + "\"}").build(),
                        HandleValue.builder(3, ValueTypes.URL).data("javascript:alert(1)").build(),
                        HandleValue.builder(4, "NOTE").data("secret for admins").permissions(
                                ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).build()))),
                RecordWrite.put(HandleRecord.of(SIGNED, List.of(
                        HandleValue.builder(1, "PRODUCT_DATA").data("{\"model\":\"CP-200\",\"batch\":\"B7\"}").build(),
                        HandleValue.builder(2, ValueTypes.HS_SIGNATURE).data(header + "." + payload + ".c2ln")
                                .build(),
                        HandleValue.builder(3, ValueTypes.HS_CERT).data("not a JWS <b>").build())))));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void redirectsToTheUrlValue() throws Exception {
        HttpResponse<String> r = get("/" + DEMO, null);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("location")).hasValue("https://example.com/products/PUMP-2026-000123");
        assertThat(get("/" + DEMO + "?noredirect=false", null).statusCode()).isEqualTo(302);
        assertThat(get("/" + DEMO + "?noredirect=yes", null).statusCode()).isEqualTo(200);
    }

    @Test
    void showsTheValuesWithNoredirect() throws Exception {
        HttpResponse<String> r = get("/" + DEMO + "?noredirect", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        String page = r.body();
        assertThat(page).contains("<title>" + DEMO + "</title>", "name=\"viewport\"",
                "readonly value=\"" + DEMO + "\"", "<svg", "class=\"qr\"",
                "http://127.0.0.1:" + NODE.node().httpPort() + "/" + DEMO,
                "href=\"https://example.com/products/PUMP-2026-000123\"", "Centrifugal pump CP-200, serial 000123",
                "administrator", "300:0.NA/88.100.1", "all permissions");
        // product data, indented
        assertThat(page).contains("&quot;manufacturer&quot; : &quot;Example Pumps Co.&quot;");
        assertThat(page).doesNotContain("<script");
    }

    @Test
    void escapesHostileValuesAndLinksNoScriptUrl() throws Exception {
        HttpResponse<String> r = get("/" + HOSTILE, null);
        assertThat(r.statusCode()).as("a javascript: URL is no redirect target").isEqualTo(200);
        String page = r.body();
        assertThat(page).doesNotContain("<script", "<img", "href=\"javascript").contains(
                "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
                "javascript:alert(1)");
        assertThat(page).as("values only administrators may read").doesNotContain("secret for admins");
        assertThat(r.headers().firstValue("content-security-policy").orElseThrow()).contains("default-src 'none'");
    }

    @Test
    void rendersTypedValues() throws Exception {
        String signed = get("/" + SIGNED, null).body();
        assertThat(signed).contains("signed (JWS) header", "&quot;alg&quot; : &quot;RS256&quot;",
                "&quot;iss&quot; : &quot;300:88.100.1/LINE-1&quot;", "not a JWS &lt;b&gt;",
                "&quot;model&quot; : &quot;CP-200&quot;");
        String prefix = get("/0.NA/88.100.1", null).body();
        assertThat(prefix).contains("RSA public key, 2048 bits", "site, serial 1, 1 server", "HS_SITE", "HS_PUBKEY",
                "&quot;kty&quot; : &quot;RSA&quot;");
    }

    @Test
    void jsonOnAccept() throws Exception {
        HttpResponse<String> r = get("/" + DEMO, "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(r.body()).startsWith("{\"responseCode\":1,\"handle\":\"" + DEMO + "\",\"values\":[{\"index\":1,"
                + "\"type\":\"URL\",\"data\":{\"format\":\"string\",\"value\":\"https://example.com/products/"
                + "PUMP-2026-000123\"}");
        HttpResponse<String> missing = get("/88.100.1/NOPE", "application/json");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body())
                .isEqualTo("{\"responseCode\":100,\"handle\":\"88.100.1/NOPE\",\"message\":\"handle not found\"}");
        assertThat(get("/99.1/X", "application/json").statusCode()).isEqualTo(400);
    }

    @Test
    void homePageAndLookupBox() throws Exception {
        HttpResponse<String> home = get("/", null);
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("<form method=\"get\" action=\"/\"", "name=\"handle\"");
        HttpResponse<String> lookup = get("/?handle=" + "88.100.1%2FPUMP%202026", null);
        assertThat(lookup.statusCode()).isEqualTo(303);
        assertThat(lookup.headers().firstValue("location")).hasValue("/88.100.1/PUMP%202026?noredirect");
    }

    @Test
    void errorPagesPeopleUnderstand() throws Exception {
        HttpResponse<String> missing = get("/88.100.1/NO-SUCH-THING", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<h1>Not found</h1>", "88.100.1/NO-SUCH-THING");
        HttpResponse<String> elsewhere = get("/99.999/ELSEWHERE", null);
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.body()).contains("<h1>Not served here</h1>");
        HttpResponse<String> noSlash = get("/no-prefix", null);
        assertThat(noSlash.statusCode()).isEqualTo(400);
        assertThat(noSlash.body()).contains("<h1>Bad identifier</h1>", "prefix/suffix");
        HttpResponse<String> notUtf8 = get("/88.100.1/%C3%28", null);
        assertThat(notUtf8.statusCode()).isEqualTo(400);
        assertThat(notUtf8.body()).contains("UTF-8");
        HttpResponse<String> hostileMissing = get("/88.100.1/%3Cscript%3Ex", null);
        assertThat(hostileMissing.statusCode()).isEqualTo(404);
        assertThat(hostileMissing.body()).doesNotContain("<script").contains("88.100.1/&lt;script&gt;x");
    }

    @Test
    void headHasNoBody() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(uri("/" + DEMO + "?noredirect"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + NODE.node().httpPort() + path);
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
