package io.idnode.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.idnode.codec.ValueCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.store.proto.StoredRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** The store contract against {@link RocksDbRecordStore}, and what only RocksDB does. */
class RocksDbRecordStoreTest extends RecordStoreContract {
    @Override
    protected RecordStore open(Path directory) {
        return RocksDbRecordStore.open(directory);
    }

    @Test
    void fieldsOfANewerVersionSurviveAReadModifyWrite() throws Exception {
        store.put(TestRecords.url("88.100.1/EVOLVED", "https://old"));
        store.close();
        UnknownFieldSet newer = UnknownFieldSet.newBuilder()
                .addField(8, UnknownFieldSet.Field.newBuilder().addVarint(2).build())
                .addField(21, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("audit")).build())
                .build();
        byte[] key = KeyLayout.recordKey("88.100.1/EVOLVED");
        withRawDb(db -> {
            StoredRecord stored = StoredRecord.parseFrom(db.get(key));
            db.put(key, stored.toBuilder().setUnknownFields(newer).build().toByteArray());
        });
        store = open(dir);

        HandleRecord read = store.get("88.100.1/evolved");
        store.put(new HandleRecord(read.handle(),
                List.of(HandleValue.builder(1, "URL").data("https://new").build()), read.metadata()));
        store.close();

        withRawDb(db -> {
            StoredRecord stored = StoredRecord.parseFrom(db.get(key));
            assertThat(stored.getUnknownFields()).isEqualTo(newer);
            assertThat(stored.getValues(0).getWire()).isEqualTo(
                    ByteString.copyFrom(ValueCodec.encode(HandleValue.builder(1, "URL").data("https://new").build())));
        });
        store = open(dir);
    }

    @Test
    void corruptStoredRecordFailsNamingTheHandle() throws Exception {
        store.close();
        withRawDb(db -> db.put(KeyLayout.recordKey("88.100.1/BROKEN"), new byte[] {(byte) 0xFF, 0x01, 0x02}));
        store = open(dir);

        assertThatThrownBy(() -> store.get("88.100.1/broken"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/broken");
        assertThatThrownBy(() -> store.list("88.100.1", null, 10))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/BROKEN");
        store.put(TestRecords.url("88.100.1/BROKEN", "https://repaired"));
        assertThat(store.get("88.100.1/BROKEN").values().get(0).dataAsString()).isEqualTo("https://repaired");
    }

    @Test
    void refusesToOverwriteARecordOfANewerFormat() throws Exception {
        store.put(TestRecords.url("88.100.1/FUTURE", "https://x"));
        store.close();
        byte[] key = KeyLayout.recordKey("88.100.1/FUTURE");
        withRawDb(db -> db.put(key, StoredRecord.parseFrom(db.get(key)).toBuilder()
                .setFormatVersion(StoredRecordCodec.FORMAT_VERSION + 1).build().toByteArray()));
        store = open(dir);

        assertThatThrownBy(() -> store.put(TestRecords.url("88.100.1/FUTURE", "https://y")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("88.100.1/FUTURE")
                .hasMessageContaining("format version " + (StoredRecordCodec.FORMAT_VERSION + 1));
    }

    @Test
    void memoryUsageShowsUnflushedWritesThenTableReadersAndCachedBlocks() {
        RocksDbRecordStore rocks = (RocksDbRecordStore) store;
        RocksDbRecordStore.MemoryUsage empty = rocks.memoryUsage();
        List<HandleRecord> records = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            records.add(TestRecords.url("88.100.1/MEM-" + i, "https://example.com/" + i));
        }
        rocks.putAll(records, false);
        RocksDbRecordStore.MemoryUsage written = rocks.memoryUsage();
        assertThat(written.memtableBytes()).isGreaterThan(empty.memtableBytes());
        assertThat(written.tableReaderBytes()).isEqualTo(empty.tableReaderBytes());

        rocks.flush();
        assertThat(rocks.get("88.100.1/MEM-7").values().get(0).dataAsString()).isEqualTo("https://example.com/7");
        RocksDbRecordStore.MemoryUsage flushed = rocks.memoryUsage();
        assertThat(flushed.tableReaderBytes()).isGreaterThan(empty.tableReaderBytes());
        assertThat(flushed.blockCacheBytes()).isGreaterThan(empty.blockCacheBytes())
                .isLessThanOrEqualTo(RocksDbRecordStore.DEFAULT_BLOCK_CACHE_BYTES);
        assertThat(flushed.totalBytes()).isEqualTo(
                flushed.tableReaderBytes() + flushed.memtableBytes() + flushed.blockCacheBytes());
    }

    /**
     * The count is RocksDB's estimate, entries less tombstones: a replaced record counts once more until a
     * compaction rewrites the files holding its two versions; then it is exact.
     */
    @Test
    void countOvercountsReplacementsUntilACompactionRewritesThem() {
        RocksDbRecordStore rocks = (RocksDbRecordStore) store;
        for (int i = 0; i < 20; i++) {
            store.put(TestRecords.url("88.100.1/n" + i, "https://" + i));
        }
        rocks.flush();
        assertThat(store.approximateCount()).isEqualTo(20);

        for (int i = 0; i < 5; i++) {
            store.put(TestRecords.url("88.100.1/N" + i, "https://replaced-" + i));
        }
        for (int i = 5; i < 8; i++) {
            store.delete("88.100.1/n" + i);
        }
        assertThat(store.list("88.100.1", null, 100)).hasSize(17);
        assertThat(store.approximateCount()).isEqualTo(17 + 5);
        rocks.flush();
        assertThat(store.approximateCount()).isEqualTo(17 + 5);

        rocks.compact(); // the two files overlap: the compaction rewrites them, dropping old versions and tombstones
        assertThat(store.approximateCount()).isEqualTo(17);
        reopen();
        assertThat(store.approximateCount()).isEqualTo(17);
    }

    /**
     * Deletes in the write-ahead log are flushed with their records when the store opens: the records are
     * dropped, their tombstones stay in the file and are subtracted still.
     */
    @Test
    void countUndercountsDeletesFlushedWithTheirRecords() {
        for (int i = 0; i < 20; i++) {
            store.put(TestRecords.url("88.100.1/n" + i, "https://" + i));
        }
        for (int i = 5; i < 8; i++) {
            store.delete("88.100.1/n" + i);
        }
        assertThat(store.approximateCount()).isEqualTo(17);

        reopen();

        assertThat(store.list("88.100.1", null, 100)).hasSize(17);
        assertThat(store.approximateCount()).isEqualTo(17 - 3);
    }

    @Test
    void failuresNameTheStoreDirectory() {
        store.close();

        assertThatThrownBy(() -> store.get("88.100.1/A")).hasMessageContaining(dir.toString());
    }

    @Test
    void secondOpenOfTheSameDirectoryFailsNamingItAndTheOperation() {
        assertThatThrownBy(() -> RocksDbRecordStore.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("open");
    }

    @Test
    void customisationHookRunsAfterTheDefaults(@org.junit.jupiter.api.io.TempDir Path other) {
        AtomicInteger calls = new AtomicInteger();
        Consumer<Options> hook = o -> {
            calls.incrementAndGet();
            assertThat(o.compressionType()).isEqualTo(RocksDbRecordStore.COMPRESSION);
            o.setCreateIfMissing(false);
        };

        assertThatThrownBy(() -> RocksDbRecordStore.builder(other.resolve("absent")).customize(hook).open())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("absent");
        assertThat(calls).hasValue(1);
        assertThatThrownBy(() -> RocksDbRecordStore.builder(other).customize(hook).customize(hook))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("customize");
    }

    @Test
    void builderRejectsANonPositiveBlockCache() {
        assertThatThrownBy(() -> RocksDbRecordStore.builder(dir).blockCacheBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blockCacheBytes");
    }

    @Test
    void bulkImportWithoutSyncIsDurableAfterFlush(@org.junit.jupiter.api.io.TempDir Path other) {
        List<HandleRecord> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            records.add(TestRecords.url("88.100.2/bulk-" + i, "https://" + i));
        }
        try (RocksDbRecordStore bulk = RocksDbRecordStore.builder(other).syncWrites(false).blockCacheBytes(1 << 20).open()) {
            bulk.putAll(records.subList(0, 250), false);
            bulk.putAll(records.subList(250, 500), false);
            bulk.put(TestRecords.url("88.100.2/single", "https://single"));
            bulk.flush();
            assertThat(bulk.approximateCount()).isEqualTo(501);
        }

        try (RocksDbRecordStore reopened = RocksDbRecordStore.open(other)) {
            assertThat(reopened.get("88.100.2/BULK-499")).isEqualTo(records.get(499));
            assertThat(reopened.get("88.100.2/single")).isNotNull();
            assertThat(reopened.list("88.100.2", null, 1000)).hasSize(501);
        }
    }

    @Test
    void withoutTheWriteAheadLogWritesReachCheckpointsAndSurviveAClose(@org.junit.jupiter.api.io.TempDir Path other)
            throws Exception {
        Path data = other.resolve("replica");
        try (RocksDbRecordStore replica = RocksDbRecordStore.builder(data).syncWrites(false).writeAheadLog(false)
                .blockCacheBytes(1 << 20).open()) {
            replica.put(TestRecords.url("88.100.2/a", "https://a"));
            replica.write(List.of(RecordStore.RecordWrite.put(TestRecords.url("88.100.2/b", "https://b")),
                    RecordStore.RecordWrite.delete("88.100.2/a")));
            try (var logs = Files.list(data)) {
                assertThat(logs.filter(p -> p.toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum())
                        .as("bytes in RocksDB's write-ahead log").isZero();
            }
            replica.checkpoint(other.resolve("copy"));
        }
        for (Path p : List.of(data, other.resolve("copy"))) {
            try (RocksDbRecordStore reopened = RocksDbRecordStore.open(p)) {
                assertThat(reopened.get("88.100.2/b")).isEqualTo(TestRecords.url("88.100.2/b", "https://b"));
                assertThat(reopened.get("88.100.2/a")).isNull();
            }
        }
    }

    @Test
    void getAllReadsManyRecordsInOrderWithNullWhereThereIsNone() {
        RocksDbRecordStore rocks = (RocksDbRecordStore) store;
        rocks.put(TestRecords.url("88.100.2/one", "https://one"));
        rocks.put(TestRecords.url("88.100.2/Two", "https://two"));
        assertThat(rocks.getAll(List.of("88.100.2/TWO", "88.100.2/none", "88.100.2/one", "88.100.2/one")))
                .containsExactly(TestRecords.url("88.100.2/Two", "https://two"), null,
                        TestRecords.url("88.100.2/one", "https://one"), TestRecords.url("88.100.2/one", "https://one"));
        assertThat(rocks.getAll(List.of())).isEmpty();
    }

    @Test
    void syncedWritesNeedTheWriteAheadLog() {
        assertThatThrownBy(() -> RocksDbRecordStore.builder(dir).writeAheadLog(false).open())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("writeAheadLog");
    }

    @Test
    void putAllChecksEveryRecordBeforeWritingAny() {
        List<HandleRecord> records = new ArrayList<>();
        records.add(TestRecords.url("88.100.1/OK", "https://ok"));
        records.add(TestRecords.url("", "https://empty-handle"));

        assertThatThrownBy(() -> ((RocksDbRecordStore) store).putAll(records, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.get("88.100.1/OK")).isNull();
    }

    @Test
    void ingestedRecordFilesReplaceStoredRecordsAndSurviveAReopen(@org.junit.jupiter.api.io.TempDir Path files) {
        store.put(TestRecords.url("88.100.1/KEPT", "https://kept"));
        store.put(TestRecords.url("88.100.1/REPLACED", "https://old"));
        Path a = files.resolve("a.sst");
        Path b = files.resolve("b.sst");
        try (RecordFileWriter w = RecordFileWriter.create(a)) {
            w.put(KeyLayout.recordKey("88.100.1/NEW-1"), StoredRecordCodec.encode(TestRecords.url("88.100.1/NEW-1", "https://1")));
            w.put(KeyLayout.recordKey("88.100.1/NEW-2"), StoredRecordCodec.encode(TestRecords.url("88.100.1/NEW-2", "https://2")));
            assertThat(w.records()).isEqualTo(2);
            w.finish();
        }
        try (RecordFileWriter w = RecordFileWriter.create(b)) {
            w.put(KeyLayout.recordKey("88.100.1/REPLACED"),
                    StoredRecordCodec.encode(TestRecords.url("88.100.1/replaced", "https://new")));
            w.finish();
        }
        ((RocksDbRecordStore) store).ingest(List.of(a, b));
        store.close();
        store = open(dir);
        assertThat(store.get("88.100.1/KEPT").value(1).dataAsString()).isEqualTo("https://kept");
        assertThat(store.get("88.100.1/REPLACED").value(1).dataAsString()).isEqualTo("https://new");
        assertThat(store.get("88.100.1/REPLACED").handle()).isEqualTo("88.100.1/replaced");
        assertThat(store.get("88.100.1/NEW-2").value(1).dataAsString()).isEqualTo("https://2");
        assertThat(store.list("88.100.1", null, 10)).hasSize(4);
    }

    @Test
    void ofOverlappingFilesIngestedTogetherTheLaterWinsBeforeAndAfterCompaction(@org.junit.jupiter.api.io.TempDir Path files) {
        RocksDbRecordStore rocks = (RocksDbRecordStore) store;
        store.put(TestRecords.url("88.100.1/K-2", "https://stored"));
        List<Path> ingested = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            Path file = files.resolve("f" + f + ".sst");
            try (RecordFileWriter w = RecordFileWriter.create(file)) {
                for (int k = f; k < 6; k++) { // file f holds keys f..5: every file overlaps the others
                    String handle = "88.100.1/K-" + k;
                    w.put(KeyLayout.recordKey(handle), StoredRecordCodec.encode(TestRecords.url(handle, "https://f" + f)));
                }
                w.finish();
            }
            ingested.add(file);
        }
        rocks.ingest(ingested);
        for (boolean compacted : List.of(false, true)) {
            for (int k = 0; k < 6; k++) {
                assertThat(store.get("88.100.1/K-" + k).value(1).dataAsString()).as("K-%d, compacted %s", k, compacted)
                        .isEqualTo("https://f" + Math.min(k, 2));
            }
            rocks.compact();
        }
    }

    @Test
    void recordFileWriterRefusesKeysOutOfOrderOrWithoutAHandle(@org.junit.jupiter.api.io.TempDir Path files) {
        byte[] stored = StoredRecordCodec.encode(TestRecords.url("88.100.1/B", "https://b"));
        try (RecordFileWriter w = RecordFileWriter.create(files.resolve("x.sst"))) {
            w.put(KeyLayout.recordKey("88.100.1/B"), stored);
            assertThatThrownBy(() -> w.put(KeyLayout.recordKey("88.100.1/A"), stored))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not come after 88.100.1/B");
            assertThatThrownBy(() -> w.put(KeyLayout.recordKey("88.100.1/b"), stored))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not come after");
            assertThatThrownBy(() -> w.put(new byte[] {KeyLayout.HANDLE_RECORD}, stored))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no handle");
            assertThatThrownBy(() -> w.put(new byte[] {KeyLayout.AUDIT, 'x'}, stored))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no handle");
            assertThatThrownBy(() -> w.put(KeyLayout.recordKey("88.100.1/C"), new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no stored bytes");
            assertThat(w.records()).isEqualTo(1);
        }
        try (RecordFileWriter empty = RecordFileWriter.create(files.resolve("empty.sst"))) {
            assertThatThrownBy(empty::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("no records");
        }
    }

    @Test
    void ingestAfterCloseFailsNamingTheOperation(@org.junit.jupiter.api.io.TempDir Path files) {
        store.close();
        assertThatThrownBy(() -> ((RocksDbRecordStore) store).ingest(List.of(files.resolve("x.sst"))))
                .isInstanceOf(StoreException.class).hasMessageContaining("closed (ingest)");
        store = open(dir);
    }

    @Test
    void checkpointOfAnOpenStoreHoldsEveryEarlierWriteAndOpensOnItsOwn(@org.junit.jupiter.api.io.TempDir Path backups) {
        RocksDbRecordStore rocks = (RocksDbRecordStore) store;
        rocks.put(TestRecords.url("88.100.1/FLUSHED", "https://flushed"));
        rocks.flush();
        rocks.put(TestRecords.url("88.100.1/IN-WAL", "https://wal")); // only in the memtable and the log
        Path copy = backups.resolve("copy");

        rocks.checkpoint(copy);
        rocks.put(TestRecords.url("88.100.1/LATER", "https://later"));

        try (RocksDbRecordStore restored = RocksDbRecordStore.open(copy)) {
            assertThat(restored.get("88.100.1/FLUSHED").value(1).dataAsString()).isEqualTo("https://flushed");
            assertThat(restored.get("88.100.1/IN-WAL").value(1).dataAsString()).isEqualTo("https://wal");
            assertThat(restored.get("88.100.1/LATER")).isNull();
        }
        assertThat(rocks.get("88.100.1/LATER")).isNotNull();
    }

    @Test
    void checkpointIntoAnExistingFolderFailsNamingTheOperation(@org.junit.jupiter.api.io.TempDir Path existing) {
        assertThatThrownBy(() -> ((RocksDbRecordStore) store).checkpoint(existing))
                .isInstanceOf(StoreException.class).hasMessageContaining("checkpoint to " + existing + " failed");
    }

    private interface RawDbAction {
        void run(RocksDB db) throws Exception;
    }

    /** Runs {@code action} on the store's database opened directly (the store must be closed). */
    private void withRawDb(RawDbAction action) throws Exception {
        try (Options options = new Options(); RocksDB db = RocksDB.open(options, dir.toString())) {
            action.run(db);
        } catch (RocksDBException e) {
            throw new AssertionError("raw access to " + dir + " failed", e);
        }
    }
}
