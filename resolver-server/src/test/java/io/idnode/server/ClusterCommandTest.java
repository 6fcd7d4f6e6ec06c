package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.cache.CachingRecordStore;
import io.idnode.replication.ClusterConfig;
import io.idnode.replication.ClusterMember;
import io.idnode.replication.ReplicationSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cluster} against three real Ratis members in this JVM (loopback ports, RocksDB replicas): status for
 * people and as JSON, once as a child process; the exit codes 0, 1 and 2 with messages that say what to fix;
 * {@code remove} takes the member out of the group and out of the cluster file.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterCommandTest {
    private static final ReplicationSettings FAST = new ReplicationSettings(Duration.ofSeconds(10),
            Duration.ofMillis(1500), 100, 16 << 10);
    private static final String[] IDS = {"a", "b", "c"};

    @TempDir
    Path temp;

    private Path file;
    private final Map<String, ClusterMember> members = new LinkedHashMap<>();

    record Run(int exit, String out, String err) {
    }

    @AfterEach
    void stop() throws IOException {
        for (ClusterMember m : members.values()) {
            m.close();
        }
    }

    private void startThree() throws Exception {
        StringBuilder text = new StringBuilder("# three members on one machine\ncluster.name = cmd-test\n");
        for (String id : IDS) {
            text.append("member.").append(id).append(".address = 127.0.0.1\n")
                    .append("member.").append(id).append(".port = ").append(freePort()).append('\n')
                    .append("member.").append(id).append(".raft-port = ").append(freePort()).append('\n');
        }
        file = temp.resolve("cluster.properties");
        Files.writeString(file, text);
        ClusterConfig cluster = ClusterConfig.read(file);
        for (String id : IDS) {
            Path data = temp.resolve(id);
            members.put(id, ClusterMember.start(cluster, id, data, data.resolve("db"),
                    ClusterMember.replicaOpener(1 << 24), CachingRecordStore::new, FAST));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (leader() == null) {
            assertThat(System.nanoTime()).as("waiting for a leader").isLessThan(end);
            Thread.sleep(100);
        }
    }

    private String leader() throws IOException {
        for (var e : members.entrySet()) {
            if (e.getValue().server().getDivision(e.getValue().group().getGroupId()).getInfo().isLeader()) {
                return e.getKey();
            }
        }
        return null;
    }

    private void stopMember(String id) throws IOException {
        members.remove(id).close();
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void statusForPeopleAndAsJsonAndAsAChildProcess() throws Exception {
        startThree();
        String leader = leader();
        // Until the followers have applied the new leader's first entry they show no indexes ("-").
        Run human;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        do {
            human = run("cluster", "status", "--cluster", file.toString());
            assertThat(human.exit()).as(human.err()).isZero();
            assertThat(System.nanoTime()).as("status with every member's indexes: " + human.out()).isLessThan(end);
        } while (human.out().lines().filter(l -> l.matches("^[abc] +(LEADER|FOLLOWER) +voter +127\\.0\\.0\\.1:\\d+"
                + " +\\d+ +\\d+ +(-|\\d+) +\\d+$")).count() != 3);
        assertThat(human.out()).contains("cluster cmd-test: leader " + leader + ", term ");

        Run json = run("cluster", "status", "--cluster", file.toString(), "--json");
        assertThat(json.exit()).isZero();
        JsonNode status = new ObjectMapper().readTree(json.out());
        assertThat(status.get("cluster").asText()).isEqualTo("cmd-test");
        assertThat(status.get("leader").asText()).isEqualTo(leader);
        assertThat(status.get("quorum").asBoolean()).isTrue();
        assertThat(status.get("members")).hasSize(3);
        assertThat(status.get("members").get(0).get("membership").asText()).isEqualTo("voter");

        // The command as operators run it: its own JVM, the members reached over loopback.
        NodeProcess.Run child = NodeProcess.run(temp, List.of(), "cluster", "status", "--cluster", file.toString(),
                "--json");
        assertThat(child.exit()).as(String.join("\n", child.lines())).isZero();
        // The JSON object from its first line "{" to its last "}" (log lines may come before or after).
        List<String> lines = child.lines();
        String text = String.join("\n", lines.subList(lines.indexOf("{"), lines.indexOf("}") + 1));
        JsonNode fromChild = new ObjectMapper().readTree(text);
        assertThat(fromChild.get("leader").asText()).isEqualTo(leader());
        assertThat(fromChild.get("members")).hasSize(3);
        for (JsonNode m : fromChild.get("members")) {
            assertThat(m.get("error").isNull()).as(m.toString()).isTrue();
            assertThat(m.get("appliedIndex").asLong()).isNotNegative();
        }
    }

    @Test
    void exitCodesAndMessagesSayWhatToFix() throws Exception {
        startThree();
        Run unknown = run("cluster", "add", "zz", "--cluster", file.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: member zz is not in the cluster file (members: [a, b, c])");

        Run noFile = run("cluster", "status", "--cluster", temp.resolve("missing.properties").toString());
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).startsWith("error: --cluster " + temp.resolve("missing.properties")
                + " cannot be read");

        Run noOption = run("cluster", "status");
        assertThat(noOption.exit()).isEqualTo(2);
        assertThat(noOption.err()).contains("--cluster");

        // The leader's machine is taken out of service: transfer the leadership first, then remove it.
        String old = leader();
        String next = old.equals("a") ? "b" : "a";
        Run transfer = run("cluster", "transfer-leader", next, "--cluster", file.toString());
        assertThat(transfer.exit()).as(transfer.err()).isZero();
        assertThat(transfer.out()).isEqualTo(next + " leads the group" + System.lineSeparator());
        stopMember(old);
        Run status = run("cluster", "status", "--cluster", file.toString());
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("unreachable at " + ClusterConfig.read(file).member(old).raftAddress());
        Run remove = run("cluster", "remove", old, "--cluster", file.toString());
        assertThat(remove.exit()).as(remove.err()).isZero();
        assertThat(ClusterConfig.read(file).members()).extracting(ClusterConfig.Member::id)
                .doesNotContain(old).hasSize(2);
        assertThat(Files.readString(file)).startsWith("# three members on one machine\n");

        Run snapshot = run("cluster", "snapshot", "--cluster", file.toString());
        assertThat(snapshot.exit()).as(snapshot.err()).isZero();
        assertThat(snapshot.out()).matches("snapshot of the leader at log index \\d+\\R");

        // One of the two left is stopped: no quorum, exit code 1, and the change is not tried.
        String survivor = leader() == null ? members.keySet().iterator().next() : leader();
        for (String id : List.copyOf(members.keySet())) {
            if (!id.equals(survivor)) {
                stopMember(id);
            }
        }
        Run lost = run("cluster", "status", "--cluster", file.toString());
        assertThat(lost.exit()).isEqualTo(1);
        assertThat(lost.out()).contains("NO QUORUM");
        Run refused = run("cluster", "transfer-leader", survivor, "--cluster", file.toString(), "--timeout", "10");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error: no quorum").contains("unreachable at 127.0.0.1:");
    }
}
