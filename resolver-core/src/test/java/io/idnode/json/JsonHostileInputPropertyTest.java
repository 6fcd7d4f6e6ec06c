package io.idnode.json;

import io.idnode.codec.ValueCodec;
import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.model.HandleValue;
import io.idnode.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the bytes of a value, the writer shows them and the reader either reads the JSON back or rejects it
 * with a {@link JsonFormatException}; whatever the JSON text, the reader fails with nothing else.
 */
class JsonHostileInputPropertyTest {
    private static final String[] TYPES = {"HS_ADMIN", "HS_VLIST", "HS_SITE", "HS_PUBKEY", "URL"};
    private static final List<byte[]> VECTOR_DATA = vectorData();
    private static final List<String> VECTOR_JSON = vectorJson();

    private static List<byte[]> vectorData() {
        List<byte[]> out = new ArrayList<>();
        for (JsonNode v : Vectors.all(Vectors.HANDLE)) {
            if (v.has("data_hex")) {
                out.add(hex(v.get("data_hex").asText()));
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(8);
        return out;
    }

    private static List<String> vectorJson() {
        List<String> out = new ArrayList<>();
        for (JsonNode v : Vectors.all(Vectors.HANDLE)) {
            if (v.path("json_text").asText().contains("\"values\"")) {
                out.add(v.get("json_text").asText());
            }
        }
        out.add("{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":{\"value\":\"00\","
                + "\"format\":\"hex\"},\"permissions\":[\"0110\",true],\"ttl\":\"2027-01-15T08:00:00Z\"}]}");
        assertThat(out).hasSizeGreaterThanOrEqualTo(3);
        return out;
    }

    @Property(tries = 1000)
    void randomDataIsShownAndReadBackOrRejectedCleanly(@ForAll @Size(max = 200) byte[] data,
            @ForAll @IntRange(min = 0, max = 4) int type) {
        showsAndReadsBack(TYPES[type], data);
    }

    /** Vector data with a few bytes changed: decodes far deeper than random bytes. */
    @Property(tries = 2000)
    void mutatedVectorDataIsShownAndReadBackOrRejectedCleanly(@ForAll("mutatedData") byte[] data,
            @ForAll @IntRange(min = 0, max = 4) int type) {
        showsAndReadsBack(TYPES[type], data);
    }

    /** The texts mutated below read as they are: a reader that rejected everything would fail here. */
    @Example
    void theTextsToMutateAreValid() throws JsonFormatException {
        for (String json : VECTOR_JSON) {
            if (json.startsWith("{\"handle\"")) {
                assertThat(RecordJsonReader.STANDARD.readRecord(json, 0).values()).hasSize(1);
            } else {
                RecordJsonReader.STANDARD.readValues(json, 0);
            }
        }
    }

    @Property(tries = 3000)
    void mutatedJsonIsReadOrRejectedCleanly(@ForAll("mutatedJson") String json) {
        try {
            if (json.startsWith("{\"handle\"")) {
                RecordJsonReader.STANDARD.readRecord(json, 0);
            } else {
                RecordJsonReader.STANDARD.readValues(json, 0);
            }
        } catch (JsonFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static void showsAndReadsBack(String type, byte[] data) {
        HandleValue value = HandleValue.builder(1, type).data(data).build();
        String json = RecordJsonWriter.STANDARD.writeValue(value);
        boolean asIs = json.contains(",\"data\":{\"format\":\"string\",") || json.contains(",\"data\":{\"format\":\"base64\",");
        try {
            HandleValue back = RecordJsonReader.STANDARD.readValue(json, 0);
            if (asIs) {
                assertThat(ValueCodec.encode(back)).as(json).isEqualTo(ValueCodec.encode(value));
            }
        } catch (JsonFormatException e) {
            // Only data that decodes, but out of the range its JSON allows (e.g. a port past 65535).
            assertThat(asIs).as(json + ": " + e.getMessage()).isFalse();
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedData() {
        return Combinators.combine(Arbitraries.integers().between(0, VECTOR_DATA.size() - 1),
                Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.bytes().list().ofMinSize(4).ofMaxSize(4)).as((which, positions, bytes) -> {
                    byte[] data = VECTOR_DATA.get(which).clone();
                    for (int i = 0; i < positions.size(); i++) {
                        data[positions.get(i) % data.length] = bytes.get(i);
                    }
                    return data;
                });
    }

    @Provide
    Arbitrary<String> mutatedJson() {
        String significant = "{}[]\",:\\0-.1aeEfnrtu \u00e9";
        return Combinators.combine(Arbitraries.integers().between(0, VECTOR_JSON.size() - 1),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, significant.length() - 1)).as((which, at, kind, c) -> {
                    String json = VECTOR_JSON.get(which);
                    int i = at % json.length();
                    char ch = significant.charAt(c);
                    return switch (kind) {
                        case 0 -> json.substring(0, i); // truncated
                        case 1 -> json.substring(0, i) + json.substring(Math.min(json.length(), i + 1 + at % 7));
                        case 2 -> json.substring(0, i) + ch + json.substring(i); // inserted
                        default -> json.substring(0, i) + ch + json.substring(i + 1); // replaced
                    };
                });
    }
}
