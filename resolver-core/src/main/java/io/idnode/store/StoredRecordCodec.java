package io.idnode.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.idnode.codec.CodecException;
import io.idnode.codec.ValueCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueList;
import io.idnode.store.proto.StoredRecord;
import io.idnode.store.proto.StoredValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Converts a {@link HandleRecord} to and from its stored form, the {@code StoredRecord} message of
 * {@code record.proto}. Values are kept in their §5.1 wire encoding and re-validated with
 * {@link ValueCodec} when read back; stored bytes that do not decode give a {@link StoreException}
 * naming the handle.
 */
public final class StoredRecordCodec {
    /** The {@code format_version} this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    /** Protobuf tag of the handle field: field number shifted past the 3 wire-type bits. */
    private static final int HANDLE_FIELD_TAG =
            StoredRecord.HANDLE_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private StoredRecordCodec() {
    }

    /** The stored bytes of a new record. */
    public static byte[] encode(HandleRecord record) {
        return toProto(record, null).toByteArray();
    }

    /**
     * The stored bytes of {@code record} replacing {@code previous} (null if none): every field this version
     * does not map, unknown fields included, is carried over from {@code previous}, and so is the stored
     * message of every value whose wire bytes did not change. Fails if {@code previous} has a newer format.
     */
    public static byte[] encode(HandleRecord record, StoredRecord previous) {
        return toProto(record, previous).toByteArray();
    }

    /** The stored message of {@code record}, starting from {@code previous} (null if none); see {@link #encode(HandleRecord, StoredRecord)}. */
    public static StoredRecord toProto(HandleRecord record, StoredRecord previous) {
        StoredRecord.Builder b;
        Map<ByteString, StoredValue> previousValues = Map.of();
        if (previous == null) {
            b = StoredRecord.newBuilder();
        } else {
            checkFormat(previous, record.handle());
            // Starting from the previous message keeps what a newer version stored beside the values.
            b = previous.toBuilder().clearValues();
            if (previous.getValuesCount() > 0) {
                previousValues = new HashMap<>();
                for (StoredValue v : previous.getValuesList()) {
                    previousValues.putIfAbsent(v.getWire(), v);
                }
            }
        }
        RecordMetadata m = record.metadata();
        b.setFormatVersion(FORMAT_VERSION)
                .setHandle(record.handle())
                .setCreatedMillis(m.createdMillis())
                .setUpdatedMillis(m.updatedMillis())
                .setUpdatedBy(m.updatedBy())
                .setVersion(m.version());
        for (HandleValue v : record.values()) {
            // Values are immutable, so their wire bytes can be shared instead of copied.
            HandleValue e = ValueCodec.encoded(v);
            ByteString wire = UnsafeByteOperations.unsafeWrap(e.encodingArray(), e.encodingOffset(), e.encodingLength());
            // An unchanged value keeps its stored message, with whatever a newer version kept beside it.
            StoredValue unchanged = previousValues.get(wire);
            b.addValues(unchanged != null ? unchanged : StoredValue.newBuilder().setWire(wire).build());
        }
        return b.build();
    }

    /** Parses stored bytes into the message; {@code handle} names the record in errors. */
    public static StoredRecord parse(byte[] stored, String handle) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(stored);
            // Value bytes are copied once more into the record's value list, so aliasing the input is safe.
            in.enableAliasing(true);
            StoredRecord proto = StoredRecord.parseFrom(in);
            checkFormat(proto, handle);
            return proto;
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("stored record of " + handle + " is corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("stored record of " + handle + " could not be read: " + e.getMessage(), e);
        }
    }

    /** The record held in a parsed message, every value validated; {@code handle} names the record in errors. */
    public static HandleRecord toRecord(StoredRecord proto, String handle) {
        if (proto.getHandle().isEmpty()) {
            throw new StoreException("stored record of " + handle + " is corrupt: it names no handle");
        }
        // The values' bytes go once into the record's encoded value list, which the values then share.
        int count = proto.getValuesCount();
        int[] lengths = new int[count];
        int total = 4;
        for (int i = 0; i < count; i++) {
            lengths[i] = proto.getValues(i).getWire().size();
            total += lengths[i];
        }
        byte[] list = ByteBuffer.allocate(total).putInt(count).array();
        int at = 4;
        for (int i = 0; i < count; i++) {
            proto.getValues(i).getWire().copyTo(list, at);
            at += lengths[i];
        }
        ValueList values;
        try {
            values = ValueCodec.decodeList(list, lengths);
        } catch (CodecException e) {
            throw new StoreException("stored record of " + handle + " is corrupt: " + e.getMessage(), e);
        }
        RecordMetadata m = new RecordMetadata(proto.getCreatedMillis(), proto.getUpdatedMillis(), proto.getUpdatedBy(),
                proto.getVersion());
        return new HandleRecord(proto.getHandle(), values, m);
    }

    /** Decodes stored bytes into a record; {@code handle} (the handle looked up) names the record in errors. */
    public static HandleRecord decode(byte[] stored, String handle) {
        return toRecord(parse(stored, handle), handle);
    }

    /**
     * Only the stored handle, without decoding the values (for listings). {@code key} names the record in
     * errors.
     */
    public static String readHandle(byte[] stored, String key) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(stored);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == HANDLE_FIELD_TAG) {
                    String handle = in.readStringRequireUtf8();
                    if (handle.isEmpty()) {
                        break;
                    }
                    return handle;
                }
                in.skipField(tag);
            }
            throw new StoreException("stored record under " + key + " is corrupt: it names no handle");
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("stored record under " + key + " is corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("stored record under " + key + " could not be read: " + e.getMessage(), e);
        }
    }

    private static void checkFormat(StoredRecord proto, String handle) {
        int format = proto.getFormatVersion();
        if (format == 0) {
            throw new StoreException("stored record of " + handle + " is corrupt: it has no format version");
        }
        if (Integer.compareUnsigned(format, FORMAT_VERSION) > 0) {
            throw new StoreException("stored record of " + handle + " has format version " + Integer.toUnsignedString(format)
                    + "; this version reads up to " + FORMAT_VERSION);
        }
    }
}
