package io.idnode.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.ValueCodec;
import io.idnode.handler.ResolutionFilter;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.TestRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueListTest {
    private final List<HandleValue> values = TestRecords.unusual("88.100.1/V").values();

    @Test
    void aRecordsValuesAreAValueList() {
        HandleRecord r = HandleRecord.of("88.100.1/X", new ArrayList<>(values));

        assertThat(r.values()).isInstanceOf(ValueList.class).containsExactlyElementsOf(values);
        assertThat(ValueList.of(r.values())).isSameAs(r.values());
    }

    @Test
    void resolutionReplyEncodedFromTheListsBytesEqualsOneEncodedValueByValue() throws Exception {
        ValueList list = ValueCodec.encodedList(values);
        List<HandleValue> plain = new ArrayList<>(values);

        byte[] fromList = encode(new ResolutionResponse("88.100.1/V", list));
        byte[] valueByValue = encode(new ResolutionResponse("88.100.1/V", plain));

        assertThat(fromList).isEqualTo(valueByValue);
        Message decoded = MessageCodec.DEFAULT.decode(fromList);
        assertThat(((ResolutionResponse) decoded.body()).values()).isEqualTo(plain);
    }

    @Test
    void aListMadeOfValuesKeepsNoEncodingAndAnEncodedListIsTheCountThenEachValue() {
        assertThat(ValueList.of(values).encoding()).isNull();

        ValueList encoded = ValueCodec.encodedList(values);
        byte[] expected = new byte[] {0, 0, 0, (byte) values.size()};
        for (HandleValue v : values) {
            int at = expected.length;
            byte[] e = ValueCodec.encode(v);
            expected = Arrays.copyOf(expected, at + e.length);
            System.arraycopy(e, 0, expected, at, e.length);
        }

        assertThat(encoded.encoding()).isEqualTo(expected);
        assertThat(encoded).isEqualTo(values);
        assertThat(ValueCodec.encodedList(encoded)).isSameAs(encoded);
        assertThat(ValueCodec.encodedList(List.of()).encoding()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void publicOnlyStillDropsValuesWithoutPublicRead() {
        ValueList list = ValueList.of(values); // index 2 and 7 lack public read

        assertThat(list.allPublicReadable()).isFalse();
        assertThat(ResolutionFilter.publicOnly(list)).extracting(HandleValue::index).containsExactly(1, 300);
        ValueList open = ValueList.of(List.of(values.get(0), values.get(2)));
        assertThat(open.allPublicReadable()).isTrue();
        assertThat(ResolutionFilter.publicOnly(open)).isSameAs(open);
    }

    @Test
    void isAnImmutableListEqualToOthersWithTheSameValues() {
        ValueList list = ValueList.of(values);

        assertThat(list).isEqualTo(List.copyOf(values)).hasSameHashCodeAs(List.copyOf(values));
        assertThatThrownBy(() -> list.add(values.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.set(0, values.get(1))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ValueList.of(Arrays.asList(values.get(0), null)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void decodedListsValuesShareItsEncodingAndEqualTheOriginals() throws Exception {
        byte[] wire = ValueCodec.encodedList(values).encoding().clone();
        int[] lengths = values.stream().mapToInt(ValueCodec::encodedLength).toArray();

        ValueList decoded = ValueCodec.decodeList(wire, lengths);

        assertThat(decoded).isEqualTo(values);
        assertThat(decoded.encoding()).isSameAs(wire);
        for (int i = 0; i < decoded.size(); i++) {
            HandleValue v = decoded.get(i);
            assertThat(v.encodingArray()).isSameAs(wire);
            assertThat(ValueCodec.encode(v)).isEqualTo(ValueCodec.encode(values.get(i)));
            assertThat(v).isEqualTo(values.get(i)).hasSameHashCodeAs(values.get(i));
            assertThat(v.type()).isEqualTo(values.get(i).type());
            assertThat(v.data()).isEqualTo(values.get(i).data());
            assertThat(v.references()).isEqualTo(values.get(i).references());
        }
        // A changed copy of a shared value is its own: the list's bytes stay as they were.
        HandleValue moved = decoded.get(0).withIndex(99).withTimestamp(5);
        assertThat(moved.index()).isEqualTo(99);
        assertThat(moved.timestamp()).isEqualTo(5);
        assertThat(moved.hasEncoding()).isFalse();
        assertThat(moved.data()).isEqualTo(values.get(0).data());
        assertThat(ValueCodec.decode(ValueCodec.encode(moved))).isEqualTo(moved);
        assertThat(decoded.get(0)).isEqualTo(values.get(0));
        assertThat(decoded.encoding()).isEqualTo(ValueCodec.encodedList(values).encoding());
    }

    @Test
    void decodeRefusesLengthsThatDoNotFitTheValues() {
        byte[] wire = ValueCodec.encodedList(values).encoding().clone();
        int[] lengths = values.stream().mapToInt(ValueCodec::encodedLength).toArray();
        int[] shifted = lengths.clone();
        shifted[0] -= 1;
        shifted[1] += 1;

        assertThatThrownBy(() -> ValueCodec.decodeList(wire, shifted)).isInstanceOf(CodecException.class)
                .hasMessageContaining("value #0 does not decode");
        assertThatThrownBy(() -> ValueCodec.decodeList(wire, Arrays.copyOf(lengths, lengths.length - 1)))
                .isInstanceOf(CodecException.class).hasMessageContaining("does not hold");
        assertThatThrownBy(() -> ValueCodec.decodeList(new byte[2], new int[0])).isInstanceOf(CodecException.class);
    }

    @Test
    void aDecodedListRefusesValuesThatAreNotViewsOfItsEncoding() {
        byte[] wire = ValueCodec.encodedList(values).encoding();
        HandleValue[] own = {ValueCodec.encoded(values.get(0))};

        assertThatThrownBy(() -> ValueList.decoded(own, wire)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] encode(ResolutionResponse body) {
        MessageHeader header = new MessageHeader(OpCode.RESOLUTION, ResponseCode.SUCCESS, 0, 1, 0, 0);
        Message m = Message.of(new Envelope(2, 10, 0, 2, 10, 0, 7, 0, 0), header, body);
        ByteBuf out = Unpooled.buffer();
        try {
            MessageCodec.DEFAULT.encode(m, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
