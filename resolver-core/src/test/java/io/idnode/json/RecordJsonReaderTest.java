package io.idnode.json;

import io.idnode.codec.ValueCodec;
import io.idnode.model.ValuePermissions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the record reader accepts, what it fills in, and how it names what it rejects. */
class RecordJsonReaderTest {
    private static final RecordJsonReader READER = RecordJsonReader.STANDARD;

    @Test
    void importLineWithDefaults() throws JsonFormatException {
        HandleRecord r = READER.readRecord("{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"URL\","
                + "\"data\":\"https://example.com/\"},{\"type\":\"EMPTY\",\"index\":2}]}", 1_700_000_000);
        assertThat(r.handle()).isEqualTo("88.100.1/A");
        HandleValue url = r.value(1);
        HandleValue expected = HandleValue.builder(1, "URL").data("https://example.com/").timestamp(1_700_000_000)
                .build();
        assertThat(ValueCodec.encode(url)).isEqualTo(ValueCodec.encode(expected));
        assertThat(url.ttlType()).isEqualTo(HandleValue.TTL_RELATIVE);
        assertThat(url.ttl()).isEqualTo(HandleValue.DEFAULT_TTL);
        assertThat(url.permissions()).isEqualTo(ValuePermissions.DEFAULT);
        assertThat(r.value(2).data()).isEmpty();
    }

    @Test
    void everyValueMemberIsRead() throws JsonFormatException {
        HandleValue v = READER.readValue("{\"index\":3,\"type\":\"URL\",\"data\":null,\"permissions\":\"1011\","
                + "\"ttl\":\"2027-01-15T08:00:00Z\",\"timestamp\":\"2023-11-14T22:13:20Z\","
                + "\"references\":[{\"handle\":\"88.100.1/OTHER\",\"index\":1}],\"comment\":{\"ignored\":[1,2]}}", 5);
        assertThat(v.index()).isEqualTo(3);
        assertThat(v.permissions()).isEqualTo(0x0B);
        assertThat(v.ttlType()).isEqualTo(HandleValue.TTL_ABSOLUTE);
        assertThat(v.ttl()).isEqualTo(1_800_000_000);
        assertThat(v.timestamp()).isEqualTo(1_700_000_000);
        assertThat(v.references()).containsExactly(new ValueReference("88.100.1/OTHER", 1));
        assertThat(v.data()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"111111111111\"|4095", "\"011111111111\"|2047", "\"*\"|4095", "true|4095", "false|0", "1040|1040",
        "[\"100000000000\",\"000000000001\"]|2049", "[]|0"})
    void adminPermissionsInEveryAcceptedForm(String json, int bits) throws JsonFormatException {
        HandleValue v = READER.readValue("{\"index\":100,\"type\":\"HS_ADMIN\",\"data\":{\"format\":\"admin\","
                + "\"value\":{\"handle\":\"0.NA/88.100.1\",\"index\":300,\"permissions\":" + json + "}}}", 0);
        assertThat(DataFormats.STANDARD.named("admin").decode(v.data())).isEqualTo(new AdminValue(bits, "0.NA/88.100.1", 300));
    }

    @Test
    void aValueMayComeBeforeItsFormat() throws JsonFormatException {
        HandleValue v = READER.readValue("{\"index\":1,\"type\":\"X\",\"data\":{\"value\":\"00ff\",\"format\":\"hex\"}}", 0);
        assertThat(v.data()).containsExactly(0x00, 0xff);
    }

