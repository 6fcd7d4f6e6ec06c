package io.idnode.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The direct reading of plain UTC times agrees with {@link Instant#parse} on what it reads and leaves the rest to it. */
class UtcTimeTest {
    @Test
    void plainUtcTimesReadAsInstantParseReadsThem() {
        Random random = new Random(42);
        List<String> times = new ArrayList<>(List.of("1970-01-01T00:00:00Z", "2026-01-31T12:00:00Z", "2000-02-29T23:59:59Z",
                "2024-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2106-02-07T06:28:15Z"));
        for (int i = 0; i < 20_000; i++) {
            times.add(Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L)).toString());
        }
        for (String t : times) {
            assertThat(UtcTime.plainUtcSeconds(t)).as(t).isEqualTo(Instant.parse(t).getEpochSecond());
        }
    }

    @Test
    void everythingElseIsLeftToInstantParse() {
        for (String t : List.of("2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
                "2026-12-31T23:59:60Z", "2026-01-01t00:00:00z", "2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00+01:00",
                "+2026-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "2026-01-01T00:00:0xZ", "1900-02-29T00:00:00Z", "")) {
            assertThat(UtcTime.plainUtcSeconds(t)).as(t).isEqualTo(UtcTime.NOT_PLAIN_UTC);
        }
        assertThatThrownBy(() -> Instant.parse("2026-02-29T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void aValueTimestampNamesItsPathAndKeepsLeapSeconds() throws Exception {
        String line = "{\"handle\":\"88.100.1/T\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":\"x\","
                + "\"timestamp\":\"2026-02-30T00:00:00Z\"}]}";
        assertThatThrownBy(() -> RecordJsonReader.STANDARD.readRecord(line, 0)).isInstanceOf(JsonFormatException.class)
                .hasMessage("values[0].timestamp must be an ISO-8601 UTC time like 2026-01-31T12:00:00Z, got '2026-02-30T00:00:00Z'");
        String leap = line.replace("2026-02-30T00:00:00Z", "2016-12-31T23:59:60Z");
        assertThat(RecordJsonReader.STANDARD.readRecord(leap, 0).value(1).timestamp())
                .isEqualTo((int) Instant.parse("2016-12-31T23:59:60Z").getEpochSecond());
    }
}
