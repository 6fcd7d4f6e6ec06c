package io.idnode.bench;

import io.idnode.client.BatchSummary;
import io.idnode.client.HandleClient;
import io.idnode.client.Identity;
import io.idnode.client.Resolution;
import io.idnode.crypto.CryptoProviders;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueReference;
import io.idnode.replication.ClusterMember;
import io.idnode.server.Node;
import io.idnode.server.NodeConfig;
import io.idnode.server.NodeKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Durable creates and resolutions of a three-member replicated service against a single node, in this JVM on
 * loopback ports, through one SDK client given one site (no prefix lookup): the single node (RocksDB synced by
 * group commit), a follower of three members (each member syncing its Raft log; the follower forwards creates to
 * the leader), or a site of two servers (shards) of a service of three such sites, neither server leading its
 * group, the SDK hashing each handle to its server. For each: authenticated creates per second at {@code --in-flight} and the process's
 * CPU time per create, then resolutions per second of the records just created and CPU time per resolution.
 * The process holds client and nodes alike, so CPU per operation counts the client too (the same in both).
 */
@Command(name = "replication-probe", mixinStandardHelpOptions = true, version = "idnode replication-probe 0.1.0",
        description = "Creates and resolutions: a single node, a follower of three replicated members, two shards.")
public final class ReplicationProbe implements Callable<Integer> {
    private static final String PREFIX = NodeConfig.builder().build().prefixes().get(0);
    private static final String PREFIX_HANDLE = "0.NA/" + PREFIX;
    private static final String ADMIN = "300:" + PREFIX_HANDLE;

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", description = "Seconds measured per phase. Default: ${DEFAULT-VALUE}", defaultValue = "10")
    int seconds;

    @Option(names = "--in-flight", description = "Creates in flight. Default: ${DEFAULT-VALUE}", defaultValue = "64")
    int inFlight;

    @Option(names = "--resolve-in-flight", description = "Resolutions in flight. Default: ${DEFAULT-VALUE}",
            defaultValue = "64")
    int resolveInFlight;

    @Option(names = "--warm-up", description = "Creates before the clock starts. Default: ${DEFAULT-VALUE}",
            defaultValue = "2000")
    int warmUp;

    @Option(names = "--session-in-flight", description = "Requests one authenticated TCP connection may have in"
            + " flight at a node (serve --tcp-session-in-flight), all nodes alike. Default: ${DEFAULT-VALUE}",
            defaultValue = "8")
    int sessionInFlight;

    @Option(names = "--modes", split = ",", description = "single, cluster (three members) and/or sharded (two"
            + " servers of three members each), in this order. Default: ${DEFAULT-VALUE}",
            defaultValue = "single,cluster")
    List<String> modes;

    /** Runs the probe and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplicationProbe()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || inFlight < 1 || resolveInFlight < 1 || warmUp < 0
                || !List.of("single", "cluster", "sharded").containsAll(modes)) {
            throw new ParameterException(spec.commandLine(), "--seconds and the in-flight counts must be at least 1,"
                    + " --warm-up at least 0, --modes single, cluster and/or sharded");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%8s %10s %14s %14s %14s%n", "mode", "creates/s", "CPU µs/create", "resolutions/s",
                "CPU µs/resolve");
        for (String mode : modes) {
            Path temp = Files.createTempDirectory("idnode-replication-probe");
            List<Node> nodes = new ArrayList<>();
            try {
                SiteInfo target = switch (mode) {
                    case "single" -> single(temp, nodes);
                    case "cluster" -> cluster(temp, nodes);
                    default -> sharded(temp, nodes);
                };
                measure(mode, target, temp, out);
            } finally {
                for (Node n : nodes) {
                    n.close();
                }
                deleteTree(temp);
            }
        }
        return 0;
    }

    private NodeConfig.Builder config(Path data) {
        return NodeConfig.builder().dataDir(data).eventLoops(1).http(false).cacheMaxRecords(100_000)
                .tcpSessionInFlight(sessionInFlight)
                .admins(List.of(new ValueReference(PREFIX_HANDLE, 300)));
    }

    private SiteInfo single(Path temp, List<Node> nodes) throws Exception {
        Node n = Node.start(config(temp.resolve("a")).port(0).build());
        nodes.add(n);
        return n.site();
    }

    /** Three members started together; returns the site of a follower once each has joined and published its site. */
    private SiteInfo cluster(Path temp, List<Node> nodes) throws Exception {
        startMembers(temp, nodes, List.of("a", "b", "c"), id -> "");
        for (Node n : nodes) {
            if (!leads(n)) {
                return n.site();
            }
        }
        throw new IllegalStateException("no follower");
    }

    /**
     * Two servers (shards) in each of three sites, server <i>i</i> of every site one Raft group of three members;
     * returns a site none of whose servers leads its group (two leaders among three sites leave one), so the SDK,
     * hashing each handle to its server (§7.2), sends every create through a follower as in {@link #cluster}.
     */
    private SiteInfo sharded(Path temp, List<Node> nodes) throws Exception {
        startMembers(temp, nodes, List.of("a1", "a2", "b1", "b2", "c1", "c2"), id -> "member." + id + ".site = "
                + id.charAt(0) + "\nmember." + id + ".server = " + id.charAt(1) + "\n");
        for (int i = 0; i < nodes.size(); i += 2) {
            if (!leads(nodes.get(i)) && !leads(nodes.get(i + 1))) {
                SiteInfo site = nodes.get(i).site();
                if (site.servers().size() != 2) {
                    throw new IllegalStateException("a site of " + site.servers().size() + " servers, not 2");
                }
                return site;
            }
        }
        throw new IllegalStateException("every site has a leader");
    }

