package io.idnode.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.store.proto.StoredRecord;
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
                    ByteString.copyFrom(HandleValue.builder(1, "URL").data("https://new").build().wireBytes()));
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
            assertThat(bulk.approximateCount()).isPositive();
        }

        try (RocksDbRecordStore reopened = RocksDbRecordStore.open(other)) {
            assertThat(reopened.get("88.100.2/BULK-499")).isEqualTo(records.get(499));
            assertThat(reopened.get("88.100.2/single")).isNotNull();
            assertThat(reopened.list("88.100.2", null, 1000)).hasSize(501);
        }
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
