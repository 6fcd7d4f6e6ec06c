package io.idnode.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.store.RecordStore.RecordWrite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit in a real RocksDB store: writes applied while a sync runs share the next one, a lone writer
 * syncs on its own thread, a failed sync fails every write it covered and refuses the rest, and waiting is
 * bounded. The log's sync is wrapped (never replaced) so a test can hold it or make it fail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {
    @TempDir
    Path dir;

    final HeldSync sync = new HeldSync();
    RocksDbRecordStore store;

    @AfterEach
    void tearDown() {
        sync.release();
        if (store != null) {
            store.close();
        }
    }

    RocksDbRecordStore open(int maxWaiting) {
        store = sync.open(RocksDbRecordStore.builder(dir).maxWaitingForSync(maxWaiting));
        return store;
    }

    static List<RecordWrite> put(String suffix) {
        return List.of(RecordWrite.put(TestRecords.url("88.100.1/" + suffix, "https://example.com/" + suffix)));
    }

    /**
     * Starts a write on another thread, which leads the first sync and is held there until released; it
     * returns once that sync is done, handing on the lead if others wait.
     */
    CompletableFuture<Void> leaderHeldInFirstSync() throws InterruptedException {
        sync.holdNext();
        CompletableFuture<Void> leader = CompletableFuture.runAsync(() -> store.write(put("LEADER")));
        sync.awaitEntered();
        return leader;
    }

    @Test
    void aLoneWriteSyncsOnItsOwnThreadBeforeReturning() {
        open(RocksDbRecordStore.MAX_WAITING_FOR_SYNC);
        store.write(put("ALONE"));
        assertThat(sync.calls()).isEqualTo(1);
        assertThat(sync.threads()).containsExactly(Thread.currentThread());
        assertThat(store.get("88.100.1/ALONE")).isNotNull();
    }

    @Test
    void writesAppliedDuringASyncShareTheNextOneAndSurviveReopening() throws Exception {
        open(RocksDbRecordStore.MAX_WAITING_FOR_SYNC);
        CompletableFuture<Void> leader = leaderHeldInFirstSync();
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            positions.add(store.apply(put("W" + i)));
        }
        // Asked for in reverse order: a later position's sync covers every earlier one.
        for (int i = positions.size() - 1; i >= 0; i--) {
            waiting.add(store.durable(positions.get(i)).toCompletableFuture());
        }
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        assertThat(leader).isNotDone();
        assertThat(store.get("88.100.1/W7")).as("visible before it is durable").isNotNull();

        sync.release();
        leader.join();
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).join();
        assertThat(sync.calls()).as("the held sync, then one for all twenty").isEqualTo(2);
        assertThat(sync.threads().get(1).getName()).as("the lead passed on once the leader's write was durable")
                .startsWith("log-sync ");

        store.close();
        store = RocksDbRecordStore.open(dir);
        for (int i = 0; i < 20; i++) {
            assertThat(store.get("88.100.1/W" + i)).as("W" + i).isNotNull();
        }
    }

    @Test
    void anEmptyApplyIsTheBarrierOfEveryEarlierWrite() throws Exception {
        open(RocksDbRecordStore.MAX_WAITING_FOR_SYNC);
        CompletableFuture<Void> leader = leaderHeldInFirstSync();
        long written = store.apply(put("B"));
        long barrier = store.apply(List.of());
        assertThat(barrier).isEqualTo(written);
        CompletableFuture<Void> durable = store.durable(barrier).toCompletableFuture();
        assertThat(durable).isNotDone();

        sync.release();
        leader.join();
        durable.join();
        assertThat(store.durable(store.apply(List.of())).toCompletableFuture()).isDone();
        assertThat(sync.calls()).isEqualTo(2);
    }

    @Test
    void aFailedSyncFailsEveryWriteItCoveredAndRefusesLaterWrites() throws Exception {
        open(RocksDbRecordStore.MAX_WAITING_FOR_SYNC);
        sync.failFrom(2);
        CompletableFuture<Void> leader = leaderHeldInFirstSync();
        List<CompletableFuture<Void>> covered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            covered.add(store.durable(store.apply(put("F" + i))).toCompletableFuture());
        }

        sync.release();
        leader.join(); // its own sync, the first, succeeded
        for (CompletableFuture<Void> f : covered) {
            assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(StoreException.class)
                    .hasMessageContaining("sync of the write-ahead log failed")
                    .hasMessageContaining("injected sync failure");
        }
        assertThat(sync.calls()).isEqualTo(2);

        assertThatThrownBy(() -> store.write(put("LATER")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("writes are refused until the store is reopened");
        assertThatThrownBy(() -> store.delete("88.100.1/LEADER"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("writes are refused until the store is reopened");
        assertThatThrownBy(() -> store.durable(store.apply(List.of())).toCompletableFuture().join())
                .cause().isInstanceOf(StoreException.class).hasMessageContaining("may not be on disk");
        assertThat(store.get("88.100.1/LATER")).isNull();
        assertThat(sync.calls()).as("no sync after the failure").isEqualTo(2);
        assertThat(store.get("88.100.1/LEADER")).as("reads go on").isNotNull();
    }

    @Test
    void aWriterBeyondTheBoundWaitsForRoom() throws Exception {
        open(2);
        CompletableFuture<Void> leader = leaderHeldInFirstSync();
        CompletableFuture<Void> second = store.durable(store.apply(put("SECOND"))).toCompletableFuture();
        long third = store.apply(put("THIRD"));
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Void> thirdDone = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            return store.durable(third).toCompletableFuture();
        }).thenCompose(f -> f);
        // The leader's write and SECOND fill the room: the third caller waits inside durable().
        while (waiter.get() == null || waiter.get().getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertThat(thirdDone).isNotDone();
        assertThat(second).isNotDone();

        sync.release();
        leader.join();
        second.join();
        thirdDone.join();
        assertThat(sync.calls()).isEqualTo(2);
    }
}
