package io.idnode.bench;

import io.idnode.model.ValueReference;
import io.idnode.server.Node;
import io.idnode.server.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.AuthenticationInfo;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.Encoder;
import net.handle.hdllib.FilesystemConfiguration;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.HandleValue;
import net.handle.hdllib.Interface;
import net.handle.hdllib.PublicKeyAuthenticationInfo;
import net.handle.hdllib.SiteInfo;
import net.handle.hdllib.Util;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Authenticated creates per second by stock CNRI 9.3.1 clients over TCP, against a fresh node started in this
 * JVM on a loopback port (synced RocksDB writes), signed with the node's RSA administrator key: without
 * sessions (a challenge and its answer per create, handle-protocol.md §6.1-6.3) and with the library's
 * default session tracker (one challenge per session, then a MAC per request, §6.5), for each number of
 * concurrent clients and of requests in flight per client (threads sharing one resolver, its session tracker
 * and so its sessions). Prints one row per case, with the CPU time the node's threads (event loops,
 * administration, log sync; found by name) spent per create while measured, the clients' not included;
 * fails if a create it counted is not stored.
 */
@Command(name = "admin-create-probe", mixinStandardHelpOptions = true, version = "idnode admin-create-probe 0.1.0",
        description = "Authenticated creates per second by stock Handle clients against a fresh local node.")
public final class AdminCreateProbe implements Callable<Integer> {
    private static final String PREFIX = NodeConfig.builder().build().prefixes().get(0);
    private static final String PREFIX_HANDLE = "0.NA/" + PREFIX;
    /** Index of the node's administrator key in its prefix handle. */
    private static final int ADMIN_INDEX = 300;
    /** Names of the node's threads (the clients' are the pool's). */
    private static final Pattern NODE_THREADS = Pattern.compile("multiThreadIoEventLoopGroup-|admin-|log-sync ");

    /** How the clients authenticate. */
    enum Mode {
        /** No session tracker: every create is challenged and answered with an RSA signature. */
        PLAIN("no sessions"),
        /** The library's default: one challenge per session, then HMAC-signed requests. */
        SESSIONS("sessions");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", description = "Seconds measured per case. Default: ${DEFAULT-VALUE}", defaultValue = "10")
    int seconds;

    @Option(names = "--clients", split = ",", description = "Concurrent clients, one case each. Default: ${DEFAULT-VALUE}",
            defaultValue = "1,4")
    List<Integer> clients;

    @Option(names = "--in-flight", split = ",", description = "Requests in flight per client (threads sharing its "
            + "resolver), one case each. Default: ${DEFAULT-VALUE}", defaultValue = "1")
    List<Integer> inFlight;

    @Option(names = "--modes", split = ",", description = "plain and/or sessions. Default: ${DEFAULT-VALUE}",
            defaultValue = "plain,sessions")
    List<Mode> modes;

    @Option(names = "--warm-up", description = "Creates per client before the clock starts. Default: ${DEFAULT-VALUE}",
            defaultValue = "50")
    int warmUp;

