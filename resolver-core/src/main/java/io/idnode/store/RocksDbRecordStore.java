package io.idnode.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.idnode.model.HandleRecord;
import io.idnode.model.Handles;
import io.idnode.store.proto.StoredRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.rocksdb.AbstractNativeReference;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.Checkpoint;
import org.rocksdb.CompressionType;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.FlushOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A {@link RecordStore} in one RocksDB database, keys laid out by {@link KeyLayout}, values encoded by
 * {@link StoredRecordCodec}. Tuned for a read-heavy workload of point lookups (bloom filters, hashed data
 * block index, LRU block cache); the named constants below are the defaults and {@link Builder#customize}
 * is the one hook to change anything else. Writes reach the write-ahead log unsynced and are then made
 * durable by group commit ({@link GroupCommit}): concurrent writers share one sync of the log, a lone writer
 * syncs at once, and {@link #durable} completes only after the sync that covers a write. So a write is
 * visible to reads before its sync completes: a crash of the process loses nothing (the log was written),
 * but a power loss within that sync may still undo a change a reader saw. After a failed sync every write is
 * refused until the store is reopened. Syncs can be disabled for bulk import. A write that names a handle
 * other than its record's, or an empty handle, is refused with an {@link IllegalArgumentException} before
 * anything of its batch is applied.
 */
public final class RocksDbRecordStore implements RecordStore {
    /** Default size of the LRU block cache (64 MiB). */
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;
    /** Bloom filter bits per key (about 1% false positives): most misses never touch a data block. */
    public static final double BLOOM_BITS_PER_KEY = 10.0;
    /** Data block size; records are small and read one at a time, so blocks stay small. */
    public static final long BLOCK_SIZE_BYTES = 4L << 10;
    /** Share of the memtable given to its whole-key bloom filter, so misses also skip the memtable search. */
    public static final double MEMTABLE_BLOOM_RATIO = 0.02;
    /** Compression of SST files: cheap to decompress on the read path. */
    public static final CompressionType COMPRESSION = CompressionType.LZ4_COMPRESSION;
    /** Whether writes sync the write-ahead log by default. */
    public static final boolean DEFAULT_SYNC_WRITES = true;
    /**
     * Writes that may wait for a shared sync of the write-ahead log at once; a writer beyond them waits for
     * the running sync to make room.
     */
    public static final int MAX_WAITING_FOR_SYNC = 4096;

    /** Seconds the sync thread stays after its last sync (it starts again with the next load). */
    private static final long SYNC_THREAD_IDLE_SECONDS = 30;
    private static final String ESTIMATE_NUM_KEYS = "rocksdb.estimate-num-keys";
    private static final String TABLE_READERS_MEMORY = "rocksdb.estimate-table-readers-mem";
    private static final String MEMTABLES_MEMORY = "rocksdb.cur-size-all-mem-tables";
    private static final String BLOCK_CACHE_USAGE = "rocksdb.block-cache-usage";

    static {
        RocksDB.loadLibrary();
    }

    private final String name;
    private final boolean syncWrites;
    // Native resources, in the order they are created; close() releases them in the reverse order.
    private final LRUCache blockCache;
    private final BloomFilter bloomFilter;
    private final Options options;
    private final RocksDB db;
    private final ReadOptions readOptions;
    private final WriteOptions syncWriteOptions;
    private final WriteOptions noSyncWriteOptions;
    private final GroupCommit commits;
    // Syncs the log while writers wait and the writer that led the last sync has gone back to its work.
    private final ThreadPoolExecutor syncThread;

    // Every operation holds the read lock while it uses a native handle; close() takes the write lock so
    // no native object is freed under a running call (which would crash the JVM, not throw).
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    // Serialises writers: delete() reports whether the record existed and puts carry forward fields of the
    // record they replace, both of which read before writing; and writes take their commit positions in order.
    private final Object writeMutex = new Object();
    private boolean closed;

    private RocksDbRecordStore(Builder b) {
        this.name = "record store " + b.directory;
        this.syncWrites = b.syncWrites;
        List<AbstractNativeReference> created = new ArrayList<>();
        try {
            blockCache = track(created, new LRUCache(b.blockCacheBytes));
            bloomFilter = track(created, new BloomFilter(BLOOM_BITS_PER_KEY, false));
            options = track(created, new Options());
            setTableFormat(options, bloomFilter, blockCache);
            options.setCreateIfMissing(true)
                    .setMemtableWholeKeyFiltering(true)
                    .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO)
                    .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
            if (b.customizer != null) {
                b.customizer.accept(options);
            }
            readOptions = track(created, new ReadOptions());
            syncWriteOptions = track(created, new WriteOptions().setSync(true));
            noSyncWriteOptions = track(created, new WriteOptions().setSync(false).setDisableWAL(!b.writeAheadLog));
            db = RocksDB.open(options, b.directory.toString());
        } catch (RocksDBException e) {
            closeAll(created);
            throw new StoreException(name + ": open failed: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            // e.g. the customisation hook failed
            closeAll(created);
            throw e;
        }
        WalSync walSync = b.walSync;
        // One task at most is queued: only the one leader hands the lead over.
        this.syncThread = new ThreadPoolExecutor(1, 1, SYNC_THREAD_IDLE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1), r -> {
                    Thread t = new Thread(r, "log-sync " + b.directory.getFileName());
                    t.setDaemon(true);
                    return t;
                });
        syncThread.allowCoreThreadTimeOut(true);
        this.commits = new GroupCommit(name, () -> whileOpen("sync of the write-ahead log", () -> {
            walSync.sync(db);
            return null;
        }), syncThread, b.maxWaitingForSync);
    }

    /**
     * Sets the table format of the store's SST files on {@code options}: one definition for the database and
     * for files built outside it ({@link RecordFileWriter}), so both read alike. {@code blockCache} may be
     * null where nothing is read.
     */
    static void setTableFormat(Options options, BloomFilter bloomFilter, Cache blockCache) {
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setFilterPolicy(bloomFilter)
                .setWholeKeyFiltering(true)
                .setBlockSize(BLOCK_SIZE_BYTES)
                .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
                // Index and filter blocks stay in table-reader memory (about 1.5 bytes a key for the
                // bloom filter): in the block cache, a store much larger than the cache evicts them and a
                // point lookup then re-reads megabytes of filter for one record.
                .setCacheIndexAndFilterBlocks(false);
        if (blockCache != null) {
            table.setBlockCache(blockCache);
        }
        // The table factory is built from the configuration here, so the configuration must be complete.
        options.setTableFormatConfig(table).setCompressionType(COMPRESSION);
    }

    /** Opens (creating if needed) a store in {@code directory} with the default settings. */
    public static RocksDbRecordStore open(Path directory) {
        return builder(directory).open();
    }

    /** A builder for a store in {@code directory}. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The directory of the database. */
    @Override
    public String toString() {
        return name;
    }

    @Override
    public HandleRecord get(String handle) {
        byte[] key = KeyLayout.recordKey(handle);
        byte[] stored;
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen("get");
            stored = db.get(readOptions, key);
        } catch (RocksDBException e) {
            throw failure("get " + handle, e);
        } finally {
            lock.unlock();
        }
        return stored == null ? null : StoredRecordCodec.decode(stored, handle);
    }

    /**
     * The records of {@code handles} in one read of the store (RocksDB's multi-get), in the same order, null where
     * there is none: for a caller that needs many at once.
     */
    public List<HandleRecord> getAll(List<String> handles) {
        List<byte[]> keys = new ArrayList<>(handles.size());
        for (String h : handles) {
            keys.add(KeyLayout.recordKey(h));
        }
        List<byte[]> stored;
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen("get");
            stored = keys.isEmpty() ? List.of() : db.multiGetAsList(readOptions, keys);
        } catch (RocksDBException e) {
            throw failure("get of " + handles.size() + " records", e);
        } finally {
            lock.unlock();
        }
        List<HandleRecord> records = new ArrayList<>(handles.size());
        for (int i = 0; i < handles.size(); i++) {
            byte[] b = stored.get(i);
            records.add(b == null ? null : StoredRecordCodec.decode(b, handles.get(i)));
        }
        return records;
    }

    @Override
    public boolean delete(String handle) {
        byte[] key = KeyLayout.recordKey(handle);
        boolean existed;
        long position;
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen("delete");
            synchronized (writeMutex) {
                existed = db.get(readOptions, key) != null;
                if (existed) {
                    commits.checkWritable();
                    db.delete(noSyncWriteOptions, key);
                    position = commits.applied();
                } else {
                    position = commits.position();
                }
            }
        } catch (RocksDBException e) {
            throw failure("delete " + handle, e);
        } finally {
            lock.unlock();
        }
        await(durable(position));
        return existed;
    }

    /** {@inheritDoc} Applies the writes ({@link #apply}) and waits for the sync that covers them. */
    @Override
    public void write(List<RecordWrite> writes) {
        await(durable(apply(writes)));
    }

    /**
     * {@inheritDoc} A put keeps the fields of the record it replaces that this version does not map (see
     * {@link StoredRecordCodec#encode(HandleRecord, StoredRecord)}); a stored record that no longer parses is
     * simply replaced.
     */
    @Override
    public long apply(List<RecordWrite> writes) {
        byte[][] keys = validatedKeys(writes);
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen("write");
            if (writes.isEmpty()) {
                return commits.position();
            }
            synchronized (writeMutex) {
                commits.checkWritable();
                Map<String, StoredRecord> previous = previousRecords(writes);
                try (WriteBatch batch = new WriteBatch()) {
                    for (int i = 0; i < writes.size(); i++) {
                        RecordWrite w = writes.get(i);
                        String matchKey = Handles.matchKey(w.handle());
                        if (w.isDelete()) {
                            batch.delete(keys[i]);
                            previous.put(matchKey, null);
                        } else {
                            StoredRecord proto = StoredRecordCodec.toProto(w.record(), previous.get(matchKey));
                            batch.put(keys[i], proto.toByteArray());
                            previous.put(matchKey, proto);
                        }
                    }
                    db.write(noSyncWriteOptions, batch);
                    return commits.applied();
                }
            }
        } catch (RocksDBException e) {
            throw failure("write of " + writes.size() + " records", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc} The first caller that finds no sync running syncs the log on its own thread, and again
     * while others wait; stores that do not sync their writes complete at once.
     */
    @Override
    public CompletionStage<Void> durable(long position) {
        return syncWrites ? commits.durable(position) : CompletableFuture.completedStage(null);
    }

    /**
     * Syncs of the write-ahead log made by group commit so far: with the mutations applied meanwhile, the number
     * of mutations one sync made durable (benchmarks report it).
     */
    public long walSyncs() {
        return commits.syncs();
    }

    /**
     * Bulk load: puts whole records in one atomic batch without reading what they replace (fields a newer
     * version stored beside an old record are dropped). With {@code sync} false the batch is not synced to
     * disk; call {@link #flush()} when the import is done.
     */
    public void putAll(List<HandleRecord> records, boolean sync) {
        List<RecordWrite> writes = new ArrayList<>(records.size());
        for (HandleRecord r : records) {
            writes.add(RecordWrite.put(Objects.requireNonNull(r, "record")));
        }
        byte[][] keys = validatedKeys(writes);
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen("putAll");
            synchronized (writeMutex) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int i = 0; i < records.size(); i++) {
                        batch.put(keys[i], StoredRecordCodec.encode(records.get(i)));
                    }
                    db.write(writeOptions(sync), batch);
                }
            }
        } catch (RocksDBException e) {
            throw failure("putAll of " + records.size() + " records", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Bulk load: adds SST files built by {@link RecordFileWriter} to the store in one atomic, durable step;
     * their records replace stored ones of the same handle. Files may overlap each other: RocksDB takes them in
     * the order given, so of one key the later file wins (overlapping files land above the bottom level; see
     * {@link #compact()}). They are moved, not copied, so they must lie on the store's file system. Meant for
     * offline loading: a cache in front of the store does not see the change.
     */
    public void ingest(List<Path> files) {
        Objects.requireNonNull(files, "files");
        List<String> paths = new ArrayList<>(files.size());
        for (Path f : files) {
            paths.add(Objects.requireNonNull(f, "file").toString());
        }
        whileOpen("ingest", () -> {
            if (!paths.isEmpty()) {
                try (IngestExternalFileOptions ingest = new IngestExternalFileOptions().setMoveFiles(true)) {
                    synchronized (writeMutex) {
                        db.ingestExternalFile(paths, ingest);
                    }
                }
            }
            return null;
        });
    }

    /** Compacts the whole store into its bottom level, e.g. after ingesting files whose key ranges overlapped. */
    public void compact() {
        whileOpen("compact", () -> {
            db.compactRange();
            return null;
        });
    }

    /** Makes every write so far durable: syncs the write-ahead log and flushes the memtables to disk. */
    public void flush() {
        whileOpen("flush", () -> {
            try (FlushOptions flushOptions = new FlushOptions().setWaitForFlush(true)) {
                db.flushWal(true);
                db.flush(flushOptions);
            }
            return null;
        });
    }

    /**
     * Writes a consistent copy of the store into {@code target}, a folder that must not exist yet, while the
     * store keeps serving: RocksDB's checkpoint (memtables flushed, SST files hard-linked where the file system
     * allows, copied otherwise, the write-ahead log copied as written so far), so every write that returned
     * before this call is in the copy. The copy opens as a store of its own.
     */
    public void checkpoint(Path target) {
        Objects.requireNonNull(target, "target");
        whileOpen("checkpoint to " + target, () -> {
            try (Checkpoint checkpoint = Checkpoint.create(db)) {
                checkpoint.createCheckpoint(target.toString());
            }
            return null;
        });
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        byte[] lower = KeyLayout.prefixLowerBound(prefix);
        byte[] upper = KeyLayout.prefixUpperBound(prefix);
        byte[] seek = lower;
        if (startAfter != null && !startAfter.isEmpty()) {
            byte[] after = KeyLayout.successor(KeyLayout.recordKey(startAfter));
            if (Arrays.compareUnsigned(after, lower) > 0) {
                seek = after;
            }
        }
        List<String> handles = new ArrayList<>(Math.min(limit, 1024));
        Lock lock = lifecycle.readLock();
        lock.lock();
        // Closed in reverse order: the iterator, then the options, then the bound the options point to.
        try (Slice upperBound = new Slice(upper);
                ReadOptions scan = new ReadOptions().setIterateUpperBound(upperBound).setFillCache(false);
                RocksIterator it = openIterator(scan)) {
            for (it.seek(seek); it.isValid() && handles.size() < limit; it.next()) {
                byte[] key = it.key();
                handles.add(StoredRecordCodec.readHandle(it.value(), KeyLayout.matchKeyOf(key)));
            }
            it.status();
        } catch (RocksDBException e) {
            throw failure("list " + prefix, e);
        } finally {
            lock.unlock();
        }
        return handles;
    }

    /**
     * RocksDB's estimate, entries less tombstones: a replaced record counts once more, and a delete whose record
     * was flushed with it is subtracted once more, until a compaction rewrites the files that hold them.
     */
    @Override
    public long approximateCount() {
        return whileOpen("approximateCount", () -> db.getLongProperty(ESTIMATE_NUM_KEYS));
    }

    /** The native memory RocksDB holds now, as it estimates it itself (none of it is Java heap). */
    public MemoryUsage memoryUsage() {
        return whileOpen("memoryUsage", () -> new MemoryUsage(db.getLongProperty(TABLE_READERS_MEMORY),
                db.getLongProperty(MEMTABLES_MEMORY), db.getLongProperty(BLOCK_CACHE_USAGE)));
    }

    /**
     * A numeric property of the database ({@code rocksdb.*}, e.g. {@code rocksdb.compaction-pending}), for
     * metrics; a {@link StoreException} if the store is closed or the property unknown.
     */
    public long longProperty(String property) {
        return whileOpen("property " + property, () -> db.getLongProperty(property));
    }

    /** True until {@link #close()} begins: the store takes reads and writes. */
    public boolean isOpen() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Native memory of the store in bytes: table readers (index and bloom filter blocks of every open SST
     * file, which grow with the number of keys), memtables (writes not yet flushed) and the block cache.
     */
    public record MemoryUsage(long tableReaderBytes, long memtableBytes, long blockCacheBytes) {
        /** The three together. */
        public long totalBytes() {
            return tableReaderBytes + memtableBytes + blockCacheBytes;
        }
    }

    /**
     * Closes the database once; later calls do nothing. Native close order: wait for running operations
     * (write lock; writes still waiting for a sync then fail, their outcome unknown); sync the write-ahead log
     * (writes may not have been synced); close the database; stop the sync thread; then the objects it was
     * opened with, which must outlive it: read and write options, the options, and last the bloom filter and
     * block cache the table configuration points to.
     */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            RocksDBException failure = null;
            try {
                db.flushWal(true);
            } catch (RocksDBException e) {
                failure = e;
            }
            try {
                db.closeE();
            } catch (RocksDBException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            syncThread.shutdown();
            noSyncWriteOptions.close();
            syncWriteOptions.close();
            readOptions.close();
            options.close();
            bloomFilter.close();
            blockCache.close();
            if (failure != null) {
                throw failure("close", failure);
            }
        } finally {
            lock.unlock();
        }
    }

    private RocksIterator openIterator(ReadOptions scan) {
        ensureOpen("list");
        return db.newIterator(scan);
    }

    private WriteOptions writeOptions(boolean sync) {
        return sync ? syncWriteOptions : noSyncWriteOptions;
    }

    /** Waits for {@code durable}; its failure is rethrown as a store failure of this thread. */
    private static void await(CompletionStage<Void> durable) {
        try {
            durable.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StoreException failed) {
                throw new StoreException(failed.getMessage(), failed);
            }
            throw e;
        }
    }

    /** The stored messages the puts of {@code writes} replace, by match key (absent or unreadable: none). */
    private Map<String, StoredRecord> previousRecords(List<RecordWrite> writes) throws RocksDBException {
        List<byte[]> keys = new ArrayList<>();
        List<RecordWrite> puts = new ArrayList<>();
        for (RecordWrite w : writes) {
            if (!w.isDelete()) {
                keys.add(KeyLayout.recordKey(w.handle()));
                puts.add(w);
            }
        }
        Map<String, StoredRecord> previous = new HashMap<>();
        if (keys.isEmpty()) {
            return previous;
        }
        List<byte[]> stored = db.multiGetAsList(readOptions, keys);
        for (int i = 0; i < puts.size(); i++) {
            StoredRecord proto = carriedForward(stored.get(i));
            if (proto != null) {
                previous.putIfAbsent(Handles.matchKey(puts.get(i).handle()), proto);
            }
        }
        return previous;
    }

    /** The message a put starts from: null if nothing usable is stored (a whole-record put repairs it). */
    private static StoredRecord carriedForward(byte[] stored) {
        if (stored == null) {
            return null;
        }
        StoredRecord proto;
        try {
            proto = StoredRecord.parseFrom(stored);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
        // A record of a newer format is kept as is, so StoredRecordCodec.toProto refuses to overwrite it.
        return proto.getFormatVersion() == 0 ? null : proto;
    }

    /** The keys of {@code writes}, after checking every write so a bad one fails before anything is applied. */
    private static byte[][] validatedKeys(List<RecordWrite> writes) {
        Objects.requireNonNull(writes, "writes");
        byte[][] keys = new byte[writes.size()][];
        for (int i = 0; i < writes.size(); i++) {
            RecordWrite w = Objects.requireNonNull(writes.get(i), "write");
            checkWrite(w, i);
            keys[i] = KeyLayout.recordKey(w.handle());
        }
        return keys;
    }

    /** Checks one write of a batch (shared with {@link InMemoryRecordStore}). */
    static void checkWrite(RecordWrite w, int position) {
        if (w.handle() == null || w.handle().isEmpty()) {
            throw new IllegalArgumentException("write #" + position + " names no handle");
        }
        if (!w.isDelete() && !Handles.matchKey(w.record().handle()).equals(Handles.matchKey(w.handle()))) {
            throw new IllegalArgumentException("write #" + position + " is for " + w.handle() + " but carries the record of "
                    + w.record().handle());
        }
    }

    /** How the store makes its write-ahead log durable. */
    @FunctionalInterface
    interface WalSync {
        /** Writes out what RocksDB may still buffer (with manual WAL flush), then syncs the log. */
        WalSync FLUSH_AND_SYNC = db -> db.flushWal(true);

        void sync(RocksDB db) throws RocksDBException;
    }

    /** A call on the native database that may fail with RocksDB's checked exception. */
    @FunctionalInterface
    private interface NativeCall<T> {
        T call() throws RocksDBException;
    }

    /**
     * Runs {@code call} under the lifecycle's read lock once the store is known to be open; a RocksDB failure
     * becomes a {@link StoreException} naming {@code operation}.
     */
    private <T> T whileOpen(String operation, NativeCall<T> call) {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen(operation);
            return call.call();
        } catch (RocksDBException e) {
            throw failure(operation, e);
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen(String operation) {
        if (closed) {
            throw new StoreException(name + " is closed (" + operation + ")");
        }
    }

    private StoreException failure(String operation, RocksDBException e) {
        return new StoreException(name + ": " + operation + " failed: " + e.getMessage(), e);
    }

    private static <T extends AbstractNativeReference> T track(List<AbstractNativeReference> created, T resource) {
        created.add(resource);
        return resource;
    }

    private static void closeAll(List<AbstractNativeReference> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            created.get(i).close();
        }
    }

    /** Settings of a {@link RocksDbRecordStore}; each setter checks its argument and names it in the error. */
    public static final class Builder {
        private final Path directory;
        private long blockCacheBytes = DEFAULT_BLOCK_CACHE_BYTES;
        private boolean syncWrites = DEFAULT_SYNC_WRITES;
        private boolean writeAheadLog = true;
        private Consumer<Options> customizer;
        private WalSync walSync = WalSync.FLUSH_AND_SYNC;
        private int maxWaitingForSync = MAX_WAITING_FOR_SYNC;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** Size of the block cache in bytes (default {@link #DEFAULT_BLOCK_CACHE_BYTES}); must be positive. */
        public Builder blockCacheBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("blockCacheBytes must be positive, got " + bytes);
            }
            this.blockCacheBytes = bytes;
            return this;
        }

        /**
         * Whether {@link #write}, {@link #put} and {@link #delete} sync the write-ahead log, and {@link #durable}
         * waits for a sync (default true). Turn off only for bulk import, and call {@link #flush()} at its end.
         */
        public Builder syncWrites(boolean sync) {
            this.syncWrites = sync;
            return this;
        }

        /**
         * Whether writes go to RocksDB's write-ahead log (default true). Off only with {@link #syncWrites} off, for
         * a store that is rebuilt from elsewhere after a crash (a replicated member's replica, rebuilt from its
         * snapshot and the Raft log): what was written since the last flush is then lost at a crash, kept by
         * {@link #close}, {@link #flush()} and {@link #checkpoint}.
         */
        public Builder writeAheadLog(boolean on) {
            this.writeAheadLog = on;
            return this;
        }

        /**
         * The one customisation hook: called with the options after the defaults are applied, just before the
         * database opens. May be set once.
         */
        public Builder customize(Consumer<Options> customizer) {
            Objects.requireNonNull(customizer, "customize");
            if (this.customizer != null) {
                throw new IllegalStateException("customize was already set");
            }
            this.customizer = customizer;
            return this;
        }

        /** How the log is synced (default {@link WalSync#FLUSH_AND_SYNC}): a seam for tests of failing syncs. */
        Builder walSync(WalSync sync) {
            this.walSync = Objects.requireNonNull(sync, "walSync");
            return this;
        }

        /** Writes that may wait for a sync at once (default {@link #MAX_WAITING_FOR_SYNC}); at least 1. */
        Builder maxWaitingForSync(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxWaitingForSync must be at least 1, got " + max);
            }
            this.maxWaitingForSync = max;
            return this;
        }

        /** Opens the store. */
        public RocksDbRecordStore open() {
            if (syncWrites && !writeAheadLog) {
                throw new IllegalStateException("syncWrites needs the write-ahead log: turn writeAheadLog on or"
                        + " syncWrites off");
            }
            return new RocksDbRecordStore(this);
        }
    }
}
