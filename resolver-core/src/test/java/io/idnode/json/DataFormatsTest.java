package io.idnode.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.model.HandleValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A new data format plugs in by name and by value type, for reading and writing alike. */
class DataFormatsTest {
    /** Text shown reversed: a stand-in for a format such as a JWS. */
    private static final class ReversedFormat implements DataFormat<String> {
        private final String name;

        ReversedFormat(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String decode(byte[] data) {
            return new StringBuilder(new String(data, StandardCharsets.UTF_8)).reverse().toString();
        }

        @Override
        public byte[] encode(String value) {
            return new StringBuilder(value).reverse().toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String read(JsonInput in) throws JsonFormatException {
            return in.string();
        }

        @Override
        public void write(String value, JsonOutput out) {
            out.string(value);
        }
    }

    @Test
    void aNewFormatIsShownForItsTypesAndReadByItsName() throws JsonFormatException {
        DataFormats formats = DataFormats.STANDARD.with(new ReversedFormat("reversed"), "NOTE");
        RecordJsonWriter writer = new RecordJsonWriter(formats);
        RecordJsonReader reader = new RecordJsonReader(formats);
        HandleValue note = HandleValue.builder(1, "note.private").data("abc").build();
        String json = writer.writeValue(note);
        assertThat(json).contains("\"data\":{\"format\":\"reversed\",\"value\":\"cba\"}");
        assertThat(reader.readValue(json, 0).data()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));

        assertThat(RecordJsonWriter.STANDARD.writeValue(note)).contains("{\"format\":\"string\",\"value\":\"abc\"}");
        assertThatThrownBy(() -> RecordJsonReader.STANDARD.readValue(json, 0)).isInstanceOf(JsonFormatException.class)
                .hasMessage("data.format 'reversed' is not one of string, base64, hex, admin, vlist, site, key");
    }

    @Test
    void aFormatReplacedByNameKeepsItsTypes() {
        DataFormats formats = DataFormats.STANDARD.with(new ReversedFormat("admin"));
        assertThat(formats.named("admin")).isInstanceOf(ReversedFormat.class);
        assertThat(formats.forValue(HandleValue.builder(100, "HS_ADMIN").build())).isSameAs(formats.named("admin"));
        assertThat(formats.names()).isEqualTo("string, base64, hex, admin, vlist, site, key");
    }

    @Test
    void standardFormatsByType() {
        DataFormats f = DataFormats.STANDARD;
        assertThat(f.forValue(HandleValue.builder(1, "hs_admin").build()).name()).isEqualTo("admin");
        assertThat(f.forValue(HandleValue.builder(1, "HS_VLIST").build()).name()).isEqualTo("vlist");
        assertThat(f.forValue(HandleValue.builder(1, "HS_SITE.6").build()).name()).isEqualTo("site");
        assertThat(f.forValue(HandleValue.builder(1, "HS_NA_DELEGATE").build()).name()).isEqualTo("site");
        assertThat(f.forValue(HandleValue.builder(1, "HS_PUBKEY").build()).name()).isEqualTo("key");
        assertThat(f.forValue(HandleValue.builder(1, "HS_SITEX").build())).isNull();
        assertThat(f.forValue(HandleValue.builder(1, "URL").build())).isNull();
        assertThat(f.named("json")).isNull();
    }
}
