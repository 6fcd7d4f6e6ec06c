package io.idnode.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The version a reply is written in (handle-protocol.md §1.2). */
class EnvelopeTest {

    @Test
    void aReplyTakesTheSuggestedVersionCappedAtTheCurrentOne() {
        Envelope v23 = new Envelope(2, 3, 0, 2, 11, 0, 7, 0, 0);
        assertThat(v23.replyEnvelope(5)).isEqualTo(new Envelope(2, 11, 0, 2, 11, 5, 7, 0, 0));
        Envelope suggests3 = new Envelope(2, 11, 0, 3, 0, 0, 7, 0, 0);
        assertThat(suggests3.replyEnvelope(0).version()).isEqualTo(ProtocolVersion.CURRENT);
        Envelope suggests25 = new Envelope(2, 3, 0, 2, 5, 0, 7, 0, 0);
        assertThat(suggests25.replyEnvelope(0).version()).isEqualTo(ProtocolVersion.of(2, 5));
    }

    /** Found by fuzzing the request chain: byte 2 = 0x01 suggested major 1, and the reply was written as 1.11. */
    @Test
    void aSuggestionBelowTheRequestsOwnVersionIsAnsweredInTheRequestsVersion() {
        Envelope suggestsMajor1 = new Envelope(2, 246, 0, 1, 11, 0, 0x12345678, 0, 0);
        assertThat(suggestsMajor1.replyEnvelope(0).version()).isEqualTo(ProtocolVersion.CURRENT);
        Envelope v23Suggests20 = new Envelope(2, 3, 0, 2, 0, 0, 7, 0, 0);
        assertThat(v23Suggests20.replyEnvelope(0).version()).isEqualTo(ProtocolVersion.of(2, 3));
    }
}
