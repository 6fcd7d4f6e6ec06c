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
    /** The first byte of a group entry: several batches, each applied or refused on its own, in order. */
    static final int GROUP_FORMAT = 2;
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

    /**
     * One log entry carrying {@code encodedBatches} (each from {@link #encode}), so that one Raft round commits
     * them all; a single batch is its own entry.
     */
    static byte[] encodeAll(List<byte[]> encodedBatches) {
        if (encodedBatches.size() == 1) {
            return encodedBatches.get(0);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(GROUP_FORMAT);
            out.writeInt(encodedBatches.size());
            for (byte[] b : encodedBatches) {
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The encoded batches of a log entry, in order: the batches of a group entry, or the entry itself. Fails with
     * {@link IllegalArgumentException} on a malformed group (each batch is checked when decoded).
     */
    static List<byte[]> decodeAll(byte[] entry) {
        if (entry.length == 0 || entry[0] != GROUP_FORMAT) {
            return List.of(entry);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            in.readUnsignedByte();
            int count = in.readInt();
            if (count < 0 || count > entry.length) {
                throw new IllegalArgumentException("bad batch count " + count);
            }
            List<byte[]> batches = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int length = in.readInt();
                if (length < 0 || length > entry.length) {
                    throw new IllegalArgumentException("bad batch length " + length);
                }
                byte[] b = in.readNBytes(length);
                if (b.length != length) {
                    throw new IllegalArgumentException("truncated group entry");
                }
                batches.add(b);
            }
            return batches;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated group entry: " + e, e);
        }
    }

    /** The handles of the batch in match form, for messages. */
    List<String> handles() {
        return writes.stream().map(g -> Handles.matchKey(g.write().handle())).toList();
    }
}