    private static boolean leads(Node n) throws IOException {
        ClusterMember m = n.member().orElseThrow();
        return m.server().getDivision(m.group().getGroupId()).getInfo().isLeader();
    }

    /**
     * Starts the members {@code ids} (the first holding the keys the others copy) of one cluster file, {@code more}
     * adding each member's further lines, and waits until each has joined its group and every prefix record it
     * holds lists one HS_SITE per site.
     */
    private void startMembers(Path temp, List<Node> nodes, List<String> ids, Function<String, String> more)
            throws Exception {
        StringBuilder file = new StringBuilder("cluster.name = probe\n");
        for (String id : ids) {
            file.append("member.").append(id).append(".address = 127.0.0.1\nmember.").append(id).append(".port = ")
                    .append(freePort()).append("\nmember.").append(id).append(".raft-port = ").append(freePort())
                    .append('\n').append(more.apply(id));
        }
        Path clusterFile = temp.resolve("cluster.properties");
        Files.writeString(clusterFile, file);
        Path keys = temp.resolve(ids.get(0)).resolve(Node.KEYS_DIR);
        NodeKeys.loadOrCreate(keys, CryptoProviders.create());
        for (String id : ids.subList(1, ids.size())) {
            Path to = temp.resolve(id).resolve(Node.KEYS_DIR);
            Files.createDirectories(to);
            try (Stream<Path> s = Files.list(keys)) {
                for (Path p : s.toList()) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
        List<CompletableFuture<Node>> starting = new ArrayList<>();
        for (String id : ids) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Node.start(config(temp.resolve(id)).cluster(clusterFile, id).build());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("member " + id + " did not start", e);
                }
            }));
        }
        for (CompletableFuture<Node> f : starting) {
            nodes.add(f.get(120, TimeUnit.SECONDS));
        }
        long sites = ids.size() / nodes.get(0).site().servers().size();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        for (Node n : nodes) {
            while (true) {
                var prefix = n.store().get(PREFIX_HANDLE);
                if (prefix != null && prefix.values().stream().filter(v -> v.type().equals("HS_SITE")).count() == sites) {
                    try {
                        n.member().orElseThrow().store().readIndex().get(10, TimeUnit.SECONDS);
                        break;
                    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                        // no leader yet
                    }
                }
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("the members did not join and publish their sites in 180 s");
                }
                Thread.sleep(100);
            }
        }
    }

    private void measure(String mode, SiteInfo target, Path temp, PrintWriter out) throws Exception {
        Path adminKey;
        try (Stream<Path> folders = Files.list(temp)) {
            adminKey = folders.filter(Files::isDirectory).sorted().findFirst().orElseThrow().resolve(Node.KEYS_DIR)
                    .resolve("admin.pem");
        }
        try (HandleClient client = HandleClient.builder().site(target).prefixLookup(false)
                .identity(Identity.fromPemFile(ADMIN, adminKey)).maxInFlight(Math.max(inFlight, resolveInFlight) + 1)
                .build()) {
            SdkCreateProbe.register(client, PREFIX + "/W-", warmUp, Long.MAX_VALUE, inFlight, null);
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            BatchSummary s = SdkCreateProbe.register(client, PREFIX + "/R-", Long.MAX_VALUE,
                    t0 + TimeUnit.SECONDS.toNanos(seconds), inFlight, null);
            double createSeconds = (System.nanoTime() - t0) / 1e9;
            long createCpu = cpuNanos() - cpu0;
            long created = s.created();
            if (s.total() != created || created == 0
                    || client.resolve(PREFIX + "/R-" + (created - 1)).get().values().isEmpty()) {
                throw new IllegalStateException(mode + ": " + s + ", or the last create is not stored");
            }
            // Resolutions of the records just created, each in flight slot starting the next on completion.
            AtomicLong answered = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            CountDownLatch drained = new CountDownLatch(resolveInFlight);
            long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long cpu1 = cpuNanos();
            long t1 = System.nanoTime();
            for (int i = 0; i < resolveInFlight; i++) {
                resolveNext(client, created, i, stopAt, answered, failed, drained);
            }
            drained.await(seconds + 60L, TimeUnit.SECONDS);
            double resolveSeconds = (System.nanoTime() - t1) / 1e9;
            long resolveCpu = cpuNanos() - cpu1;
            if (failed.get() > 0) {
                throw new IllegalStateException(mode + ": " + failed.get() + " resolutions failed");
            }
            out.printf(Locale.ROOT, "%8s %10.1f %14.1f %14.1f %14.1f%n", mode, created / createSeconds,
                    createCpu / 1e3 / created, answered.get() / resolveSeconds, resolveCpu / 1e3 / answered.get());
            out.flush();
        }
    }

    private static void resolveNext(HandleClient client, long created, long i, long stopAt, AtomicLong answered,
            AtomicLong failed, CountDownLatch drained) {
        if (System.nanoTime() > stopAt) {
            drained.countDown();
            return;
        }
        CompletableFuture<Resolution> f = client.resolve(PREFIX + "/R-" + (i * 7919 % created));
        f.whenComplete((r, e) -> {
            if (e == null && !r.values().isEmpty()) {
                answered.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            resolveNext(client, created, i + 1, stopAt, answered, failed, drained);
        });
    }

    /** CPU time of this process so far (every thread, the nodes' and the client's). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
