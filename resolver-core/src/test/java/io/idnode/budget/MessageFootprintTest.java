package io.idnode.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Message;
import io.idnode.protocol.Requests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes a waiting request is charged for: its message, its decoded elements, its records. */
class MessageFootprintTest {
    private static final Requests REQUESTS = Requests.madeAt(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void aDecodedRequestIsChargedItsMessageItsValuesAndItsRecords() throws CodecException {
        List<HandleValue> values = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            values.add(HandleValue.builder(i, "URL").data("x".repeat(10_000)).build());
        }
        Message decoded = MessageCodec.DEFAULT.decode(MessageCodec.DEFAULT.encode(
                REQUESTS.createHandle("88.100.1/BIG", values)));

        assertThat(MessageFootprint.of(decoded)).isEqualTo(MessageFootprint.MESSAGE_OVERHEAD
                + decoded.envelope().messageLength() + 3L * MessageFootprint.ELEMENT_OVERHEAD);
        assertThat(decoded.envelope().messageLength()).isGreaterThan(30_000);
    }

    @Test
    void aResolutionIsChargedForEachTypeAndIndexItNames() throws CodecException {
        Message decoded = MessageCodec.DEFAULT.decode(MessageCodec.DEFAULT.encode(
                REQUESTS.resolution("88.100.1/A", List.of("URL", "EMAIL"), 1, 2, 3)));

        assertThat(MessageFootprint.of(decoded)).isEqualTo(MessageFootprint.MESSAGE_OVERHEAD
                + decoded.envelope().messageLength() + 5L * MessageFootprint.ELEMENT_OVERHEAD);
    }

    @Test
    void aRequestBuiltInMemoryIsChargedAtLeastItsRecords() {
        Message built = REQUESTS.deleteHandle("88.100.1/A");

        assertThat(MessageFootprint.of(built)).isEqualTo(MessageFootprint.MESSAGE_OVERHEAD
                + built.envelope().messageLength());
    }
}
