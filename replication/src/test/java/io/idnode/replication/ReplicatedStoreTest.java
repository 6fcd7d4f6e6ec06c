package io.idnode.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.cache.CachingRecordStore;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.store.RecordStore;
import io.idnode.store.RecordStore.RecordWrite;
import io.idnode.store.StoreException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members of one group in this JVM, each with its own Raft server on a loopback port and its own RocksDB
 * replica: writes through any member reach every replica, guards refuse a write planned on a stale view, a wiped
 * member catches up by snapshot, and without a majority writes fail within the write timeout while reads answer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicatedStoreTest {
    private static final ReplicationSettings FAST = new ReplicationSettings(Duration.ofSeconds(10),
            Duration.ofMillis(1500), 100, 16 << 10);
    /**
     * Writes sent before waiting for them: each must commit within the write timeout counted from its sending,
     * queueing included, so a loaded machine gets no more at once than it surely commits in time.
     */
    private static final int PIPELINE = 20;

    @TempDir
    Path dir;

    private ClusterConfig cluster;
    private final ClusterMember[] members = new ClusterMember[3];

    @AfterEach
    void stop() throws IOException {
        for (ClusterMember m : members) {
            if (m != null) {
                m.close();
            }
        }
    }

    private void startAll() throws IOException {
        Properties p = new Properties();
        p.setProperty("cluster.name", "test");
        String[] ids = {"a", "b", "c"};
        for (String id : ids) {
            p.setProperty("member." + id + ".address", "127.0.0.1");
            p.setProperty("member." + id + ".port", String.valueOf(freePort()));
            p.setProperty("member." + id + ".raft-port", String.valueOf(freePort()));
        }
        cluster = ClusterConfig.parse(p, "test cluster");
        for (int i = 0; i < 3; i++) {
            members[i] = start(i);
        }
    }

    private ClusterMember start(int i) throws IOException {
        String id = cluster.members().get(i).id();
        Path data = dir.resolve(id);
        return ClusterMember.start(cluster, id, data, data.resolve("db"),
                ClusterMember.replicaOpener(1 << 24), CachingRecordStore::new, FAST);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static HandleRecord record(String handle, String url) {
        return new HandleRecord(handle, List.of(HandleValue.builder(1, "URL").data(url).timestamp(1_700_000_000)
                .build()), new RecordMetadata(1L, 2L, "test", 1));
    }

    private int leader() {
        for (int i = 0; i < 3; i++) {
            try {
                if (members[i] != null && members[i].server().getDivision(members[i].group().getGroupId())
                        .getInfo().isLeader()) {
                    return i;
                }
            } catch (IOException e) {
                // not started
            }
        }
        return -1;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(50);
        }
    }

    @Test
    void guardedBatchesSurviveTheirLogForm() {
        HandleRecord r = record("88.100.1/X", "https://example.com/x");
        GuardedBatch batch = new GuardedBatch(List.of(new GuardedBatch.Guarded(RecordWrite.put(r), null),
                new GuardedBatch.Guarded(RecordWrite.delete("88.100.1/Y"), GuardedBatch.digest(r))));
        GuardedBatch back = GuardedBatch.decode(batch.encode());
        assertThat(back.writes()).hasSize(2);
        assertThat(back.writes().get(0).write().record()).isEqualTo(r);
        assertThat(back.writes().get(0).holds(null)).isTrue();
        assertThat(back.writes().get(0).holds(r)).isFalse();
        assertThat(back.writes().get(1).write().isDelete()).isTrue();
        assertThat(back.writes().get(1).holds(r)).isTrue();
        assertThat(back.writes().get(1).holds(record("88.100.1/X", "https://example.com/other"))).isFalse();
        assertThatThrownBy(() -> GuardedBatch.decode(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupEntriesKeepTheirBatchesInOrder() {
        byte[] one = new GuardedBatch(List.of(new GuardedBatch.Guarded(
                RecordWrite.put(record("88.100.1/G1", "https://example.com/1")), null))).encode();
        byte[] two = new GuardedBatch(List.of(new GuardedBatch.Guarded(RecordWrite.delete("88.100.1/G2"),
                GuardedBatch.digest(record("88.100.1/G2", "https://example.com/2"))))).encode();
        // A single batch is its own entry, readable by a member that knows no group entries.
        assertThat(GuardedBatch.encodeAll(List.of(one))).isSameAs(one);
        assertThat(GuardedBatch.decodeAll(one)).containsExactly(one);
        byte[] group = GuardedBatch.encodeAll(List.of(one, two, one));
        assertThat(group[0]).isEqualTo((byte) GuardedBatch.GROUP_FORMAT);
        assertThat(GuardedBatch.decodeAll(group)).containsExactly(one, two, one);
        assertThat(GuardedBatch.decode(GuardedBatch.decodeAll(group).get(1)).writes().get(0).write().isDelete())
                .isTrue();
        assertThatThrownBy(() -> GuardedBatch.decodeAll(java.util.Arrays.copyOf(group, group.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GuardedBatch.decodeAll(new byte[] {GuardedBatch.GROUP_FORMAT, 0x7f, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesThroughAnyMemberReachEveryReplica() throws Exception {
        startAll();
        await("a leader", () -> leader() >= 0);
        int follower = (leader() + 1) % 3;
        RecordStore viaFollower = members[follower].store();
        viaFollower.put(record("88.100.1/F-1", "https://example.com/1"));
        // Visible on the member that took it as soon as the write returns.
        assertThat(viaFollower.get("88.100.1/f-1")).isEqualTo(record("88.100.1/F-1", "https://example.com/1"));
        members[leader()].store().put(record("88.100.1/L-1", "https://example.com/2"));
        // Pipelined: apply without waiting, then one durable for all.
        for (int i = 0; i < 100; i++) {
            long at = viaFollower.apply(List.of(RecordWrite.put(record("88.100.1/P-" + i, "https://example.com/p" + i))));
            if (i % PIPELINE == PIPELINE - 1) {
                viaFollower.durable(at).toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        }
        for (ClusterMember m : members) {
            await("replica " + m + " caught up", () -> m.replica().get("88.100.1/P-99") != null);
            assertThat(m.replica().get("88.100.1/F-1")).isEqualTo(record("88.100.1/F-1", "https://example.com/1"));
            assertThat(m.replica().get("88.100.1/L-1")).isNotNull();
            assertThat(m.replica().list("88.100.1", null, 1000)).hasSize(102);
        }
        assertThat(viaFollower.delete("88.100.1/F-1")).isTrue();
        assertThat(viaFollower.delete("88.100.1/F-1")).isFalse();
        for (ClusterMember m : members) {
            await("delete reached " + m, () -> m.replica().get("88.100.1/F-1") == null);
        }
    }

    @Test
    void anAuthoritativeReadAtAnotherMemberSeesEveryAcknowledgedWrite() throws Exception {
        startAll();
        await("a leader", () -> leader() >= 0);
        int leader = leader();
        int writer = (leader + 1) % 3;
        int reader = (leader + 2) % 3;
        for (int round = 0; round < 5; round++) {
            long at = 0;
            for (int i = 0; i < PIPELINE; i++) {
                at = members[writer].store().apply(List.of(RecordWrite.put(record("88.100.1/AT-" + round + "-" + i,
                        "https://example.com/at" + i))));
            }
            members[writer].store().durable(at).toCompletableFuture().get(60, TimeUnit.SECONDS);
            // The leader applied them before acknowledging; a read index at the reader covers them all.
            long committed = members[leader].appliedIndex();
            assertThat(members[reader].store().readIndex().get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(committed);
            for (int i = 0; i < PIPELINE; i++) {
                assertThat(members[reader].store().getLinearizable("88.100.1/at-" + round + "-" + i)
                        .toCompletableFuture().get(60, TimeUnit.SECONDS))
                        .isEqualTo(record("88.100.1/AT-" + round + "-" + i, "https://example.com/at" + i));
            }
        }
        assertThat(members[reader].store().getLinearizable("88.100.1/none").toCompletableFuture()
                .get(60, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aWritePlannedOnAStaleViewIsRefused() throws Exception {
        startAll();
        await("a leader", () -> leader() >= 0);
        members[0].store().put(record("88.100.1/C", "https://example.com/first"));
        await("b sees it", () -> members[1].replica().get("88.100.1/C") != null);
        // b replaces the record it saw; a's next write was planned on the first version: refused.
        members[1].store().put(record("88.100.1/C", "https://example.com/by-b"));
        await("a sees b's version", () -> "https://example.com/by-b".equals(
                members[0].replica().get("88.100.1/C").values().get(0).dataAsString()));
        GuardedBatch stale = new GuardedBatch(List.of(new GuardedBatch.Guarded(
                RecordWrite.put(record("88.100.1/C", "https://example.com/by-a")),
                GuardedBatch.digest(record("88.100.1/C", "https://example.com/first")))));
        try (var client = ClusterMember.client(members[0].group(), FAST)) {
            var r = client.io().send(org.apache.ratis.protocol.Message.valueOf(
                    org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(stale.encode())));
            assertThat(r.getMessage().getContent().byteAt(0)).isEqualTo(RecordStateMachine.CONFLICT);
        }
        for (ClusterMember m : members) {
            await("every replica keeps b's version", () -> m.replica().get("88.100.1/C") != null);
            assertThat(m.replica().get("88.100.1/C").values().get(0).dataAsString()).isEqualTo("https://example.com/by-b");
        }
    }

    @Test
    void aBatchRefusedInAGroupEntryLeavesTheOthersApplied() throws Exception {
        startAll();
        await("a leader", () -> leader() >= 0);
        HandleRecord first = record("88.100.1/S", "https://example.com/first");
        members[0].store().put(first);
        members[0].store().put(record("88.100.1/S", "https://example.com/second"));
        HandleRecord fresh = record("88.100.1/N", "https://example.com/new");
        byte[] stale = new GuardedBatch(List.of(new GuardedBatch.Guarded(
                RecordWrite.put(record("88.100.1/S", "https://example.com/stale")), GuardedBatch.digest(first))))
                .encode();
        byte[] create = new GuardedBatch(List.of(new GuardedBatch.Guarded(RecordWrite.put(fresh), null))).encode();
        // Planned on the create before it: holds only if the create was applied first.
        byte[] update = new GuardedBatch(List.of(new GuardedBatch.Guarded(
                RecordWrite.put(record("88.100.1/N", "https://example.com/updated")), GuardedBatch.digest(fresh))))
                .encode();
        // Planned on no record: refused, the create in the same entry came first.
        byte[] createAgain = new GuardedBatch(List.of(new GuardedBatch.Guarded(
                RecordWrite.put(record("88.100.1/N", "https://example.com/again")), null))).encode();
        try (var client = ClusterMember.client(members[1].group(), FAST)) {
            var r = client.io().send(org.apache.ratis.protocol.Message.valueOf(
                    org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(
                            GuardedBatch.encodeAll(List.of(stale, create, update, createAgain)))));
            List<String> outcomes = RecordStateMachine.outcomes(r.getMessage(), 4);
            assertThat(outcomes.get(0)).contains("88.100.1/S").contains("changed meanwhile");
            assertThat(outcomes.subList(1, 3)).containsOnlyNulls();
            assertThat(outcomes.get(3)).contains("88.100.1/N").contains("changed meanwhile");
        }
        for (ClusterMember m : members) {
            await("the group entry reached " + m, () -> m.replica().get("88.100.1/N") != null);
            assertThat(m.replica().get("88.100.1/N").values().get(0).dataAsString())
                    .isEqualTo("https://example.com/updated");
            assertThat(m.replica().get("88.100.1/S").values().get(0).dataAsString())
                    .isEqualTo("https://example.com/second");
        }
    }

    @Test
    void batchesAppliedWhileAnEntryIsUnderWayShareTheNextEntry() throws Exception {
        startAll();
        await("a leader", () -> leader() >= 0);
        int follower = (leader() + 1) % 3;
        RecordStore store = members[follower].store();
        store.put(record("88.100.1/B-first", "https://example.com/first"));
        long before = members[follower].appliedIndex();
        int batches = 200;
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            positions.add(store.apply(List.of(RecordWrite.put(record("88.100.1/B-" + i, "https://example.com/" + i)))));
        }
        // Each batch's own answer: all acknowledged, and the member's order kept in the log.
        for (long at : positions) {
            store.durable(at).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        long barrier = store.apply(List.of());
        store.durable(barrier).toCompletableFuture().get(60, TimeUnit.SECONDS);
        await("the member applied them", () -> members[follower].replica().get("88.100.1/B-199") != null);
        long entries = members[follower].appliedIndex() - before;
        assertThat(entries).as("log entries for %d batches", batches).isGreaterThan(0).isLessThan(batches / 2);
        for (ClusterMember m : members) {
            await("replica " + m + " caught up", () -> m.replica().get("88.100.1/B-199") != null);
            assertThat(m.replica().list("88.100.1", null, 1000)).hasSize(batches + 1);
        }
    }

    @Test
    void aMemberThatLedAloneCatchesUpWhenTheOthersElectOneOfThem() throws Exception {
        startAll();
        await("a leader", () -> leader() >= 0);
        int lone = leader();
        RaftPeerId loneId = RaftPeerId.valueOf(cluster.members().get(lone).id());
        int[] others = {(lone + 1) % 3, (lone + 2) % 3};
        var log = members[lone].server().getDivision(members[lone].group().getGroupId()).getRaftLog();
        // Clients of their own send the leader's lone entries, one each (Ratis' Netty server takes a connection's
        // requests one after another, and a member sends its writes one entry at a time); a first write each, with
        // every member up, tells them who leads.
        List<org.apache.ratis.client.RaftClient> tails = new ArrayList<>();
        try (var client = ClusterMember.client(members[lone].group(), FAST)) {
            for (int i = 0; i < 4; i++) {
                tails.add(ClusterMember.client(members[lone].group(), FAST));
                assertThat(tails.get(i).io().send(batch("88.100.1/BEFORE-" + i)).isSuccess()).isTrue();
            }
            for (ClusterMember m : members) {
                await("every replica has the first writes", () -> m.replica().get("88.100.1/BEFORE-3") != null);
            }
            // Both stopped together: the leader keeps leading for an election timeout after the second stops.
            long end = log.getNextIndex();
            List<java.util.concurrent.CompletableFuture<Void>> closing = new ArrayList<>();
            for (int o : others) {
                ClusterMember m = members[o];
                members[o] = null;
                closing.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        m.close();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            closing.forEach(java.util.concurrent.CompletableFuture::join);
            // Alone, the leader appends entries that no majority can commit: a tail of its own log.
            for (int i = 0; i < 4; i++) {
                tails.get(i).async().send(batch("88.100.1/TAIL-" + i));
            }
            await("the tail appended", () -> log.getNextIndex() >= end + 4);
            // It stands for election no more, so that the two others, back, elect one of themselves.
            assertThat(client.getLeaderElectionManagementApi(loneId).pause().isSuccess()).isTrue();
            await("the lone leader stepped down", () -> leader() < 0);
            for (int o : others) {
                members[o] = start(o);
            }
            await("another member leads", () -> leader() >= 0 && leader() != lone);
            assertThat(client.getLeaderElectionManagementApi(loneId).resume().isSuccess()).isTrue();
            // The new leader's first heartbeat finds the lone member holding its last entry and more: in Ratis
            // 3.2.0 that member is then never brought up to date (RATIS-2605) unless the leader steps down, which
            // the follower watch makes it do.
            for (int i = 0; i < 8; i++) {
                members[others[0]].store().put(record("88.100.1/AFTER-" + i, "https://example.com/after"));
            }
        } finally {
            for (var t : tails) {
                t.close();
            }
        }
        ClusterMember back = members[lone];
        await("the member that led alone caught up", () -> back.replica().get("88.100.1/AFTER-7") != null);
        for (ClusterMember m : members) {
            await("replica " + m + " equals the others", () -> m.replica().list("88.100.1", null, 100).equals(
                    members[others[0]].replica().list("88.100.1", null, 100)));
        }
        assertThat(back.replica().list("88.100.1", null, 100)).contains("88.100.1/BEFORE-0", "88.100.1/AFTER-0",
                "88.100.1/AFTER-7");
    }

    /** The log form of one create of {@code handle}, as a Raft message. */
    private static org.apache.ratis.protocol.Message batch(String handle) {
        return org.apache.ratis.protocol.Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString
                .copyFrom(new GuardedBatch(List.of(new GuardedBatch.Guarded(RecordWrite.put(record(handle,
                        "https://example.com/" + handle)), null))).encode()));
    }

    @Test
    void aWipedMemberRejoinsBySnapshot() throws Exception {
        startAll();
        await("a leader", () -> leader() >= 0);
        int wiped = (leader() + 1) % 3;
        int writer = (wiped + 1) % 3;
        members[wiped].close();
        members[wiped] = null;
        CheckpointSnapshots.deleteTree(dir.resolve(cluster.members().get(wiped).id()));
        // One at a time, so that each is a log entry of its own and the log passes several snapshots.
        for (int i = 0; i < 300; i++) {
            members[writer].store().put(record("88.100.1/S-" + i, "https://example.com/s" + i));
        }
        members[wiped] = start(wiped);
        ClusterMember back = members[wiped];
        await("the wiped member caught up", () -> {
            try {
                return back.replica().list("88.100.1", null, 1000).size() == 300;
            } catch (StoreException rebuilding) {
                return false;
            }
        });
        for (int i = 0; i < 300; i++) {
            assertThat(back.replica().get("88.100.1/S-" + i)).isEqualTo(record("88.100.1/S-" + i,
                    "https://example.com/s" + i));
        }
        // It came back by a snapshot: the writer's log no longer starts at the first entry (0), so the early
        // records reached the empty member only in a snapshot.
        assertThat(members[writer].server().getDivision(members[writer].group().getGroupId()).getRaftLog()
                .getStartIndex()).isNotEqualTo(0L);
    }

    @Test
    void withoutAMajorityWritesFailFastAndReadsAnswer() throws Exception {
        startAll();
        await("a leader", () -> leader() >= 0);
        members[0].store().put(record("88.100.1/M", "https://example.com/m"));
        int survivor = leader();
        for (int i = 0; i < 3; i++) {
            if (i != survivor) {
                members[i].close();
                members[i] = null;
            }
        }
        ClusterMember alone = members[survivor];
        await("the survivor has it", () -> alone.store().get("88.100.1/M") != null);
        long start = System.nanoTime();
        assertThatThrownBy(() -> alone.store().put(record("88.100.1/N", "https://example.com/n")))
                .isInstanceOf(StoreException.class);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("seconds to fail").isLessThan(40);
        assertThat(alone.store().get("88.100.1/M")).isEqualTo(record("88.100.1/M", "https://example.com/m"));
        assertThat(alone.store().get("88.100.1/N")).isNull();
        // An authoritative read needs a leader that a majority follows: it fails, as a store fault.
        assertThatThrownBy(() -> alone.store().getLinearizable("88.100.1/M").toCompletableFuture()
                .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreException.class);
        // The survivor, its majority gone, stepped down; once it has been without a leader for three election
        // timeouts, a write is refused before it is sent, saying why.
        String refused = null;
        for (int k = 0; refused == null; k++) {
            assertThat(k).as("writes tried before one was refused unsent").isLessThan(120);
            String h = "88.100.1/Q-" + k;
            try {
                alone.store().apply(List.of(RecordWrite.put(record(h, "https://example.com/q"))));
                Thread.sleep(500);
            } catch (StoreException e) {
                assertThat(e).hasMessageContaining("no leader has been heard from for").hasMessageContaining("not sent");
                refused = h;
            }
        }
        assertThat(alone.store().get(refused)).as("a write refused unsent is not shown").isNull();
        // Writes resume once a majority is back and has a leader.
        int other = (survivor + 1) % 3;
        members[other] = start(other);
        await("a leader again", () -> leader() >= 0);
        // Refused unsent until the member has seen the new leader (it looks every 100 ms).
        await("a write acknowledged again", () -> {
            try {
                alone.store().put(record("88.100.1/O", "https://example.com/o"));
                return true;
            } catch (StoreException notYet) {
                return false;
            }
        });
        assertThat(alone.store().get("88.100.1/O")).isNotNull();
    }
}
