package io.idnode.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.idnode.codec.ValueCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.store.RecordStore.RecordWrite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link RecordStore} shares; each implementation runs it through a subclass. */
public abstract class RecordStoreContract {
    @TempDir
    protected Path dir;

    protected RecordStore store;

    /** Opens the store under test in {@code directory} (the same directory again after a close). */
    protected abstract RecordStore open(Path directory);

    /** Whether records survive close and reopen. */
    protected boolean persistent() {
        return true;
    }

    @BeforeEach
    void openStore() {
        store = open(dir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected void reopen() {
        store.close();
        store = open(dir);
    }

    @Test
    void roundTripsValuesByteExactAndMetadata() {
        HandleRecord record = TestRecords.unusual("88.100.1/PROD-0001");
        store.put(record);

        HandleRecord read = store.get("88.100.1/PROD-0001");

        assertThat(read).isEqualTo(record);
        assertThat(read.values()).hasSize(record.values().size());
        for (int i = 0; i < record.values().size(); i++) {
            assertThat(ValueCodec.encode(read.values().get(i))).isEqualTo(ValueCodec.encode(record.values().get(i)));
        }
        assertThat(read.metadata()).isEqualTo(record.metadata());
    }

    @Test
    void missingHandleIsNull() {
        store.put(TestRecords.url("88.100.1/A", "https://a"));

        assertThat(store.get("88.100.1/B")).isNull();
        assertThat(store.get("88.100.2/A")).isNull();
    }

    @Test
    void matchesCaseInsensitivelyKeepingOriginalSpelling() {
        store.put(TestRecords.url("88.100.1/ABC", "https://abc"));
        store.put(TestRecords.url("88.100.1/MiXed", "https://mixed"));

        assertThat(store.get("88.100.1/abc").handle()).isEqualTo("88.100.1/ABC");
        assertThat(store.get("88.100.1/aBc").values().get(0).dataAsString()).isEqualTo("https://abc");
        assertThat(store.get("88.100.1/MIXED").handle()).isEqualTo("88.100.1/MiXed");
    }

    @Test
    void foldsOnlyAsciiLetters() {
        store.put(TestRecords.url("88.100.1/é", "https://lower"));

        assertThat(store.get("88.100.1/É")).isNull();
        assertThat(store.get("88.100.1/é").handle()).isEqualTo("88.100.1/é");
    }

    @Test
    void slashLessHandleMeansPrefixHandle() {
        store.put(TestRecords.url("0.NA/88.100.1", "https://prefix"));

        assertThat(store.get("88.100.1").handle()).isEqualTo("0.NA/88.100.1");
        assertThat(store.get("0.na/88.100.1").handle()).isEqualTo("0.NA/88.100.1");
        assertThat(store.get("88.100")).isNull();
    }

    @Test
    void putReplacesTheWholeRecord() {
        store.put(TestRecords.unusual("88.100.1/X"));
        HandleRecord replacement = TestRecords.url("88.100.1/x", "https://new", 9);

        store.put(replacement);

        HandleRecord read = store.get("88.100.1/X");
        assertThat(read).isEqualTo(replacement);
        assertThat(read.handle()).isEqualTo("88.100.1/x");
    }

    @Test
    void deleteRemovesTheRecordAndReportsWhetherItExisted() {
        store.put(TestRecords.url("88.100.1/GONE", "https://gone"));

        assertThat(store.delete("88.100.1/gone")).isTrue();
        assertThat(store.get("88.100.1/GONE")).isNull();
        assertThat(store.delete("88.100.1/GONE")).isFalse();
        assertThat(store.list("88.100.1", null, 10)).isEmpty();
    }

    @Test
    void batchAppliesAllItsWritesTogether() {
        store.put(TestRecords.url("88.100.1/C", "https://c"));

        store.write(List.of(
                RecordWrite.put(TestRecords.url("88.100.1/A", "https://a")),
                RecordWrite.put(TestRecords.url("88.100.1/B", "https://b")),
                RecordWrite.delete("88.100.1/c")));

        assertThat(store.get("88.100.1/A")).isNotNull();
        assertThat(store.get("88.100.1/B")).isNotNull();
        assertThat(store.get("88.100.1/C")).isNull();
    }

    @Test
    void appliedWritesAreVisibleAtOnceAndDurableWhenTheirStageCompletes() {
        store.put(TestRecords.url("88.100.1/GONE", "https://gone"));
        long position = store.apply(List.of(RecordWrite.put(TestRecords.url("88.100.1/APPLIED", "https://a")),
                RecordWrite.delete("88.100.1/GONE")));
        assertThat(store.get("88.100.1/applied").values().get(0).dataAsString()).isEqualTo("https://a");
        assertThat(store.get("88.100.1/GONE")).isNull();
        assertThat(store.apply(List.of())).as("the position of everything applied so far").isEqualTo(position);

        store.durable(position).toCompletableFuture().join();
        if (persistent()) {
            reopen();
            assertThat(store.get("88.100.1/APPLIED")).isNotNull();
            assertThat(store.get("88.100.1/GONE")).isNull();
        }
    }

    @Test
    void laterWriteOfABatchWinsForTheSameHandle() {
        store.write(List.of(
                RecordWrite.put(TestRecords.url("88.100.1/SAME", "https://first")),
                RecordWrite.put(TestRecords.url("88.100.1/same", "https://second")),
                RecordWrite.delete("88.100.1/OTHER"),
                RecordWrite.put(TestRecords.url("88.100.1/OTHER", "https://other"))));

        assertThat(store.get("88.100.1/SAME").values().get(0).dataAsString()).isEqualTo("https://second");
        assertThat(store.get("88.100.1/OTHER")).isNotNull();
    }

    @Test
    void batchWithAWriteThatCannotBeAppliedAppliesNothing() {
        store.put(TestRecords.url("88.100.1/C", "https://c"));
        HandleRecord other = TestRecords.url("88.100.1/Y", "https://y");

        assertThatThrownBy(() -> store.write(List.of(
                RecordWrite.put(TestRecords.url("88.100.1/A", "https://a")),
                RecordWrite.delete("88.100.1/C"),
                new RecordWrite("88.100.1/X", other))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("88.100.1/X");
        assertThatThrownBy(() -> store.write(List.of(
                RecordWrite.put(TestRecords.url("88.100.1/A", "https://a")),
                RecordWrite.delete(""))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.get("88.100.1/A")).isNull();
        assertThat(store.get("88.100.1/C")).isNotNull();
        assertThat(store.get("88.100.1/X")).isNull();
        assertThat(store.get("88.100.1/Y")).isNull();
    }

    @Test
    void listsHandlesOfAPrefixInKeyOrderAsStored() {
        for (String h : List.of("88.100.1/b", "88.100.1/A", "88.100.1/D", "88.100.1/c", "88.100.1/a-1")) {
            store.put(TestRecords.url(h, "https://" + h));
        }

        assertThat(store.list("88.100.1", null, 100))
                .containsExactly("88.100.1/A", "88.100.1/a-1", "88.100.1/b", "88.100.1/c", "88.100.1/D");
        assertThat(store.list("88.100.1", "", 100)).hasSize(5);
    }

    @Test
    void pagesWithStartAfterAndLimit() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String h = "88.100.1/item-" + i;
            all.add(h);
            store.put(TestRecords.url(h, "https://" + i));
        }

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 10; page++) {
            List<String> got = store.list("88.100.1", after, 3);
            pageSizes.add(got.size());
            if (got.isEmpty()) {
                break;
            }
            seen.addAll(got);
            after = got.get(got.size() - 1);
        }

        assertThat(pageSizes).containsExactly(3, 3, 1, 0);
        assertThat(seen).containsExactlyElementsOf(all);
        assertThat(store.list("88.100.1", "88.100.1/ITEM-4", 2)).containsExactly("88.100.1/item-5", "88.100.1/item-6");
        assertThat(store.list("88.100.1", "88.100.1/item-6", 2)).isEmpty();
        assertThat(store.list("88.100.1", "88.100.1/item-3x", 1)).containsExactly("88.100.1/item-4");
        assertThat(store.list("88.100.1", null, 0)).isEmpty();
    }

    @Test
    void startAfterOutsideThePrefixClampsToItsRange() {
        store.put(TestRecords.url("88.100.1/A", "https://a"));
        store.put(TestRecords.url("88.100.1/B", "https://b"));

        assertThat(store.list("88.100.1", "88.100.0/ZZZ", 10)).containsExactly("88.100.1/A", "88.100.1/B");
        assertThat(store.list("88.100.1", "0.NA/88.100.1", 10)).containsExactly("88.100.1/A", "88.100.1/B");
        assertThat(store.list("88.100.1", "88.100.2/A", 10)).isEmpty();
        assertThatThrownBy(() -> store.list("88.100.1", null, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listingAPrefixLeavesOutLongerAndShorterPrefixes() {
        for (String h : List.of("88.100/P", "88.100.1/A", "88.100.1/Z", "88.100.10/B", "88.100.1.5/C", "88.100.0/D",
                "0.NA/88.100.1", "88.100.1", "88.100.1/")) {
            store.put(TestRecords.url(h, "https://x"));
        }

        assertThat(store.list("88.100.1", null, 100)).containsExactly("88.100.1/", "88.100.1/A", "88.100.1/Z");
        assertThat(store.list("88.100", null, 100)).containsExactly("88.100/P");
        assertThat(store.list("88.100.10", null, 100)).containsExactly("88.100.10/B");
        assertThat(store.list("88.100.1.5", null, 100)).containsExactly("88.100.1.5/C");
        assertThat(store.list("0.NA", null, 100)).containsExactly("88.100.1");
        assertThat(store.list("88.10", null, 100)).isEmpty();
    }

    @Test
    void prefixIsMatchedCaseInsensitively() {
        store.put(TestRecords.url("abc.Def/x", "https://x"));

        assertThat(store.list("ABC.def", null, 10)).containsExactly("abc.Def/x");
    }

    /** Every store counts records of new handles exactly; replacements and deletes are left to each store. */
    @Test
    void countsNewRecordsExactly() {
        assertThat(store.approximateCount()).isZero();
        List<RecordWrite> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HandleRecord record = TestRecords.url("88.100.1/n" + i, "https://" + i);
            if (i < 12) {
                store.put(record);
            } else {
                batch.add(RecordWrite.put(record));
            }
        }
        store.write(batch);

        assertThat(store.approximateCount()).isEqualTo(20);
        if (persistent()) {
            reopen();
            assertThat(store.approximateCount()).isEqualTo(20);
        }
    }

    @Test
    void recordsSurviveCloseAndReopen() {
        assumeTrue(persistent(), "store keeps nothing after close");
        HandleRecord record = TestRecords.unusual("88.100.1/KEPT");
        store.put(record);
        store.write(List.of(RecordWrite.put(TestRecords.url("88.100.1/B", "https://b")), RecordWrite.delete("88.100.1/B")));

        reopen();

        assertThat(store.get("88.100.1/kept")).isEqualTo(record);
        assertThat(store.get("88.100.1/B")).isNull();
        assertThat(store.list("88.100.1", null, 10)).containsExactly("88.100.1/KEPT");
    }

    @Test
    void everyOperationAfterCloseFailsWithStoreException() {
        store.put(TestRecords.url("88.100.1/A", "https://a"));
        store.close();

        assertThatThrownBy(() -> store.get("88.100.1/A")).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.put(TestRecords.url("88.100.1/B", "https://b"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.write(List.of())).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.delete("88.100.1/A")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.list("88.100.1", null, 10)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.approximateCount()).isInstanceOf(StoreException.class);
        store.close();
    }

    /**
     * Writers put batches while readers check what they see. Set "o" has one writer whose batches number up
     * from 1, so a reader going through the set in batch order never sees a later handle older than an
     * earlier one (it would if a batch became visible one write at a time). Set "s" has two writers, so in
     * the end all its handles hold the last batch applied, not a mix. Every record read must be whole.
     */
    @Test
    void concurrentReadersAndWritersSeeWholeBatches() throws Exception {
        int handles = 8;
        int batches = 40;
        List<String> ordered = names("88.100.1/o", handles);
        List<String> shared = names("88.100.2/s", handles);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            writers.add(pool.submit(() -> writeBatches(start, ordered, "w0", batches)));
            writers.add(pool.submit(() -> writeBatches(start, shared, "w1", batches)));
            writers.add(pool.submit(() -> writeBatches(start, shared, "w2", batches)));
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    start.await();
                    int seen = 0;
                    while (writing.get()) {
                        long previous = 0;
                        for (String name : ordered) {
                            HandleRecord rec = store.get(name);
                            long version = rec == null ? 0 : rec.metadata().version();
                            if (rec != null) {
                                assertWhole(rec, name);
                                seen++;
                            }
                            assertThat(version).as("%s read after an older handle of the same batches", name)
                                    .isGreaterThanOrEqualTo(previous);
                            previous = version;
                        }
                        for (String name : shared) {
                            HandleRecord rec = store.get(name);
                            if (rec != null) {
                                assertWhole(rec, name);
                            }
                        }
                        assertThat(store.list("88.100.2", null, 100)).hasSizeLessThanOrEqualTo(handles);
                    }
                    return seen;
                }));
            }
            start.countDown();
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<Integer> r : readers) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }

        for (String name : ordered) {
            HandleRecord rec = store.get(name);
            assertWhole(rec, name);
            assertThat(rec.metadata().version()).isEqualTo(batches);
        }
        String lastWriter = store.get(shared.get(0)).metadata().updatedBy();
        for (String name : shared) {
            HandleRecord rec = store.get(name);
            assertWhole(rec, name);
            assertThat(rec.metadata().updatedBy()).isEqualTo(lastWriter);
            assertThat(rec.metadata().version()).isEqualTo(batches);
        }
        assertThat(store.list("88.100.2", null, 100)).containsExactlyElementsOf(shared);
    }

    private static List<String> names(String stem, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(stem + i);
        }
        return names;
    }

    private Void writeBatches(CountDownLatch start, List<String> names, String writer, int batches) throws Exception {
        start.await();
        for (int b = 1; b <= batches; b++) {
            List<RecordWrite> batch = new ArrayList<>();
            for (String name : names) {
                batch.add(RecordWrite.put(stamped(name, writer, b)));
            }
            store.write(batch);
        }
        return null;
    }

    private static HandleRecord stamped(String handle, String writer, int batch) {
        List<HandleValue> values = List.of(
                HandleValue.builder(1, "URL").data(writer + ":" + batch).build(),
                HandleValue.builder(2, "DESC").data("batch " + batch + " of " + writer).build());
        return new HandleRecord(handle, values, new HandleRecord.RecordMetadata(1, batch, writer, batch));
    }

    private static void assertWhole(HandleRecord rec, String name) {
        String writer = rec.metadata().updatedBy();
        long batch = rec.metadata().version();
        assertThat(rec.handle()).isEqualTo(name);
        assertThat(rec.values()).hasSize(2);
        assertThat(rec.values().get(0).dataAsString()).isEqualTo(writer + ":" + batch);
        assertThat(rec.values().get(1).dataAsString()).isEqualTo("batch " + batch + " of " + writer);
    }
}
