package io.idnode.server;

import io.idnode.crypto.CryptoFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Three members of one replicated service, each {@code Main serve --cluster} in a JVM of its own on loopback
 * ports, with their data folders in a test's folder and one cluster file; the members share the node and
 * administrator keys (created in member a's folder), so any of them signs and checks alike.
 */
public final class ClusterProcesses implements AutoCloseable {
    /** Small JVMs that start fast: the client compiler only, a small heap, the shared class archive. */
    public static final List<String> JVM = List.of("-Xmx160m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-XX:-UsePerfData");
    /** Bound of one member's start, from its JVM to having joined its group, on a loaded machine. */
    public static final Duration START = Duration.ofSeconds(150);
    private static final Pattern LEADER = Pattern.compile("changes role from \\w+ to LEADER at term (\\d+)");
    private static final String[] IDS = {"a", "b", "c"};

    private final Path folder;
    private final String prefix;
    private final List<String> serveOptions;
    private final Path clusterFile;
    private final NodeProcess[] members = new NodeProcess[3];

    /**
     * Members in {@code folder} for {@code prefix}, started with {@code serveOptions} besides their data, cluster,
     * member, prefix and port options; writes the cluster file and the shared keys, starts nothing.
     */
    public ClusterProcesses(Path folder, String prefix, String... serveOptions) throws IOException {
        this.folder = folder;
        this.prefix = prefix;
        this.serveOptions = List.of(serveOptions);
        StringBuilder b = new StringBuilder("cluster.name = test-" + prefix + "\n");
        for (String id : IDS) {
            b.append("member.").append(id).append(".address = 127.0.0.1\n")
                    .append("member.").append(id).append(".port = ").append(freePort()).append('\n')
                    .append("member.").append(id).append(".raft-port = ").append(freePort()).append('\n');
        }
        clusterFile = folder.resolve("cluster.properties");
        Files.writeString(clusterFile, b);
        NodeKeys.loadOrCreate(data(0).resolve(Node.KEYS_DIR), CryptoFixtures.PROVIDERS);
        for (int i = 1; i < 3; i++) {
            copyKeys(data(0), data(i));
        }
    }

    /** Copies the node and administrator keys of the node with data folder {@code from} to {@code to}'s. */
    public static void copyKeys(Path from, Path to) throws IOException {
        Path target = to.resolve(Node.KEYS_DIR);
        Files.createDirectories(target);
        try (Stream<Path> keys = Files.list(from.resolve(Node.KEYS_DIR))) {
            for (Path k : keys.toList()) {
                Files.copy(k, target.resolve(k.getFileName()));
            }
        }
    }

    /** Starts the three members together and waits until each has joined its group. */
    public void startAll() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        for (NodeProcess m : members) {
            m.awaitJoined(START);
        }
    }

    /** Starts member {@code i} (again) on its data; returns at once. */
    public NodeProcess start(int i) throws IOException {
        return start(i, Map.of());
    }

    /** Starts member {@code i} (again) on its data with {@code environment} added; returns at once. */
    public NodeProcess start(int i, Map<String, String> environment) throws IOException {
        List<String> args = new ArrayList<>(List.of("serve", "--data", data(i).toString(), "--cluster",
                clusterFile.toString(), "--member", IDS[i], "--prefix", prefix, "--http-port", "0"));
        args.addAll(serveOptions);
        members[i] = NodeProcess.start(folder, JVM, environment, args.toArray(String[]::new));
        return members[i];
    }

    /** The running process of member {@code i}. */
    public NodeProcess member(int i) {
        return members[i];
    }

    /** The id of member {@code i} in the cluster file. */
    public String id(int i) {
        return IDS[i];
    }

    /** The cluster file the members are started with. */
    public Path clusterFile() {
        return clusterFile;
    }

    /** The data folder of member {@code i}. */
    public Path data(int i) {
        return folder.resolve("member-" + IDS[i]);
    }

    /** The member that became leader at the highest term, by the members' logs; waits up to a minute for one. */
    public int leader() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            int best = -1;
            long bestTerm = -1;
            for (int i = 0; i < 3; i++) {
                for (String line : members[i].lines()) {
                    Matcher m = LEADER.matcher(line);
                    if (m.find() && Long.parseLong(m.group(1)) > bestTerm) {
                        bestTerm = Long.parseLong(m.group(1));
                        best = i;
                    }
                }
            }
            if (best >= 0) {
                return best;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no member became leader");
    }

    /** Prints the last {@code n} lines of every member, for a failed test's report. */
    public void printLastLines(int n) {
        for (int i = 0; i < 3; i++) {
            if (members[i] != null) {
                List<String> lines = members[i].lines();
                System.out.println("---- member " + IDS[i] + " (last " + n + " lines)");
                lines.subList(Math.max(0, lines.size() - n), lines.size()).forEach(System.out::println);
            }
        }
    }

    /** Kills what still runs. */
    @Override
    public void close() {
        for (NodeProcess m : members) {
            if (m != null) {
                m.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
