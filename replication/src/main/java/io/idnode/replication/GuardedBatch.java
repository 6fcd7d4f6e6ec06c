package io.idnode.replication;

import io.idnode.model.HandleRecord;
import io.idnode.model.Handles;
import io.idnode.store.RecordStore.RecordWrite;
import io.idnode.store.StoredRecordCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the replicated log: a batch of record writes, each guarded by what its writer saw of the handle
 * when it planned the write (absent, or the SHA-256 of the record's stored form). The state machine applies the
 * batch whole only if every guard still holds, so a member planning against a view that another member's write
 * has since changed gets a conflict instead of silently overwriting it (optimistic concurrency).
 */
record GuardedBatch(List<Guarded> writes) {
    private static final int FORMAT = 1;
    private static final byte PUT = 0;
    private static final byte DELETE = 1;
    private static final int DIGEST_BYTES = 32;

    GuardedBatch {
        writes = List.copyOf(writes);
    }

    /** A write and the state of its handle it was planned on: {@code seen} is null for an absent record. */
    record Guarded(RecordWrite write, byte[] seen) {
        Guarded {
            Objects.requireNonNull(write, "write");
        }

        /** Whether {@code current}, the record stored now (or null), is the one this write was planned on. */
        boolean holds(HandleRecord current) {
            return current == null ? seen == null : seen != null && Arrays.equals(seen, digest(current));
        }
    }

    /** The digest that guards {@code record}: SHA-256 of its stored form. */
    static byte[] digest(HandleRecord record) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(StoredRecordCodec.encode(record));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The log form of this batch. */
    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(writes.size());
            for (Guarded g : writes) {
                RecordWrite w = g.write();
                out.writeUTF(w.handle());
                out.writeByte(w.isDelete() ? DELETE : PUT);
                out.writeBoolean(g.seen() != null);
                if (g.seen() != null) {
                    out.write(g.seen());
                }
                if (!w.isDelete()) {
                    byte[] stored = StoredRecordCodec.encode(w.record());
                    out.writeInt(stored.length);
                    out.write(stored);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads a batch written by {@link #encode}; fails with {@link IllegalArgumentException} on any other input. */
    static GuardedBatch decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown log entry format " + format);
            }
            int count = in.readInt();
            if (count < 0 || count > data.length) {
                throw new IllegalArgumentException("bad write count " + count);
            }
            List<Guarded> writes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String handle = in.readUTF();
                byte kind = in.readByte();
                byte[] seen = null;
                if (in.readBoolean()) {
                    seen = in.readNBytes(DIGEST_BYTES);
                }
                RecordWrite write;
                if (kind == DELETE) {
                    write = RecordWrite.delete(handle);
                } else if (kind == PUT) {
                    int length = in.readInt();
                    if (length < 0 || length > data.length) {
                        throw new IllegalArgumentException("bad record length " + length);
                    }
                    byte[] stored = in.readNBytes(length);
                    write = RecordWrite.put(StoredRecordCodec.decode(stored, handle));
                } else {
                    throw new IllegalArgumentException("unknown write kind " + kind);
                }
                writes.add(new Guarded(write, seen));
            }
            return new GuardedBatch(writes);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated log entry: " + e, e);
        }
    }

    /** The handles of the batch in match form, for messages. */
    List<String> handles() {
        return writes.stream().map(g -> Handles.matchKey(g.write().handle())).toList();
    }
}