    @Test
    void valuesComeFromAnArrayOrAnObjectsValuesMember() throws JsonFormatException {
        String one = "{\"index\":1,\"type\":\"URL\",\"data\":\"u\"}";
        assertThat(READER.readValues("[" + one + "]", 0)).extracting(HandleValue::index).containsExactly(1);
        assertThat(READER.readValues("{\"responseCode\":1,\"handle\":\"88.100.1/A\",\"values\":[" + one + "]}", 0))
                .extracting(HandleValue::index).containsExactly(1);
        assertThat(READER.readValues("[]", 0)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json|not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') (column 1)",
        "|not valid JSON: no content",
        "[]|a record must be a JSON object {\"handle\": ..., \"values\": [...]}",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\"}]} {}|not valid JSON: more than one value",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\"}]|not valid JSON: unexpected end of input (column 57)",
        "{\"values\":[{\"index\":1,\"type\":\"U\"}]}|handle is missing",
        "{\"handle\":\"88.100.1/A\"}|values is missing",
        "{\"handle\":\"nosuffix\",\"values\":[]}|handle 'nosuffix' must look like prefix/suffix",
        "{\"handle\":\"/x\",\"values\":[]}|handle '/x' must look like prefix/suffix",
        "{\"handle\":7,\"values\":[]}|handle must be a string",
        "{\"handle\":\"88.100.1/A\",\"values\":[]}|values must be a non-empty array",
        "{\"handle\":\"88.100.1/A\",\"values\":{}}|values must be an array",
        "{\"handle\":\"88.100.1/A\",\"values\":[7]}|values[0] must be an object",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"type\":\"U\"}]}|values[0].index is missing",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":0,\"type\":\"U\"}]}|values[0].index must be > 0, got 0",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1.5,\"type\":\"U\"}]}|values[0].index must be a 32-bit integer",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1}]}|values[0].type is missing",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\"},{\"index\":1,\"type\":\"E\"}]}|values[1].index 1 appears twice",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\",\"ttl\":true}]}|values[0].ttl must be seconds or an ISO-8601 UTC time",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\",\"ttl\":\"soon\"}]}|values[0].ttl must be an ISO-8601 UTC time like 2026-01-31T12:00:00Z, got 'soon'",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\",\"timestamp\":1700000000}]}|values[0].timestamp must be a string",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\",\"timestamp\":\"1969-12-31T23:59:59Z\"}]}|values[0].timestamp must be from 1970-01-01T00:00:00Z to 2106-02-07T06:28:15Z, got '1969-12-31T23:59:59Z'",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\",\"permissions\":\"11111\"}]}|values[0].permissions must be 4 characters of 0/1 or \"*\", got '11111'",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\",\"permissions\":16}]}|values[0].permissions must be an integer from 0 to 15, got 16",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\",\"references\":[{\"handle\":\"a/b\"}]}]}|values[0].references[0].index is missing",
        "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"U\",\"data\":\"\\x\"}]}|not valid JSON: Unrecognized character escape 'x' (code 120) (column 65)"})
    void malformedRecordsNameTheMemberAtFault(String json, String message) {
        assertThatThrownBy(() -> READER.readRecord(json == null ? "" : json, 0)).isInstanceOf(JsonFormatException.class)
                .hasMessage(message);
    }

    @Test
    void theMostValuesOfARecordAreRead() throws JsonFormatException {
        StringBuilder line = new StringBuilder("{\"handle\":\"88.100.1/A\",\"values\":[");
        for (int i = 1; i <= 2048; i++) {
            line.append(i > 1 ? "," : "").append("{\"index\":").append(i).append(",\"type\":\"U\"}");
        }
        assertThat(READER.readRecord(line + "]}", 0).values()).hasSize(2048);
        String tooMany = line + ",{\"index\":2049,\"type\":\"U\"}]}";
        assertThatThrownBy(() -> READER.readRecord(tooMany, 0)).isInstanceOf(JsonFormatException.class)
                .hasMessage("values[2048] is past the most values of a record, 2048");
    }

    @Test
    void overlongHandlesAndTypesAreRejected() {
        String handle = "88.100.1/" + "x".repeat(2040);
        assertThatThrownBy(() -> READER.readRecord("{\"handle\":\"" + handle + "\",\"values\":[]}", 0))
                .isInstanceOf(JsonFormatException.class).hasMessage("handle is longer than 2048 UTF-8 bytes");
        String type = "T".repeat(1_048_577);
        assertThatThrownBy(() -> READER.readValue("{\"index\":1,\"type\":\"" + type + "\"}", 0))
                .isInstanceOf(JsonFormatException.class).hasMessage("type is longer than 1048576 UTF-8 bytes");
    }

    @Test
    void errorsCarryTheirPath() {
        assertThatThrownBy(() -> READER.readValue("{\"index\":1,\"type\":\"T\",\"data\":{\"format\":\"vlist\","
                + "\"value\":[{\"handle\":\"0.NA/1\"}]}}", 0)).isInstanceOfSatisfying(JsonFormatException.class,
                        e -> assertThat(e.path()).isEqualTo("data.value[0].index"));
    }

    @Test
    void aRecordHoldsItsValuesInOrder() throws JsonFormatException {
        HandleRecord r = READER.readRecord("{\"values\":[{\"index\":9,\"type\":\"B\"},{\"index\":2,\"type\":\"A\"}],"
                + "\"handle\":\"88.100.1/Z\",\"extra\":[{}]}", 0);
        assertThat(r.values()).extracting(HandleValue::index).containsExactly(9, 2);
        assertThat(List.of(r.handle())).containsExactly("88.100.1/Z");
    }
}
