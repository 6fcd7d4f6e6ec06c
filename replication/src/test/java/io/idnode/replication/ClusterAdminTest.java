package io.idnode.replication;

import static io.idnode.replication.LocalCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterAdmin} against real Ratis members in this JVM (loopback ports, real RocksDB replicas): status
 * reports what the members' own Raft servers say; a member is added, caught up and counted; a dead one is
 * removed and writes go on; leadership moves; a snapshot is taken on request; and every wrong request is refused
 * or fails with a message naming the member and its address.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterAdminTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private LocalCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startThree() throws Exception {
        cluster = new LocalCluster(dir, "admin-test").declare("a", false).declare("b", false).declare("c", false);
        for (String id : new String[] {"a", "b", "c"}) {
            cluster.start(id);
        }
        await("a leader", () -> cluster.leader() != null);
    }

    @Test
    void statusShowsLeaderTermIndexesAndLagAsTheMembersSeeThem() throws Exception {
        startThree();
        cluster.write("a", "S", 40);
        // Acknowledged, so applied by the leader: the index every member must reach (the member sends the writes
        // that arrive while one entry is under way as one entry, so there are fewer entries than writes).
        long written = cluster.member(cluster.leader()).appliedIndex();
        try (ClusterAdmin admin = new ClusterAdmin(cluster.config(), TIMEOUT)) {
            await("every member applied the writes", () -> admin.status().members().stream()
                    .allMatch(m -> m.reachable() && m.lag() == 0));
            ClusterStatus s = admin.status();
            String leader = cluster.leader();
            assertThat(s.leader()).contains(leader);
            var division = cluster.member(leader).server().getDivision(cluster.member(leader).group().getGroupId());
            assertThat(s.term()).isEqualTo(division.getInfo().getCurrentTerm()).isPositive();
            assertThat(s.quorum()).isTrue();
            assertThat(s.members()).extracting(ClusterStatus.Member::id).containsExactly("a", "b", "c");
            for (ClusterStatus.Member m : s.members()) {
                assertThat(m.membership()).isEqualTo(ClusterStatus.Membership.VOTER);
                assertThat(m.role()).contains(m.id().equals(leader) ? "LEADER" : "FOLLOWER");
                // The writes' entries after the leader's first entry at least.
                assertThat(m.appliedIndex()).isEqualTo(cluster.member(m.id()).appliedIndex())
                        .isGreaterThanOrEqualTo(written).isGreaterThan(1);
                assertThat(m.commitIndex()).isGreaterThanOrEqualTo(m.appliedIndex());
            }
            // A stopped member is listed with its address; two of three still make a quorum.
            String down = leader.equals("c") ? "b" : "c";
            cluster.stop(down);
            ClusterStatus after = admin.status();
            ClusterStatus.Member gone = after.member(down).orElseThrow();
            assertThat(gone.reachable()).isFalse();
            assertThat(gone.error().orElseThrow()).startsWith("unreachable at " + cluster.config().member(down)
                    .raftAddress());
            assertThat(gone.lag()).isEqualTo(-1);
            assertThat(after.quorum()).isTrue();
            assertThat(after.leader()).isPresent();
        }
    }

    @Test
    void aMemberIsAddedAndCatchesUpThenADeadOneIsReplaced() throws Exception {
        startThree();
        cluster.write("a", "BEFORE", 150);
        // The operator adds d to the file and starts it; until it is added it is outside the group.
        cluster.declare("d", false);
        cluster.start("d", true);
        try (ClusterAdmin admin = new ClusterAdmin(cluster.config(), TIMEOUT)) {
            assertThat(admin.status().member("d").orElseThrow().membership())
                    .isEqualTo(ClusterStatus.Membership.OUTSIDE);
            admin.add("d");
            ClusterStatus s = admin.status();
            assertThat(s.member("d").orElseThrow().membership()).isEqualTo(ClusterStatus.Membership.VOTER);
            ClusterMember d = cluster.member("d");
            await("d holds every record", () -> d.replica().get("88.100.1/BEFORE-149") != null);
            assertThat(d.replica().list("88.100.1", null, 1000)).hasSize(150);

            // c's machine dies: it is removed, and a, b, d carry on.
            String dead = "c".equals(cluster.leader()) ? "b" : "c";
            cluster.stop(dead);
            admin.remove(dead);
            ClusterStatus afterRemove = admin.status();
            assertThat(afterRemove.member(dead).orElseThrow().membership())
                    .isEqualTo(ClusterStatus.Membership.OUTSIDE);
            assertThat(afterRemove.quorum()).isTrue();
            String writer = cluster.leader();
            cluster.write(writer, "AFTER", 30);
            await("d has the later writes", () -> d.replica().get("88.100.1/AFTER-29") != null);
            assertThatThrownBy(() -> admin.remove(dead)).isInstanceOf(ClusterAdmin.AdminException.class)
                    .hasMessageContaining("member " + dead + " is not in the group")
                    .matches(e -> ((ClusterAdmin.AdminException) e).refused());
        }
    }

    @Test
    void leadershipMovesAndASnapshotIsTakenOnRequest() throws Exception {
        startThree();
        cluster.write("b", "L", 25);
        long written = cluster.member(cluster.leader()).appliedIndex();
        try (ClusterAdmin admin = new ClusterAdmin(cluster.config(), TIMEOUT)) {
            String to = "a".equals(cluster.leader()) ? "c" : "a";
            admin.transferLeader(to);
            await(to + " leads", () -> to.equals(cluster.leader()));
            assertThat(admin.status().leader()).contains(to);

            long index = admin.snapshot(Optional.of("b"));
            assertThat(index).isGreaterThanOrEqualTo(written).isGreaterThan(1);
            Path sm = dir.resolve("b").resolve(ClusterMember.RAFT_DIR).resolve(cluster.member("b").group()
                    .getGroupId().getUuid().toString()).resolve("sm");
            try (var files = Files.list(sm)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.startsWith("snapshot.") && n.endsWith("_" + index));
            }
            assertThat(admin.status().member("b").orElseThrow().snapshotIndex()).isEqualTo(index);
            assertThat(admin.snapshot(Optional.empty())).isGreaterThanOrEqualTo(written);
        }
    }

    @Test
    void wrongRequestsAreRefusedAndUnreachableMembersNamed() throws Exception {
        startThree();
        cluster.declare("e", false); // in the file, never started
        try (ClusterAdmin admin = new ClusterAdmin(cluster.config(), Duration.ofSeconds(20))) {
            assertThatThrownBy(() -> admin.add("zz")).isInstanceOf(ClusterAdmin.AdminException.class)
                    .hasMessageContaining("member zz is not in the cluster file (members: [a, b, c, e])")
                    .matches(e -> ((ClusterAdmin.AdminException) e).refused());
            assertThatThrownBy(() -> admin.add("a")).hasMessageContaining("member a is in the group already")
                    .matches(e -> ((ClusterAdmin.AdminException) e).refused());
            assertThatThrownBy(() -> admin.add("e")).hasMessageContaining("member e does not answer: unreachable at "
                    + cluster.config().member("e").raftAddress())
                    .matches(e -> !((ClusterAdmin.AdminException) e).refused());
            assertThatThrownBy(() -> admin.transferLeader("e")).hasMessageContaining("member e is not a voter")
                    .matches(e -> ((ClusterAdmin.AdminException) e).refused());
            assertThatThrownBy(() -> admin.promote("a")).hasMessageContaining("member a is a voter already");
            assertThat(admin.status().member("e").orElseThrow().membership())
                    .isEqualTo(ClusterStatus.Membership.OUTSIDE);

            // Two of three stopped: no quorum, and a change fails saying so (and who is silent).
            String alive = cluster.leader();
            for (String id : new String[] {"a", "b", "c"}) {
                if (!id.equals(alive)) {
                    cluster.stop(id);
                }
            }
            assertThat(admin.status().quorum()).isFalse();
            assertThatThrownBy(() -> admin.transferLeader(alive)).isInstanceOf(ClusterAdmin.AdminException.class)
                    .hasMessageContaining("no quorum").hasMessageContaining("unreachable at")
                    .matches(e -> !((ClusterAdmin.AdminException) e).refused());
        }
    }

    @Test
    void aListenerFollowsWithoutSlowingWritesAndIsPromoted() throws Exception {
        cluster = new LocalCluster(dir, "dr-test").declare("a", false).declare("b", false).declare("c", false)
                .declare("dr", true);
        for (String id : new String[] {"a", "b", "c", "dr"}) {
            cluster.start(id);
        }
        await("a leader", () -> cluster.leader() != null);
        assertThat(cluster.leader()).isNotEqualTo("dr");
        cluster.write("a", "D", 40);
        ClusterMember dr = cluster.member("dr");
        await("the listener follows", () -> dr.replica().get("88.100.1/D-39") != null);
        try (ClusterAdmin admin = new ClusterAdmin(cluster.config(), TIMEOUT)) {
            ClusterStatus s = admin.status();
            assertThat(s.member("dr").orElseThrow().membership()).isEqualTo(ClusterStatus.Membership.LISTENER);
            assertThat(s.member("dr").orElseThrow().role()).contains("LISTENER");

            // The listener is down: writes commit with the voters alone, and it catches up when back.
            cluster.stop("dr");
            cluster.write("b", "WHILE-DOWN", 60);
            ClusterMember back = cluster.start("dr");
            await("the listener caught up", () -> back.replica().get("88.100.1/WHILE-DOWN-59") != null);
            await("status shows no lag", () -> admin.status().member("dr").orElseThrow().lag() == 0);

            admin.promote("dr");
            assertThat(admin.status().member("dr").orElseThrow().membership())
                    .isEqualTo(ClusterStatus.Membership.VOTER);
            // Ratis keeps a running listener in its listener role: its node is restarted to take the voter's.
            cluster.stop("dr");
            ClusterMember voter = cluster.start("dr");
            await("dr follows as a voter", () -> admin.status().member("dr").orElseThrow().role().orElse("")
                    .equals("FOLLOWER"));
            // It counts now: with a and b removed, the group is {c, dr} and nothing commits without dr.
            admin.remove("a");
            await("a leader after removing a", () -> admin.status().leader().filter(l -> !l.equals("a")).isPresent());
            admin.remove("b");
            cluster.stop("a");
            cluster.stop("b");
            cluster.write("c", "PROMOTED", 10);
            await("dr has the write", () -> voter.replica().get("88.100.1/PROMOTED-9") != null);
        }
    }
}
