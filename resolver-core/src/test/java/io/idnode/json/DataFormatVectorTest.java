package io.idnode.json;

import io.idnode.codec.ValueCodec;
import io.idnode.model.ValuePermissions;
import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.model.HandleValue;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.Vectors;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each data format round-trips the golden vectors: where a vector carries the library's JSON, our JSON is that
 * text exactly and reads back to the vector's bytes; where it carries only bytes, the value is written as JSON,
 * read back, and compared byte for byte.
 */
class DataFormatVectorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final RecordJsonWriter WRITER = RecordJsonWriter.STANDARD;
    private static final RecordJsonReader READER = RecordJsonReader.STANDARD;
    private static final int TS = 1_700_000_000;

    @Test
    void stringFormatIsTheLibraryJsonOfTextValues() throws Exception {
        for (String name : List.of("handle_value_url", "handle_value_unusual")) {
            JsonNode vector = Vectors.vector(Vectors.HANDLE, name);
            assertExactRoundTrip(vector.get("value_hex").asText(), vector.get("json"));
        }
        assertThat(Vectors.vector(Vectors.HANDLE, "handle_value_unusual").at("/json/data/format").asText())
                .isEqualTo("string");
        // A hashed secret key is text too; only bytes in the vector.
        JsonNode data = dataJson("HS_SECKEY", vectorData("hs_seckey_data_hashed"));
        assertThat(data.get("format").asText()).isEqualTo("string");
        assertThat(data.get("value").asText()).isEqualTo("2f7744bfc803b41fa35ed793f3f85fe1f49f8b2e");
    }

    @Test
    void base64FormatShowsBinaryDataOfAnyType() throws Exception {
        byte[] binary = vectorData("hs_vlist_data"); // holds zero bytes: not text
        JsonNode data = dataJson("APP_DATA", binary);
        assertThat(data.get("format").asText()).isEqualTo("base64");
        assertThat(data.get("value").asText()).isEqualTo(Base64.getEncoder().encodeToString(binary));
        // A Diffie-Hellman key is an HS_PUBKEY without a JWK form.
        byte[] dh = Vectors.key("dh_client_public_hs_encoding");
        assertThat(dataJson("HS_PUBKEY", dh).get("format").asText()).isEqualTo("base64");
    }

    @Test
    void hexFormatReadsAndWritesLowercaseDigits() throws Exception {
        String dataHex = Vectors.vector(Vectors.HANDLE, "hs_vlist_data").get("data_hex").asText();
        RecordJsonWriter hexWriter = new RecordJsonWriter(DataFormats.STANDARD.with(DataFormats.HEX, "APP_DATA"));
        HandleValue value = HandleValue.builder(5, "APP_DATA").data(hex(dataHex)).timestamp(TS).build();
        String json = hexWriter.writeValue(value);
        assertThat(MAPPER.readTree(json).get("data").toString())
                .isEqualTo("{\"format\":\"hex\",\"value\":\"" + dataHex + "\"}");
        assertThat(ValueCodec.encode(READER.readValue(json, 0))).isEqualTo(ValueCodec.encode(value));
        String upper = json.replace(dataHex, dataHex.toUpperCase());
        assertThat(ValueCodec.encode(READER.readValue(upper, 0))).isEqualTo(ValueCodec.encode(value));
    }

    @Test
    void adminFormatIsTheLibraryJsonOfHsAdmin() throws Exception {
        JsonNode vector = Vectors.vector(Vectors.HANDLE, "handle_value_hs_admin");
        assertExactRoundTrip(vector.get("value_hex").asText(), vector.get("json"));
        for (String name : List.of("hs_admin_data_all_perms", "hs_admin_data_typical")) {
            JsonNode inputs = Vectors.vector(Vectors.HANDLE, name).get("inputs");
            String permissions = inputs.has("permissions") ? inputs.get("permissions").asText()
                    : inputs.get("permissions_json").asText();
            JsonNode data = assertDataRoundTrip("HS_ADMIN", vectorData(name), "admin");
            assertThat(data.get("value").toString()).isEqualTo("{\"handle\":\"" + inputs.get("adminHandle").asText()
                    + "\",\"index\":" + inputs.get("adminIndex").asInt() + ",\"permissions\":\"" + permissions + "\"}");
        }
    }

    @Test
    void vlistFormatListsTheGroupMembers() throws Exception {
        JsonNode data = assertDataRoundTrip("HS_VLIST", vectorData("hs_vlist_data"), "vlist");
        assertThat(data.get("value").toString()).isEqualTo(
                "[{\"handle\":\"0.NA/88.100.1\",\"index\":300},{\"handle\":\"0.NA/88.100.1\",\"index\":301}]");
    }

    @Test
    void siteFormatIsTheLibraryJsonOfHsSite() throws Exception {
        JsonNode vector = Vectors.vector(Vectors.HANDLE, "hs_site_data_127_0_0_1_2641");
        byte[] bytes = hex(vector.get("data_hex").asText());
        assertThat(WRITER.writeSite(SiteInfoCodec.decode(bytes))).isEqualTo(compact(vector.get("json")));
        JsonNode data = assertDataRoundTrip("HS_SITE", bytes, "site");
        assertThat(data.get("value")).isEqualTo(vector.get("json"));
        // Subtypes and the legacy name are sites too (§5.3).
        assertDataRoundTrip("HS_SITE.PREFIX", bytes, "site");
        assertDataRoundTrip("HS_NA_DELEGATE", bytes, "site");

        JsonNode noKey = assertDataRoundTrip("HS_SITE", vectorData("hs_site_data_no_key"), "site");
        assertThat(noKey.at("/value/servers/0/publicKey").toString()).isEqualTo("{\"format\":\"base64\",\"value\":\"\"}");
    }

    @Test
    void siteJsonReadsBackToTheSameSite() throws Exception {
        JsonNode vector = Vectors.vector(Vectors.HANDLE, "hs_site_data_127_0_0_1_2641");
        byte[] bytes = hex(vector.get("data_hex").asText());
        assertThat(SiteInfoCodec.encode(RecordJsonReader.STANDARD.readSite(vector.get("json").toString())))
                .isEqualTo(bytes);
        assertThatThrownBy(() -> RecordJsonReader.STANDARD.readSite("{\"version\":1}"))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("protocolVersion");
    }

    @Test
    void keyFormatIsTheLibraryJwkOfHsPubkey() throws Exception {
        JsonNode vector = Vectors.vector(Vectors.HANDLE, "hs_pubkey_rsa_data");
        JsonNode rsa = assertDataRoundTrip("HS_PUBKEY", hex(vector.get("data_hex").asText()), "key");
        assertThat(compact(rsa.get("value"))).isEqualTo(compact(vector.get("json")));

        JsonNode dsa = assertDataRoundTrip("HS_PUBKEY", vectorData("hs_pubkey_dsa_data"), "key");
        assertThat(dsa.get("value").properties()).extracting(e -> e.getKey()).containsExactly("kty", "y", "p", "q", "g");
        assertThat(dsa.at("/value/kty").asText()).isEqualTo("DSA");
    }

    @Test
    void keysWithoutAJwkFormRoundTripAsTextOrBase64() throws Exception {
        // SM2 keys of the CN extension: no JWK form yet, so shown as they are, untyped PEM as text.
        assertDataRoundTrip("HS_PUBKEY", hex(Vectors.vector(Vectors.CN, "hs_pubkey_pem_untyped")
                .get("data_hex").asText()), "string");
        for (String typed : List.of("hs_pubkey_sm2_typed_pem", "hs_pubkey_sm2_typed_der")) {
            assertDataRoundTrip("HS_PUBKEY", hex(Vectors.vector(Vectors.CN, typed).get("data_hex").asText()),
                    "base64");
        }
    }

    static Stream<String> encodedValues() {
        List<String> out = new ArrayList<>();
        for (String file : List.of(Vectors.HANDLE, Vectors.CN)) {
            for (JsonNode v : Vectors.all(file)) {
                if (v.has("value_hex")) {
                    out.add(v.get("value_hex").asText());
                }
                for (String nested : List.of("record_values", "signed_values")) {
                    v.path(nested).forEach(n -> out.add(n.get("value_hex").asText()));
                }
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(8);
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("encodedValues")
    void everyVectorValueRoundTripsByteForByte(String valueHex) throws Exception {
        HandleValue value = ValueCodec.decode(hex(valueHex));
        String json = WRITER.writeValue(value);
        assertThat(ValueCodec.encode(READER.readValue(json, 0))).as(json).isEqualTo(ValueCodec.encode(value));
    }

    @Test
    void replyWithValuesIsTheRestApiText() throws Exception {
        String text = Vectors.vector(Vectors.HANDLE, "rest_json_handle_record").get("json_text").asText();
        List<HandleValue> values = READER.readValues(text, 0);
        assertThat(ValueCodec.encode(values.get(0))).isEqualTo(valueBytes("handle_value_url"));
        assertThat(ValueCodec.encode(values.get(2))).isEqualTo(valueBytes("handle_value_hs_admin"));
        assertThat(WRITER.writeReply(ResponseCode.SUCCESS, "88.100.1/PROD-0001", values)).isEqualTo(text);
        assertThat(MAPPER.readTree(text)).isEqualTo(
                Vectors.vector(Vectors.HANDLE, "resolution_response_url_email_admin").get("json"));
    }

    @Test
    void repliesWithoutValuesAreTheRestApiText() throws Exception {
        assertThat(WRITER.writeErrorReply(ResponseCode.HANDLE_NOT_FOUND, "88.100.1/PROD-0001", null))
                .isEqualTo(Vectors.vector(Vectors.HANDLE, "rest_json_not_found").get("json_text").asText());
        // The reference server writes "values" before "handle" here; members have no order in JSON.
        String valuesNotFound = Vectors.vector(Vectors.HANDLE, "rest_json_values_not_found").get("json_text").asText();
        assertThat(MAPPER.readTree(WRITER.writeReply(ResponseCode.VALUES_NOT_FOUND, "88.100.1/PROD-0001", List.of())))
                .isEqualTo(MAPPER.readTree(valuesNotFound));
        assertThat(READER.readValues(valuesNotFound, 0)).isEmpty();
    }

    @Test
    void siteKeyVlistAndSecretValuesAreTheRestApiText() throws Exception {
        String text = Vectors.vector(Vectors.HANDLE, "rest_json_site_and_key_values").get("json_text").asText();
        List<HandleValue> values = READER.readValues(text, 0);
        assertThat(values).extracting(HandleValue::type).containsExactly("HS_SITE", "HS_PUBKEY", "HS_VLIST", "HS_SECKEY");
        assertThat(values.get(0).data()).isEqualTo(vectorData("hs_site_data_127_0_0_1_2641"));
        assertThat(values.get(1).data()).isEqualTo(vectorData("hs_pubkey_rsa_data"));
        assertThat(values.get(3).permissions()).isEqualTo(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE);
        assertThat(WRITER.writeValues(values)).isEqualTo(text);
    }

    /** Writes the value of {@code valueHex}, expecting the vector's JSON text, and reads that text back to the bytes. */
    private static void assertExactRoundTrip(String valueHex, JsonNode json) throws Exception {
        byte[] wire = hex(valueHex);
        assertThat(WRITER.writeValue(ValueCodec.decode(wire))).isEqualTo(compact(json));
        assertThat(ValueCodec.encode(READER.readValue(compact(json), 0))).isEqualTo(wire);
    }

    /**
     * Writes a value of {@code type} holding {@code data}, expects {@code format}, reads it back to the same bytes,
     * and returns the JSON of its data.
     */
    private static JsonNode assertDataRoundTrip(String type, byte[] data, String format) throws Exception {
        HandleValue value = HandleValue.builder(7, type).data(data).timestamp(TS).build();
        String json = WRITER.writeValue(value);
        JsonNode dataJson = MAPPER.readTree(json).get("data");
        assertThat(dataJson.get("format").asText()).as(json).isEqualTo(format);
        assertThat(ValueCodec.encode(READER.readValue(json, 0))).as(json).isEqualTo(ValueCodec.encode(value));
        return dataJson;
    }

    private static JsonNode dataJson(String type, byte[] data) throws Exception {
        HandleValue value = HandleValue.builder(7, type).data(data).timestamp(TS).build();
        String json = WRITER.writeValue(value);
        assertThat(ValueCodec.encode(READER.readValue(json, 0))).as(json).isEqualTo(ValueCodec.encode(value));
        return MAPPER.readTree(json).get("data");
    }

    private static byte[] vectorData(String name) {
        return hex(Vectors.vector(Vectors.HANDLE, name).get("data_hex").asText());
    }

    private static byte[] valueBytes(String name) throws CodecException {
        return ValueCodec.encode(ValueCodec.decode(hex(Vectors.vector(Vectors.HANDLE, name).get("value_hex").asText())));
    }

    private static String compact(JsonNode node) throws JsonProcessingException {
        return MAPPER.writeValueAsString(node);
    }
}
