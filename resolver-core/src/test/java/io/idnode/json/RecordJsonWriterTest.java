package io.idnode.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the record writer shows for each kind of value, and the forms it writes. */
class RecordJsonWriterTest {
    private static final RecordJsonWriter WRITER = RecordJsonWriter.STANDARD;

    @Test
    void dataThatDoesNotDecodeAsItsTypeIsShownAsTextOrBase64() {
        assertThat(data(HandleValue.builder(100, "HS_ADMIN").data("not an admin").build()))
                .isEqualTo("{\"format\":\"string\",\"value\":\"not an admin\"}");
        assertThat(data(HandleValue.builder(1, "HS_SITE").data(new byte[] {0, 1, 2}).build()))
                .isEqualTo("{\"format\":\"base64\",\"value\":\"AAEC\"}");
        assertThat(data(HandleValue.builder(300, "HS_PUBKEY").data(new byte[] {0, 0, 0, 1, 'X'}).build()))
                .isEqualTo("{\"format\":\"base64\",\"value\":\"AAAAAVg=\"}");
        assertThat(data(HandleValue.builder(1, "HS_VLIST").data("").build()))
                .isEqualTo("{\"format\":\"string\",\"value\":\"\"}");
    }

    @Test
    void textWithControlBytesOrBadUtf8IsShownAsBase64() {
        assertThat(data(HandleValue.builder(1, "DESC").data("tab\tand\r\nline").build()))
                .isEqualTo("{\"format\":\"string\",\"value\":\"tab\\tand\\r\\nline\"}");
        assertThat(data(HandleValue.builder(1, "DESC").data("bell\u0007").build()))
                .isEqualTo("{\"format\":\"base64\",\"value\":\"YmVsbAc=\"}");
        assertThat(data(HandleValue.builder(1, "DESC").data(new byte[] {(byte) 0xC3, 0x28}).build()))
                .isEqualTo("{\"format\":\"base64\",\"value\":\"wyg=\"}");
        assertThat(data(HandleValue.builder(1, "DESC").data("caf\u00e9 \u4e16".getBytes(StandardCharsets.UTF_8)).build()))
                .isEqualTo("{\"format\":\"string\",\"value\":\"caf\u00e9 \u4e16\"}");
    }

    @Test
    void optionalMembersAreWrittenOnlyWhenTheyCarrySomething() {
        assertThat(WRITER.writeValue(HandleValue.builder(1, "URL").data("u").build()))
                .isEqualTo("{\"index\":1,\"type\":\"URL\",\"data\":{\"format\":\"string\",\"value\":\"u\"},\"ttl\":86400}");
        HandleValue full = HandleValue.builder(2, "URL").data("u").permissions(0x0C).ttl(HandleValue.TTL_ABSOLUTE, -1)
                .timestamp(-1).references(List.of(new ValueReference("88.100.1/B", 7))).build();
        assertThat(WRITER.writeValue(full)).isEqualTo("{\"index\":2,\"type\":\"URL\",\"data\":{\"format\":\"string\","
                + "\"value\":\"u\"},\"permissions\":\"1100\",\"ttl\":\"2106-02-07T06:28:15Z\","
                + "\"timestamp\":\"2106-02-07T06:28:15Z\",\"references\":[{\"handle\":\"88.100.1/B\",\"index\":7}]}");
    }

    @Test
    void recordsAndRepliesHaveTheirMembersInOrder() {
        HandleValue v = HandleValue.builder(1, "URL").data("u").timestamp(1_700_000_000).build();
        String value = "{\"index\":1,\"type\":\"URL\",\"data\":{\"format\":\"string\",\"value\":\"u\"},\"ttl\":86400,"
                + "\"timestamp\":\"2023-11-14T22:13:20Z\"}";
        assertThat(WRITER.writeRecord(HandleRecord.of("88.100.1/A", List.of(v))))
                .isEqualTo("{\"handle\":\"88.100.1/A\",\"values\":[" + value + "]}");
        assertThat(WRITER.writeValues(List.of(v, v.withIndex(2)))).isEqualTo("[" + value + "," + value.replace(
                "\"index\":1", "\"index\":2") + "]");
        assertThat(WRITER.writeReply(ResponseCode.SUCCESS, "88.100.1/a", List.of(v)))
                .isEqualTo("{\"responseCode\":1,\"handle\":\"88.100.1/a\",\"values\":[" + value + "]}");
        assertThat(WRITER.writeErrorReply(ResponseCode.INVALID_VALUE, "88.100.1/A", "index 7: no such \"value\""))
                .isEqualTo("{\"responseCode\":202,\"handle\":\"88.100.1/A\",\"message\":\"index 7: no such \\\"value\\\"\"}");
    }

    @Test
    void prettyOutputIsIndented() {
        assertThat(WRITER.pretty().writeErrorReply(ResponseCode.HANDLE_NOT_FOUND, "88.100.1/A", null))
                .isEqualTo("{\n  \"responseCode\" : 100,\n  \"handle\" : \"88.100.1/A\"\n}");
    }

    private static String data(HandleValue value) {
        String json = WRITER.writeValue(value);
        int start = json.indexOf("\"data\":") + 7;
        return json.substring(start, json.indexOf('}', start) + 1);
    }
}
