package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.testing.Vectors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vector truncated at every length, and with every 4-byte window replaced by a huge or negative length,
 * gives a {@link CodecException} or a valid message, never another exception or an allocation from an
 * unchecked length.
 */
class HostileInputTest {
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;
    private static final int[] HOSTILE_LENGTHS = {0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000, Limits.MAX_FIELD_LENGTH + 1,
            Limits.MAX_FIELD_LENGTH, 0x0000_FFFF};
    /** Offset of the envelope's requestId (§1.1). */
    private static final int REQUEST_ID_OFFSET = 8;

    static Stream<String> frames() {
        List<String> out = new ArrayList<>();
        for (String file : List.of(Vectors.HANDLE, Vectors.CN)) {
            for (JsonNode v : Vectors.all(file)) {
                if (v.has("tcp_hex")) {
                    out.add(v.get("tcp_hex").asText());
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("frames")
    void everyTruncatedFrameIsACodecError(String tcpHex) {
        byte[] frame = hex(tcpHex);
        for (int n = 0; n < frame.length; n++) {
            byte[] cut = Arrays.copyOf(frame, n);
            assertThatThrownBy(() -> CODEC.decode(cut)).as("cut at %d", n).isInstanceOf(CodecException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("frames")
    void truncatedMessagesDecodeOnlyWhenCutAtTheEndOfTheBody(String tcpHex) throws CodecException {
        byte[] frame = hex(tcpHex);
        Message full = CODEC.decode(frame);
        Envelope env = full.envelope();
        int bodyEnd = full.header() == null ? -1 : full.headerAndBody().length();
        for (int n = 0; n < env.messageLength(); n++) {
            if (env.hasFlag(Envelope.ENCRYPTED)) {
                assertThat(CODEC.decodeMessage(env, frame, EnvelopeLayout.LENGTH, n).header()).isNull();
            } else if (n == bodyEnd) {
                assertThat(CODEC.decodeMessage(env, frame, EnvelopeLayout.LENGTH, n).credential()).isNull();
            } else {
                int length = n;
                assertThatThrownBy(() -> CODEC.decodeMessage(env, frame, EnvelopeLayout.LENGTH, length))
                        .as("cut at %d", n).isInstanceOf(CodecException.class);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("frames")
    void hugeLengthsAnywhereAreCodecErrorsOrHarmless(String tcpHex) {
        byte[] frame = hex(tcpHex);
        int failures = 0;
        for (int offset = 0; offset + 4 <= frame.length; offset++) {
            for (int length : HOSTILE_LENGTHS) {
                byte[] mutated = frame.clone();
                ByteBuffer.wrap(mutated).putInt(offset, length);
                Message m = HostileInput.decodeOrReject(mutated);
                if (m == null) {
                    failures++;
                }
                if (offset == REQUEST_ID_OFFSET) {
                    // Any request id is valid: a decoder that refused these would be refusing valid frames.
                    assertThat(m).as("request id %08x", length).isNotNull();
                    assertThat(m.requestId()).isEqualTo(length);
                }
            }
        }
        // Most windows hit a length or count: a decoder that accepted them all would be ignoring lengths.
        assertThat(failures).isGreaterThan(frame.length / 2);
    }
}
