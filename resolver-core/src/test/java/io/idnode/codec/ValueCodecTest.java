package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueList;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ReferralResponse;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The §5.1 value codec against every encoded value of the golden vectors, and its views and limits. */
class ValueCodecTest {

    /**
     * Every encoded value the vectors hold: the value vectors, the values nested in record vectors, and every
     * value carried by a message vector (found by its bytes in the frame).
     */
    static Stream<Arguments> vectorValues() throws CodecException {
        List<Arguments> out = new ArrayList<>();
        for (String file : List.of(Vectors.HANDLE, Vectors.CN)) {
            for (JsonNode v : Vectors.all(file)) {
                String name = v.get("name").asText();
                if (v.has("value_hex")) {
                    out.add(Arguments.of(name, hex(v.get("value_hex").asText())));
                }
                for (String nested : List.of("record_values", "signed_values")) {
                    v.path(nested).forEach(n -> out.add(Arguments.of(name + "/" + nested,
                            hex(n.get("value_hex").asText()))));
                }
                if (v.has("tcp_hex")) {
                    byte[] frame = hex(v.get("tcp_hex").asText());
                    Message m = MessageCodec.DEFAULT.decode(frame);
                    for (HandleValue value : values(m)) {
                        byte[] encoding = ValueCodec.encode(value);
                        assertThat(indexOf(frame, encoding)).as(name).isPositive();
                        out.add(Arguments.of(name + "/" + value.index(), encoding));
                    }
                }
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(25);
        return out.stream();
    }

    private static List<HandleValue> values(Message m) {
        if (m.body() instanceof ResolutionResponse r) {
            return r.values();
        } else if (m.body() instanceof ValuesRequest r) {
            return r.values();
        } else if (m.body() instanceof ReferralResponse r && r.values() != null) {
            return r.values();
        }
        return List.of();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorValues")
    void decodedValueReencodesByteForByte(String name, byte[] encoding) throws CodecException {
        HandleValue v = ValueCodec.decode(encoding);

        assertThat(v.hasEncoding()).isTrue();
        assertThat(ValueCodec.encode(v)).isEqualTo(encoding);
        assertThat(ValueCodec.encodedLength(v)).isEqualTo(encoding.length);
        assertThat(written(v)).isEqualTo(encoding);
        assertThat(ValueCodec.encoded(v)).isSameAs(v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorValues")
    void valueBuiltFromTheDecodedFieldsEncodesToTheSameBytes(String name, byte[] encoding) throws CodecException {
        HandleValue decoded = ValueCodec.decode(encoding);
        HandleValue built = decoded.toBuilder().build();

        assertThat(built.hasEncoding()).isFalse();
        assertThat(built).isEqualTo(decoded).hasSameHashCodeAs(decoded);
        assertThat(ValueCodec.encode(built)).isEqualTo(encoding);
        assertThat(ValueCodec.encodedLength(built)).isEqualTo(encoding.length);
        assertThat(written(built)).isEqualTo(encoding);
        HandleValue sealed = ValueCodec.encoded(built);
        assertThat(sealed.hasEncoding()).isTrue();
        assertThat(ValueCodec.encode(sealed)).isEqualTo(encoding);
        assertThat(sealed).isEqualTo(decoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorValues")
    void aDecodedValueKeepsItsOwnCopy(String name, byte[] encoding) throws CodecException {
        byte[] input = encoding.clone();
        HandleValue v = ValueCodec.decode(input);
        Arrays.fill(input, (byte) 0x55);

        assertThat(v.encodingArray()).isNotSameAs(input);
        assertThat(ValueCodec.encode(v)).isEqualTo(encoding);
    }

    @Test
    void valuesOfADecodedListAreViewsOfItsEncoding() throws CodecException {
        List<byte[]> encodings = new ArrayList<>();
        Vectors.vector(Vectors.CN, "hs_cert_sm2_signer").get("record_values")
                .forEach(n -> encodings.add(hex(n.get("value_hex").asText())));
        int total = 4 + encodings.stream().mapToInt(e -> e.length).sum();
        ByteBuffer list = ByteBuffer.allocate(total).putInt(encodings.size());
        encodings.forEach(list::put);
        int[] lengths = encodings.stream().mapToInt(e -> e.length).toArray();

        ValueList values = ValueCodec.decodeList(list.array(), lengths);

        assertThat(values.encoding()).isSameAs(list.array());
        int at = 4;
        for (int i = 0; i < values.size(); i++) {
            HandleValue v = values.get(i);
            assertThat(v.encodingArray()).isSameAs(list.array());
            assertThat(v.encodingOffset()).isEqualTo(at);
            assertThat(v.encodingLength()).isEqualTo(encodings.get(i).length);
            assertThat(v).isEqualTo(ValueCodec.decode(encodings.get(i)));
            at += encodings.get(i).length;
        }
        assertThat(written(values)).isEqualTo(list.array());
    }

    @Test
    void minimumSizeIsThatOfTheSmallestValue() {
        byte[] smallest = ValueCodec.encode(HandleValue.builder(1, "").build());

        assertThat(smallest).hasSize(ValueCodec.MIN_SIZE);
    }

    @Test
    void truncatedOrLongerEncodingsAreRefused() {
        byte[] url = hex(Vectors.vector(Vectors.HANDLE, "handle_value_url").get("value_hex").asText());

        for (int cut = 1; cut < url.length; cut++) {
            byte[] truncated = Arrays.copyOf(url, url.length - cut);
            assertThatThrownBy(() -> ValueCodec.decode(truncated)).isInstanceOf(CodecException.class);
        }
        assertThatThrownBy(() -> ValueCodec.decode(Arrays.copyOf(url, url.length + 1)))
                .isInstanceOf(CodecException.class).hasMessageContaining("trailing");
    }

    @Test
    void referenceHandlesMustBeUtf8() throws CodecException {
        HandleValue v = HandleValue.builder(1, "URL").references(List.of(new ValueReference("AB", 7))).build();
        byte[] encoding = ValueCodec.encode(v);
        assertThat(ValueCodec.decode(encoding).references()).containsExactly(new ValueReference("AB", 7));

        int at = indexOf(encoding, "AB".getBytes(StandardCharsets.US_ASCII));
        encoding[at] = (byte) 0xC3;
        encoding[at + 1] = (byte) 0x28; // not a continuation byte

        assertThatThrownBy(() -> ValueCodec.decode(encoding)).isInstanceOf(CodecException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void dataLongerThanTheFieldMaximumIsRefusedWhenEncoded() {
        HandleValue huge = HandleValue.builder(1, "URL").data(new byte[Limits.MAX_FIELD_LENGTH + 1]).build();

        assertThatThrownBy(() -> ValueCodec.encode(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(Limits.MAX_FIELD_LENGTH));
    }

    private static byte[] written(HandleValue v) {
        ByteBuf out = Unpooled.buffer();
        try {
            ValueCodec.write(v, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static byte[] written(List<HandleValue> values) {
        ByteBuf out = Unpooled.buffer();
        try {
            ValueCodec.writeList(values, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
