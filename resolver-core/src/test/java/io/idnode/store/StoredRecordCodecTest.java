package io.idnode.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.idnode.codec.ValueCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.store.proto.StoredRecord;
import io.idnode.store.proto.StoredValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredRecordCodecTest {
    private static final UnknownFieldSet RECORD_EXTRAS = UnknownFieldSet.newBuilder()
            .addField(8, UnknownFieldSet.Field.newBuilder().addVarint(3).build())
            .addField(10, UnknownFieldSet.Field.newBuilder().addVarint(123_456_789L).build())
            .addField(40, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("audit-ref")).build())
            .build();
    private static final UnknownFieldSet VALUE_EXTRAS = UnknownFieldSet.newBuilder()
            .addField(2, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("300:0.NA/X")).build())
            .build();

    @Test
    void roundTripsARecord() throws Exception {
        HandleRecord record = TestRecords.unusual("88.100.1/Round");

        byte[] stored = StoredRecordCodec.encode(record);
        HandleRecord back = StoredRecordCodec.decode(stored, "88.100.1/ROUND");

        assertThat(back).isEqualTo(record);
        assertThat(back.handle()).isEqualTo("88.100.1/Round");
        assertThat(StoredRecord.parseFrom(stored).getFormatVersion()).isEqualTo(StoredRecordCodec.FORMAT_VERSION);
    }

    @Test
    void storesEachValueAsItsExactWireBytes() throws Exception {
        HandleRecord record = TestRecords.unusual("88.100.1/W");

        StoredRecord proto = StoredRecord.parseFrom(StoredRecordCodec.encode(record));

        assertThat(proto.getValuesCount()).isEqualTo(record.values().size());
        for (int i = 0; i < record.values().size(); i++) {
            assertThat(proto.getValues(i).getWire().toByteArray()).isEqualTo(ValueCodec.encode(record.values().get(i)));
        }
    }

    @Test
    void unknownFieldsSurviveDecodeModifyEncode() throws Exception {
        HandleRecord original = TestRecords.unusual("88.100.1/U");
        StoredRecord written = StoredRecord.parseFrom(StoredRecordCodec.encode(original));
        StoredRecord.Builder newer = written.toBuilder().setUnknownFields(RECORD_EXTRAS);
        newer.setValues(0, newer.getValues(0).toBuilder().setUnknownFields(VALUE_EXTRAS));
        byte[] stored = newer.build().toByteArray();

        StoredRecord parsed = StoredRecordCodec.parse(stored, "88.100.1/U");
        HandleRecord read = StoredRecordCodec.toRecord(parsed, "88.100.1/U");
        List<HandleValue> values = new ArrayList<>(read.values());
        values.set(1, HandleValue.builder(2, "EMAIL").data("changed@example.org").build());
        values.add(HandleValue.builder(9, "URL").data("https://added").build());
        HandleRecord modified = new HandleRecord(read.handle(), values, read.metadata());
        StoredRecord rewritten = StoredRecord.parseFrom(StoredRecordCodec.encode(modified, parsed));

        assertThat(rewritten.getUnknownFields()).isEqualTo(RECORD_EXTRAS);
        assertThat(rewritten.getValues(0).getUnknownFields()).isEqualTo(VALUE_EXTRAS);
        assertThat(rewritten.getValues(1).getUnknownFields().asMap()).isEmpty();
        assertThat(StoredRecordCodec.toRecord(rewritten, "88.100.1/U")).isEqualTo(modified);
    }

    @Test
    void corruptValueBytesFailNamingTheHandle() {
        byte[] wire = ValueCodec.encode(TestRecords.url("88.100.1/C", "https://c").values().get(0));
        byte[] truncated = Arrays.copyOf(wire, wire.length - 3);
        byte[] stored = StoredRecord.newBuilder()
                .setFormatVersion(StoredRecordCodec.FORMAT_VERSION)
                .setHandle("88.100.1/C")
                .addValues(StoredValue.newBuilder().setWire(ByteString.copyFrom(wire)))
                .addValues(StoredValue.newBuilder().setWire(ByteString.copyFrom(truncated)))
                .build().toByteArray();

        assertThatThrownBy(() -> StoredRecordCodec.decode(stored, "88.100.1/c"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/c")
                .hasMessageContaining("value #1");
    }

    @Test
    void valueWithTrailingBytesIsCorrupt() {
        byte[] wire = ValueCodec.encode(TestRecords.url("88.100.1/T", "https://t").values().get(0));
        byte[] longer = Arrays.copyOf(wire, wire.length + 1);
        byte[] stored = StoredRecord.newBuilder().setFormatVersion(1).setHandle("88.100.1/T")
                .addValues(StoredValue.newBuilder().setWire(ByteString.copyFrom(longer))).build().toByteArray();

        assertThatThrownBy(() -> StoredRecordCodec.decode(stored, "88.100.1/T"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/T");
    }

    @Test
    void unparseableBytesFailNamingTheHandle() {
        assertThatThrownBy(() -> StoredRecordCodec.decode(new byte[] {0x0A, 0x7F, 0x01}, "88.100.1/JUNK"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/JUNK");
        assertThatThrownBy(() -> StoredRecordCodec.decode(new byte[0], "88.100.1/EMPTY"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/EMPTY")
                .hasMessageContaining("format version");
    }

    @Test
    void refusesANewerFormat() throws Exception {
        byte[] stored = StoredRecordCodec.encode(TestRecords.url("88.100.1/N", "https://n"));
        byte[] newer = StoredRecord.parseFrom(stored).toBuilder().setFormatVersion(-1).build().toByteArray();

        assertThatThrownBy(() -> StoredRecordCodec.decode(newer, "88.100.1/N"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/N")
                .hasMessageContaining("4294967295");
    }

    @Test
    void recordWithoutHandleIsCorrupt() {
        byte[] stored = StoredRecord.newBuilder().setFormatVersion(1).build().toByteArray();

        assertThatThrownBy(() -> StoredRecordCodec.decode(stored, "88.100.1/H"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/H");
        assertThatThrownBy(() -> StoredRecordCodec.readHandle(stored, "88.100.1/H"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/H");
    }

    @Test
    void readsTheHandleAloneSkippingOtherFields() throws Exception {
        StoredRecord proto = StoredRecord.parseFrom(StoredRecordCodec.encode(TestRecords.unusual("88.100.1/OnlyMe")));
        byte[] stored = proto.toBuilder().setUnknownFields(RECORD_EXTRAS).build().toByteArray();
        // Unknown fields first: the reader must skip them to find the handle.
        byte[] reordered = concat(UnknownFieldSet.newBuilder().mergeFrom(RECORD_EXTRAS).build().toByteArray(), stored);

        assertThat(StoredRecordCodec.readHandle(stored, "k")).isEqualTo("88.100.1/OnlyMe");
        assertThat(StoredRecordCodec.readHandle(reordered, "k")).isEqualTo("88.100.1/OnlyMe");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
