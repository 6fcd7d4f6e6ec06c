package io.idnode.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.json.RecordJsonReader;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.server.TestNode;
import io.idnode.testing.Vectors;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GET of the JSON API over plain HTTP against a real node (handle-protocol.md §8, §8.1): the golden REST texts,
 * every query parameter of a resolution, the status table's rows a reader meets, and the refusals.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ApiResolutionTest {
    static final String PRODUCT = "88.100.1/PROD-0001";
    static final String KEYS = "88.100.1/KEYS";

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")));

    static ApiClient api;

    static String vectorText(String name) {
        return Vectors.vector(Vectors.HANDLE, name).get("json_text").asText();
    }

    @BeforeAll
    static void seed() throws Exception {
        api = ApiClient.plain(NODE.node().httpPort());
        List<HandleValue> product = RecordJsonReader.STANDARD.readValues(vectorText("rest_json_handle_record"), 0);
        NODE.node().store().put(HandleRecord.of(PRODUCT, product));
        List<HandleValue> keys = RecordJsonReader.STANDARD.readValues(vectorText("rest_json_site_and_key_values"), 0);
        NODE.node().store().put(HandleRecord.of(KEYS, keys));
    }

    @Test
    void aRecordIsTheReferenceServersText() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/" + PRODUCT);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.type()).isEqualTo("application/json; charset=UTF-8");
        assertThat(a.body()).isEqualTo(vectorText("rest_json_handle_record"));
    }

    @Test
    void siteKeyAndVlistValuesAreInTheirFormatsAndTheSecretIsNotPublic() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/" + KEYS);
        assertThat(a.status()).isEqualTo(200);
        JsonNode expected = ApiClient.MAPPER.readTree(vectorText("rest_json_site_and_key_values"));
        List<JsonNode> publicOnes = StreamSupport.stream(expected.spliterator(), false)
                .filter(v -> !v.get("type").asText().equals("HS_SECKEY")).toList();
        assertThat(List.copyOf(StreamSupport.stream(a.json().get("values").spliterator(), false).toList()))
                .isEqualTo(publicOnes);
    }

    @Test
    void anUnknownHandleIs404WithTheReferenceText() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/88.100.1/PROD-9999");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json()).isEqualTo(ApiClient.MAPPER.readTree(vectorText("rest_json_not_found")
                .replace("PROD-0001", "PROD-9999")));
    }

    @Test
    void noMatchingValueIs200WithAnEmptyList() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/" + PRODUCT + "?type=NOTHING_LIKE_THIS");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json()).isEqualTo(ApiClient.MAPPER.readTree(vectorText("rest_json_values_not_found")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "type=URL; 1",
        "index=2; 2",
        "type=URL&index=2; 1,2",
        "index=1&index=100; 1,100",
        "type=HS_ADMIN&type=EMAIL; 2,100"})
    void typeAndIndexFiltersAreAUnion(String query, String indexes) throws Exception {
        ApiClient.Answer a = api.get("/api/handles/" + PRODUCT + "?" + query);
        assertThat(a.status()).isEqualTo(200);
        assertThat(StreamSupport.stream(a.json().get("values").spliterator(), false).map(v -> v.get("index").asText())
                .toList()).containsExactly(indexes.split(","));
    }

    @Test
    void authAndCertAndDoNotReferAreAccepted() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/" + PRODUCT + "?auth=true&cert&doNotRefer=yes");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo(vectorText("rest_json_handle_record"));
    }

    @Test
    void restrictedValuesWithoutAuthenticationAre403OverPlainHttp() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/" + KEYS + "?publicOnly=false");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().get("responseCode").asInt()).isEqualTo(402);
        assertThat(a.json().get("message").asText()).contains("HTTPS");
    }

    @Test
    void prettyIndentsTheSameJson() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/" + PRODUCT + "?pretty");
        assertThat(a.body()).contains("\n");
        assertThat(a.json()).isEqualTo(ApiClient.MAPPER.readTree(vectorText("rest_json_handle_record")));
    }

    @Test
    void aCallbackWrapsTheJsonAsJavascript() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/" + PRODUCT + "?callback=app.show");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.type()).startsWith("application/javascript");
        assertThat(a.body()).isEqualTo("app.show(" + vectorText("rest_json_handle_record") + ");");
        ApiClient.Answer bad = api.get("/api/handles/" + PRODUCT + "?callback=alert(1)");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("message").asText()).contains("callback");
    }

    @Test
    void aPostWithAJsonBodyIsAGetWithItsProperties() throws Exception {
        ApiClient.Answer a = api.post("/api/handles/" + PRODUCT, "application/json", "{\"type\":\"URL\",\"index\":[2]}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(StreamSupport.stream(a.json().get("values").spliterator(), false).map(v -> v.get("index").asInt())
                .toList()).containsExactly(1, 2);
        ApiClient.Answer malformed = api.post("/api/handles/" + PRODUCT, "application/json", "{\"type\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asText()).startsWith("not valid JSON");
    }

    @Test
    void anUnknownParameterIs400NamingIt() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/" + PRODUCT + "?typo=1");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("responseCode").asInt()).isEqualTo(4);
        assertThat(a.json().get("message").asText()).contains("'typo'");
        ApiClient.Answer index = api.get("/api/handles/" + PRODUCT + "?index=one");
        assertThat(index.status()).isEqualTo(400);
        assertThat(index.json().get("message").asText()).contains("index");
    }

    @Test
    void aHandleThatIsNotUtf8Is400InvalidHandle() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/88.100.1/%FF%FE");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("responseCode").asInt()).isEqualTo(102);
        assertThat(a.json().get("message").asText()).contains("not UTF-8");
    }

    @Test
    void aPercentEncodedHandleResolves() throws Exception {
        assertThat(api.get("/api/handles/88.100.1%2FPROD-0001").body()).isEqualTo(vectorText("rest_json_handle_record"));
    }

    @Test
    void aPrefixNotServedHereIs400WithCode301() throws Exception {
        ApiClient.Answer a = api.get("/api/handles/77.7/ELSEWHERE");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("responseCode").asInt()).isEqualTo(301);
    }

    @Test
    void theSiteIsItsJsonWithTheHttpInterface() throws Exception {
        ApiClient.Answer a = api.get("/api/site");
        assertThat(a.status()).isEqualTo(200);
        JsonNode interfaces = a.json().get("servers").get(0).get("interfaces");
        assertThat(StreamSupport.stream(interfaces.spliterator(), false)
                .anyMatch(i -> i.get("protocol").asText().equals("HTTP")
                        && i.get("port").asInt() == NODE.node().httpPort())).isTrue();
    }

    @Test
    void unknownEndpointsIncompleteVerificationsAndSessionsOverPlainHttpAreRefusedWithAMessage() throws Exception {
        ApiClient.Answer unknown = api.get("/api/nothing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("responseCode").asInt()).isEqualTo(4);
        assertThat(unknown.json().get("message").asText()).isEqualTo("Unknown HTTP API endpoint /api/nothing");
        ApiClient.Answer verification = api.get("/api/verifications/x");
        assertThat(verification.status()).isEqualTo(400);
        assertThat(verification.json().get("message").asText()).contains("nonce", "cnonce");
        ApiClient.Answer sessions = api.post("/api/sessions", "application/json", "{}");
        assertThat(sessions.status()).isEqualTo(403);
        assertThat(sessions.json().get("message").asText()).contains("HTTPS");
    }
}
