package io.idnode.store;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.rocksdb.BloomFilter;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;

/**
 * Writes records already in their stored form (key of {@link KeyLayout#recordKey}, bytes of
 * {@link StoredRecordCodec#encode}) to one SST file in the table format of {@link RocksDbRecordStore}, for a
 * bulk load by {@link RocksDbRecordStore#ingest}. Keys must come in strictly increasing byte order. Not
 * thread-safe; close it in every outcome.
 */
public final class RecordFileWriter implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Path file;
    // Native resources, in the order they are created; close() releases them in the reverse order.
    private final BloomFilter bloomFilter;
    private final Options options;
    private final EnvOptions envOptions;
    private final SstFileWriter writer;
    private byte[] lastKey;
    private long records;
    private boolean closed;

    private RecordFileWriter(Path file) {
        this.file = file;
        bloomFilter = new BloomFilter(RocksDbRecordStore.BLOOM_BITS_PER_KEY, false);
        options = new Options();
        EnvOptions env = null;
        SstFileWriter w = null;
        try {
            RocksDbRecordStore.setTableFormat(options, bloomFilter, null);
            env = new EnvOptions();
            w = new SstFileWriter(env, options);
            w.open(file.toString());
        } catch (RocksDBException | RuntimeException e) {
            if (w != null) {
                w.close();
            }
            if (env != null) {
                env.close();
            }
            options.close();
            bloomFilter.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("record file " + file + ": open failed: " + e.getMessage(), e);
        }
        envOptions = env;
        writer = w;
    }

    /** Creates (or truncates) {@code file} and opens it for writing. */
    public static RecordFileWriter create(Path file) {
        return new RecordFileWriter(Objects.requireNonNull(file, "file"));
    }

    /**
     * Adds one record. Refuses, with an {@link IllegalArgumentException} and nothing written, a key that is
     * not a record key, one naming an empty handle, empty stored bytes, or a key not above the last one.
     */
    public void put(byte[] key, byte[] stored) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stored, "stored");
        if (!KeyLayout.isRecordKey(key) || key.length == 1) {
            throw new IllegalArgumentException("record #" + records + " of " + file + " names no handle");
        }
        if (stored.length == 0) {
            throw new IllegalArgumentException("record #" + records + " of " + file + " has no stored bytes");
        }
        if (lastKey != null && Arrays.compareUnsigned(key, lastKey) <= 0) {
            throw new IllegalArgumentException("record #" + records + " of " + file + " ("
                    + KeyLayout.matchKeyOf(key) + ") does not come after " + KeyLayout.matchKeyOf(lastKey));
        }
        ensureOpen("put");
        try {
            writer.put(key, stored);
        } catch (RocksDBException e) {
            throw failure("put", e);
        }
        lastKey = key;
        records++;
    }

    /** Records added so far. */
    public long records() {
        return records;
    }

    /** The last key added, or null if none. */
    public byte[] lastKey() {
        return lastKey == null ? null : lastKey.clone();
    }

    /** Bytes written to the file so far (grows as data blocks fill). */
    public long fileSize() {
        ensureOpen("fileSize");
        try {
            return writer.fileSize();
        } catch (RocksDBException e) {
            throw failure("fileSize", e);
        }
    }

    /** Completes the file (index, filter, footer) and syncs it to disk; needs at least one record. */
    public void finish() {
        ensureOpen("finish");
        if (records == 0) {
            throw new IllegalStateException("record file " + file + " has no records to finish");
        }
        try {
            writer.finish();
        } catch (RocksDBException e) {
            throw failure("finish", e);
        }
    }

    /** Releases the native writer once; an unfinished file is left incomplete for the caller to delete. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        envOptions.close();
        options.close();
        bloomFilter.close();
    }

    private void ensureOpen(String operation) {
        if (closed) {
            throw new StoreException("record file " + file + " is closed (" + operation + ")");
        }
    }

    private StoreException failure(String operation, RocksDBException e) {
        return new StoreException("record file " + file + ": " + operation + " failed: " + e.getMessage(), e);
    }
}
