package io.idnode.model;

import java.util.List;
import java.util.Objects;

/**
 * A stored handle: its name as first registered, its values (each in wire form, and the whole list too:
 * {@link ValueList}) and what the wire format has no room for ({@link RecordMetadata}). Immutable.
 */
public record HandleRecord(String handle, List<HandleValue> values, RecordMetadata metadata) {
    public HandleRecord {
        Objects.requireNonNull(handle, "handle");
        values = ValueList.of(values);
        metadata = metadata == null ? RecordMetadata.NONE : metadata;
    }

    /** A record with empty metadata. */
    public static HandleRecord of(String handle, List<HandleValue> values) {
        return new HandleRecord(handle, values, RecordMetadata.NONE);
    }

    /** The value at {@code index}, or null. */
    public HandleValue value(int index) {
        for (HandleValue v : values) {
            if (v.index() == index) {
                return v;
            }
        }
        return null;
    }

    /**
     * Bookkeeping kept beside the values: creation and last-change times (Unix milliseconds), the identity
     * that made the last change ({@code index:handle}, empty if unknown) and a version counting changes.
     */
    public record RecordMetadata(long createdMillis, long updatedMillis, String updatedBy, long version) {
        public static final RecordMetadata NONE = new RecordMetadata(0, 0, "", 0);

        public RecordMetadata {
            updatedBy = updatedBy == null ? "" : updatedBy;
        }
    }
}
