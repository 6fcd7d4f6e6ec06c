package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.protocol.Envelope;
import io.idnode.testing.Vectors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random and mutated input never makes a decoder fail with anything but a {@link CodecException}. */
class HostileInputPropertyTest {
    private static final List<byte[]> VECTOR_FRAMES = loadFrames();
    private static final int[] OP_CODES = {0, 1, 2, 100, 101, 102, 103, 104, 105, 200, 201, 300, 301, 302, 400, 401,
            402, 1000, 1001, 1002, 1003, 2001, 31337};
    private static final int[] RESPONSE_CODES = {0, 1, 2, 100, 200, 302, 303, 402, 505, 601};

    private static List<byte[]> loadFrames() {
        List<byte[]> out = new ArrayList<>();
        for (String file : List.of(Vectors.HANDLE, Vectors.CN)) {
            for (JsonNode v : Vectors.all(file)) {
                if (v.has("tcp_hex")) {
                    out.add(hex(v.get("tcp_hex").asText()));
                }
            }
        }
        return out;
    }

    @Property(tries = 500)
    void randomFrames(@ForAll @Size(max = 300) byte[] frame) {
        HostileInput.decodesOrFailsCleanly(frame);
    }

    /** EC is kept clear: an encrypted message is never parsed, so it would test nothing. */
    @Property(tries = 1000)
    void randomMessagesBehindAValidEnvelope(@ForAll @Size(max = 300) byte[] message,
            @ForAll @IntRange(min = 0, max = 255) int byte2) {
        ByteBuffer frame = ByteBuffer.allocate(20 + message.length);
        frame.put((byte) 2).put((byte) 11).put((byte) (byte2 & ~Envelope.ENCRYPTED)).put((byte) 11).putInt(0).putInt(1)
                .putInt(0).putInt(message.length).put(message);
        HostileInput.decodesOrFailsCleanly(frame.array());
    }

    @Provide
    Arbitrary<byte[]> framesWithKnownHeaders() {
        return Combinators.combine(Arbitraries.integers().between(0, OP_CODES.length - 1),
                Arbitraries.integers().between(0, RESPONSE_CODES.length - 1), Arbitraries.integers(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as((op, rc, flags, body, tail) -> {
                    ByteBuffer b = ByteBuffer.allocate(20 + 24 + body.length + tail.length);
                    b.put(new byte[] {2, 11, 2, 11}).putInt(0).putInt(1).putInt(0).putInt(24 + body.length + tail.length);
                    b.putInt(OP_CODES[op]).putInt(RESPONSE_CODES[rc]).putInt(flags).putShort((short) 1).put((byte) 0)
                            .put((byte) 0).putInt(2_000_000_000).putInt(body.length).put(body).put(tail);
                    return b.array();
                });
    }

    @Property(tries = 3000)
    void randomBodiesUnderEveryKnownHeader(@ForAll("framesWithKnownHeaders") byte[] frame) {
        HostileInput.decodesOrFailsCleanly(frame);
    }

    @Property(tries = 3000)
    void mutatedVectors(@ForAll @IntRange(min = 0, max = 1000) int which,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 4095) Integer> positions,
            @ForAll @Size(min = 6, max = 6) byte[] values) {
        byte[] frame = VECTOR_FRAMES.get(which % VECTOR_FRAMES.size()).clone();
        for (int i = 0; i < positions.size(); i++) {
            frame[positions.get(i) % frame.length] = values[i];
        }
        HostileInput.decodesOrFailsCleanly(frame);
    }

    @Property(tries = 500)
    void randomValueData(@ForAll @Size(max = 120) byte[] data) {
        assertThat(decodesOrCodecError(() -> AdminValueCodec.decode(data))).isNotNull();
        assertThat(decodesOrCodecError(() -> SiteInfoCodec.decode(data))).isNotNull();
        assertThat(decodesOrCodecError(() -> ValueListCodec.decode(data))).isNotNull();
        assertThat(decodesOrCodecError(() -> CredentialCodec.decode(data))).isNotNull();
        assertThat(decodesOrCodecError(() -> ValueCodec.decode(data))).isNotNull();
    }

    @Property(tries = 500)
    void mutatedSiteData(@ForAll @IntRange(min = 0, max = 400) int position, @ForAll byte value,
            @ForAll boolean hugeLength) {
        byte[] data = hex(Vectors.vector(Vectors.HANDLE, "hs_site_data_127_0_0_1_2641").get("data_hex").asText());
        int p = position % data.length;
        if (hugeLength && p + 4 <= data.length) {
            ByteBuffer.wrap(data).putInt(p, 0x7FFF_FFF0);
        } else {
            data[p] = value;
        }
        assertThat(decodesOrCodecError(() -> SiteInfoCodec.decode(data))).isNotNull();
    }

    private interface Decoding {
        Object decode() throws CodecException;
    }

    /** The decoded value, or the CodecException; anything else propagates. */
    private static Object decodesOrCodecError(Decoding d) {
        try {
            return d.decode();
        } catch (CodecException e) {
            return e;
        }
    }
}
