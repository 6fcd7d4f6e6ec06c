package io.idnode.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.idnode.replication.ClusterAdmin;
import io.idnode.replication.ClusterConfig;
import io.idnode.replication.ClusterStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cluster}: administers a running replicated service through {@link ClusterAdmin}, the members' Raft
 * addresses read from the cluster file. Exit code 0 when done (for {@code status}: the group has a leader and a
 * majority of its voters answer), 1 when it failed (no quorum, a member unreachable: the message says which and
 * where), 2 when the request was refused (an unknown member, a bad cluster file, nothing to change). In a service
 * of several servers (shards, one Raft group each) a command acts on the group of the member it names, or of
 * {@code --server N}; {@code status} reports every group unless {@code --server} picks one.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Administer a replicated service: status, membership, leadership, snapshots.",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Add.class, ClusterCommand.Remove.class,
            ClusterCommand.Promote.class, ClusterCommand.TransferLeader.class, ClusterCommand.Snapshot.class})
final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every sub-command takes. */
    static final class Target {
        @Option(names = "--cluster", paramLabel = "FILE", required = true,
                description = "Cluster file of the service (the one its members run with).")
        Path file;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "Longest wait for a change, a new member's catching up included."
                        + " Default: ${DEFAULT-VALUE}")
        long timeoutSeconds;

        @Option(names = "--server", paramLabel = "N", description = "In a service of several servers (shards):"
                + " the Raft group of server N. Default: the group of the member named; status: every group.")
        Integer server;
    }

    /** The common shape of a sub-command: read the file, run against the group, map failures to exit codes. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        /** The whole cluster file, every server's members. */
        ClusterConfig service;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public final Integer call() {
            quietRatis();
            PrintWriter err = spec.commandLine().getErr();
            if (target.timeoutSeconds < 1) {
                err.println("error: --timeout must be at least 1 second, was " + target.timeoutSeconds);
                return 2;
            }
            ClusterConfig cluster;
            try {
                cluster = ClusterConfig.read(target.file);
            } catch (IOException e) {
                err.println("error: --cluster " + target.file + " cannot be read: " + e);
                return 2;
            } catch (IllegalArgumentException e) {
                err.println("error: --cluster " + e.getMessage());
                return 2;
            }
            if (target.server != null && (target.server < 1 || target.server > cluster.servers())) {
                err.println("error: --server must be 1-" + cluster.servers() + " (the servers of " + target.file
                        + "), was " + target.server);
                return 2;
            }
            service = cluster;
            int exit = 0;
            try {
                for (int server : servers(cluster)) {
                    // The members of one server form one Raft group; a single-shard file is its server 1.
                    ClusterConfig group = cluster.shard(server);
                    try (ClusterAdmin admin = new ClusterAdmin(group, Duration.ofSeconds(target.timeoutSeconds))) {
                        exit = Math.max(exit, run(group, admin));
                    } catch (ClusterAdmin.AdminException e) {
                        err.println("error: " + (cluster.servers() > 1 ? "server " + server + ": " : "")
                                + e.getMessage());
                        exit = Math.max(exit, e.refused() ? 2 : 1);
                    } catch (IOException e) {
                        err.println("error: " + e.getMessage());
                        exit = Math.max(exit, 1);
                    }
                }
                finish(cluster);
                return exit;
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                return 1;
            } finally {
                out().flush();
                err.flush();
            }
        }

        /**
         * The servers whose groups the command acts on: {@code --server}, else the server of the member the
         * command names, else server 1.
         */
        List<Integer> servers(ClusterConfig cluster) {
            if (target.server != null) {
                return List.of(target.server);
            }
            String id = memberId();
            return List.of(cluster.members().stream().filter(m -> m.id().equals(id)).findFirst()
                    .map(ClusterConfig.Member::server).orElse(1));
        }

        /** The member id the command names, or null. */
        String memberId() {
            return null;
        }

        /** Runs once every group was done (status prints its JSON there). */
        void finish(ClusterConfig cluster) throws IOException {
        }

        /** Ratis' own log lines (retries, connection failures) would bury the answer: the message says it all. */
        private static void quietRatis() {
            if (LoggerFactory.getLogger("org.apache.ratis") instanceof ch.qos.logback.classic.Logger ratis) {
                ratis.setLevel(ch.qos.logback.classic.Level.ERROR);
            }
        }

        abstract int run(ClusterConfig cluster, ClusterAdmin admin) throws ClusterAdmin.AdminException, IOException;
    }

    /** {@code cluster status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Leader, term, and for every member"
            + " its role, commit and applied index, newest snapshot and lag behind the leader.")
    static final class Status extends Base {
        @Option(names = "--json", description = "Print the status as one JSON object (with several servers: an"
                + " array, one object per group).")
        boolean json;

        /** The JSON of each group, printed at the end: one object, or an array for several servers. */
        private final List<Map<String, Object>> groups = new ArrayList<>();

        @Override
        List<Integer> servers(ClusterConfig cluster) {
            if (target.server != null) {
                return List.of(target.server);
            }
            List<Integer> all = new ArrayList<>();
            for (int i = 1; i <= cluster.servers(); i++) {
                all.add(i);
            }
            return all;
        }

        @Override
        int run(ClusterConfig cluster, ClusterAdmin admin) throws IOException {
            ClusterStatus s = admin.status();
            if (json) {
                groups.add(json(cluster, s));
            } else {
                print(cluster, s, out());
            }
            return s.leader().isPresent() && s.quorum() ? 0 : 1;
        }

        @Override
        void finish(ClusterConfig cluster) throws IOException {
            if (json && !groups.isEmpty()) {
                out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(cluster.servers() > 1 ? groups : groups.get(0)));
            }
        }

        /** The status of the group of {@code cluster} (one server's members) as JSON. */
        Map<String, Object> json(ClusterConfig cluster, ClusterStatus s) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("cluster", cluster.name());
            if (sharded()) {
                o.put("server", cluster.members().get(0).server());
            }
            o.put("group", s.group());
            o.put("leader", s.leader().orElse(null));
            o.put("term", s.term());
            o.put("quorum", s.quorum());
            List<Map<String, Object>> members = new ArrayList<>();
            for (ClusterStatus.Member m : s.members()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("id", m.id());
                e.put("raftAddress", m.raftAddress());
                e.put("membership", m.membership().name().toLowerCase(java.util.Locale.ROOT));
                e.put("role", m.role().orElse(null));
                e.put("commitIndex", m.commitIndex());
                e.put("appliedIndex", m.appliedIndex());
                e.put("snapshotIndex", m.snapshotIndex());
                e.put("lag", m.lag());
                e.put("error", m.error().orElse(null));
                members.add(e);
            }
            o.put("members", members);
            return o;
        }

        void print(ClusterConfig cluster, ClusterStatus s, PrintWriter out) {
            out.printf("cluster %s%s: leader %s, term %d, %s%n", cluster.name(), sharded() ? " server "
                    + cluster.members().get(0).server() : "", s.leader().orElse("none"), s.term(),
                    s.quorum() ? "a majority of the voters answers" : "NO QUORUM: fewer than a majority of the"
                            + " voters answer, writes fail");
            out.printf("%-10s %-10s %-10s %-22s %8s %8s %8s %6s%n", "member", "role", "membership", "raft address",
                    "commit", "applied", "snapshot", "lag");
            for (ClusterStatus.Member m : s.members()) {
                out.printf("%-10s %-10s %-10s %-22s %8s %8s %8s %6s%s%n", m.id(), m.role().orElse("-"),
                        m.membership().name().toLowerCase(java.util.Locale.ROOT), m.raftAddress(),
                        number(m.commitIndex()), number(m.appliedIndex()), number(m.snapshotIndex()), number(m.lag()),
                        m.error().map(e -> "  " + e).orElse(""));
            }
        }

        /** Whether the service has several servers: each group's status then names its server. */
        private boolean sharded() {
            return service != null && service.servers() > 1;
        }

        private static String number(long n) {
            return n < 0 ? "-" : Long.toString(n);
        }
    }

    /** {@code cluster add ID}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a member the cluster file names"
            + " (started with serve --cluster FILE --member ID) to the group; it catches up, then counts.")
    static final class Add extends Base {
        @Parameters(index = "0", paramLabel = "ID", description = "Member id in the cluster file")
        String id;

        @Override
        String memberId() {
            return id;
        }

        @Override
        int run(ClusterConfig cluster, ClusterAdmin admin) throws ClusterAdmin.AdminException {
            admin.add(id);
            boolean listener = cluster.member(id).listener();
            out().println("added " + id + " to the group as a " + (listener ? "listener" : "voter") + "; give every"
                    + " member's machine this cluster file (" + target.file + ")");
            return 0;
        }
    }

    /** {@code cluster remove ID}. */
    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a member from the group (a"
            + " dead machine's, or one retired) and from the cluster file.")
    static final class Remove extends Base {
        @Parameters(index = "0", paramLabel = "ID", description = "Member id")
        String id;

        @Override
        String memberId() {
            return id;
        }

        @Override
        int run(ClusterConfig cluster, ClusterAdmin admin) throws ClusterAdmin.AdminException, IOException {
            admin.remove(id);
            out().println("removed " + id + " from the group; stop its node and delete its data folder before"
                    + " it joins again");
            if (cluster.members().stream().anyMatch(m -> m.id().equals(id))) {
                try {
                    ClusterConfig.rewriteMember(target.file, id, Optional.empty());
                } catch (IllegalArgumentException e) {
                    // e.g. a site of a service of several servers left without a member of this server
                    spec.commandLine().getErr().println("error: " + target.file + " was left as it is: without "
                            + id + " it would be refused (" + e.getMessage() + "); edit it by hand");
                    return 1;
                }
                out().println(target.file + " no longer names " + id + "; give every member's machine this file");
            }
            return 0;
        }
    }

    /** {@code cluster promote ID}. */
    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make a listener (a"
            + " disaster-recovery site) a voter, e.g. after the loss of voters; the cluster file follows.")
    static final class Promote extends Base {
        @Parameters(index = "0", paramLabel = "ID", description = "Member id of a listener")
        String id;

        @Override
        String memberId() {
            return id;
        }

        @Override
        int run(ClusterConfig cluster, ClusterAdmin admin) throws ClusterAdmin.AdminException, IOException {
            admin.promote(id);
            out().println("promoted " + id + " to voter in the group's configuration; restart its node (a running"
                    + " listener keeps its listener role until then)");
            if (cluster.members().stream().anyMatch(m -> m.id().equals(id))) {
                ClusterConfig.rewriteMember(target.file, id, Optional.of("voter"));
                out().println(target.file + " names " + id + " a voter; give every member's machine this file");
            }
            return 0;
        }
    }

    /** {@code cluster transfer-leader ID}. */
    @Command(name = "transfer-leader", mixinStandardHelpOptions = true,
            description = "Make a voter the leader (before stopping the leader's machine, say).")
    static final class TransferLeader extends Base {
        @Parameters(index = "0", paramLabel = "ID", description = "Member id of a voter")
        String id;

        @Override
        String memberId() {
            return id;
        }

        @Override
        int run(ClusterConfig cluster, ClusterAdmin admin) throws ClusterAdmin.AdminException {
            admin.transferLeader(id);
            out().println(id + " leads the group");
            return 0;
        }
    }

    /** {@code cluster snapshot [ID]}. */
    @Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Have a member (default: the"
            + " leader) take a snapshot now; its log is purged behind it.")
    static final class Snapshot extends Base {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Member id (default: the leader)")
        String id;

        @Override
        String memberId() {
            return id;
        }

        @Override
        int run(ClusterConfig cluster, ClusterAdmin admin) throws ClusterAdmin.AdminException {
            long index = admin.snapshot(Optional.ofNullable(id));
            out().println("snapshot of " + (id == null ? "the leader" : id) + " at log index " + index);
            return 0;
        }
    }
}