    /** Runs the probe and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new AdminCreateProbe()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || warmUp < 0 || clients.stream().anyMatch(c -> c < 1)
                || inFlight.stream().anyMatch(k -> k < 1)) {
            throw new ParameterException(spec.commandLine(),
                    "--seconds, --clients and --in-flight must be at least 1, --warm-up at least 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path temp = Files.createTempDirectory("idnode-probe");
        Path data = temp.resolve("data");
        NodeConfig config = NodeConfig.builder().dataDir(data).port(0).httpPort(0)
                .admins(List.of(new ValueReference(PREFIX_HANDLE, ADMIN_INDEX))).build();
        try (Node node = Node.start(config)) {
            SiteInfo site = Encoder.decodeSiteInfoRecord(Files.readAllBytes(Node.siteFile(data)), 0);
            PrivateKey admin = node.keys().admin().getPrivate();
            out.printf("%-12s %7s %9s %9s %10s %16s%n", "mode", "clients", "in-flight", "creates", "creates/s",
                    "node CPU µs/op");
            for (Mode mode : modes) {
                for (int n : clients) {
                    for (int k : inFlight) {
                        String name = mode.name().toLowerCase() + "-" + n + "x" + k;
                        long[] perThread = new long[n * k];
                        long[] nodeCpuNanos = new long[1];
                        long nanos = run(site, temp.resolve("clients-" + name), name, mode, k, perThread, admin,
                                nodeCpuNanos);
                        verifyStored(node, name, perThread);
                        long creates = Arrays.stream(perThread).sum();
                        out.printf("%-12s %7d %9d %9d %10.1f %16.1f%n", mode.label, n, k, creates,
                                creates / (nanos / 1e9), nodeCpuNanos[0] / 1e3 / Math.max(creates, 1));
                        out.flush();
                    }
                }
            }
        } finally {
            deleteTree(temp);
        }
        return 0;
    }

    /**
     * Creates as fast as {@code perThread.length} threads can for {@link #seconds} after their warm-up, each
     * {@code inFlight} of them sharing one client; fills in each thread's counted creates and returns the
     * nanoseconds measured, and in {@code nodeCpuNanos[0]} the CPU time of the node's threads meanwhile.
     */
    private long run(SiteInfo site, Path configDirs, String name, Mode mode, int inFlight, long[] perThread,
            PrivateKey admin, long[] nodeCpuNanos) throws Exception {
        int n = perThread.length;
        long measured = Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        // The clock starts when every client has warmed up (the barrier action runs before anyone goes on).
        long[] deadline = new long[1];
        Map<Long, Long> cpuAtStart = new HashMap<>();
        CyclicBarrier start = new CyclicBarrier(n + 1, () -> {
            cpuAtStart.putAll(nodeThreadCpu());
            deadline[0] = System.nanoTime() + measured;
        });
        try {
            List<Future<Long>> done = new ArrayList<>();
            HandleResolver r = null;
            AuthenticationInfo auth = null;
            for (int c = 0; c < n; c++) {
                if (c % inFlight == 0) {
                    // One resolver and one identity object per client: its own sessions when sessions are on
                    // (the session tracker lends a session to one request at a time and opens more as needed).
                    r = resolver(site, configDirs.resolve(Integer.toString(c / inFlight)), mode);
                    auth = new PublicKeyAuthenticationInfo(Util.encodeString(PREFIX_HANDLE), ADMIN_INDEX, admin);
                }
                HandleResolver resolver = r;
                AuthenticationInfo identity = auth;
                String stem = stem(name, c);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < warmUp; i++) {
                        create(resolver, identity, stem + "W" + i);
                    }
                    start.await();
                    long count = 0;
                    while (System.nanoTime() < deadline[0]) {
                        create(resolver, identity, stem + count);
                        count++;
                    }
                    return count;
                }));
            }
            start.await();
            long t0 = deadline[0] - measured;
            for (int c = 0; c < n; c++) {
                perThread[c] = done.get(c).get();
            }
            long elapsed = System.nanoTime() - t0;
            nodeThreadCpu().forEach((id, cpu) -> nodeCpuNanos[0] += cpu - cpuAtStart.getOrDefault(id, 0L));
            return elapsed;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * CPU nanoseconds of each live thread of the node in this JVM, by thread id: Netty's event loops, the
     * blocking executor ({@code admin-}) and the store's sync thread ({@code log-sync}).
     */
    private static Map<Long, Long> nodeThreadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && NODE_THREADS.matcher(t.getThreadName()).lookingAt()) {
                long nanos = threads.getThreadCpuTime(t.getThreadId());
                if (nanos >= 0) {
                    cpu.put(t.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    /** Every counted create was acknowledged; checks that the last one of each thread is really stored. */
    private static void verifyStored(Node node, String name, long[] perThread) {
        for (int c = 0; c < perThread.length; c++) {
            if (perThread[c] > 0) {
                String last = stem(name, c) + (perThread[c] - 1);
                if (node.store().get(last) == null) {
                    throw new IllegalStateException("acknowledged create of " + last + " is not stored");
                }
            }
        }
    }

    private static String stem(String name, int thread) {
        return PREFIX + "/PROBE-" + name + "-" + thread + "-";
    }

    /**
     * A stock resolver that finds the node the way a default client does, through the prefix lookup at its
     * only global site (handle-protocol.md §7.3), over TCP, without caches.
     */
    private static HandleResolver resolver(SiteInfo site, Path configDir, Mode mode) throws Exception {
        Files.createDirectories(configDir);
        HandleResolver r = new HandleResolver();
        FilesystemConfiguration cfg = new FilesystemConfiguration(configDir.toFile());
        cfg.setAutoUpdateRootInfo(false);
        cfg.setGlobalSites(new SiteInfo[] {site});
        r.setConfiguration(cfg);
        if (mode == Mode.PLAIN) {
            r.setSessionTracker(null);
        }
        r.setCache(null);
        r.setCertifiedCache(null);
        r.setPreferredProtocols(new int[] {Interface.SP_HDL_TCP});
        r.setTcpTimeout(10_000);
        return r;
    }

    private static void create(HandleResolver r, AuthenticationInfo auth, String handle) throws Exception {
        AbstractResponse resp = r.processRequest(new CreateHandleRequest(Util.encodeString(handle),
                new HandleValue[] {new HandleValue(1, "URL", "https://example.com/" + handle)}, auth));
        if (resp.responseCode != AbstractResponse.RC_SUCCESS) {
            throw new IllegalStateException("create " + handle + " answered " + resp);
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
