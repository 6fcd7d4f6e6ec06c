package io.idnode.bench;

import io.idnode.client.AdminPermissions;
import io.idnode.client.BatchOptions;
import io.idnode.client.BatchSummary;
import io.idnode.client.HandleClient;
import io.idnode.client.Identity;
import io.idnode.client.RecordSigning;
import io.idnode.client.Registration;
import io.idnode.client.Values;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.loadgen.ProcessSample;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.server.Node;
import io.idnode.server.NodeConfig;
import io.idnode.sign.JwsEngine;
import io.idnode.sign.RecordSigner;
import io.idnode.store.RocksDbRecordStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Authenticated, durable creates per second from one SDK client ({@link HandleClient}, batch registration,
 * one session per connection of its pool) as the node's RSA administrator, for each number of creates in
 * flight: against a fresh node started in this JVM on a loopback port (synced RocksDB writes), or against a
 * node of its own process ({@code --target}, {@code --key}). Each case registers as many identifiers as it can
 * for {@code --seconds} after a warm-up batch, with or without signing each record ({@code --signing}); prints
 * one row per case with the CPU time per create that survives a loaded machine: this process's (client-us; with
 * the node in this JVM, client and node together), and the node process's ({@code --server-pid}) from
 * {@code /proc/PID/stat}; for the node in this JVM, the creates each sync of its write-ahead log carried. Fails if an item was not registered or the last one is not stored.
 */
@Command(name = "sdk-create-probe", mixinStandardHelpOptions = true, version = "idnode sdk-create-probe 0.1.0",
        description = "Authenticated creates per second by one SDK client against a fresh local node.")
public final class SdkCreateProbe implements Callable<Integer> {
    private static final String PREFIX = NodeConfig.builder().build().prefixes().get(0);
    private static final String ADMIN = "300:0.NA/" + PREFIX;

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", description = "Seconds measured per case. Default: ${DEFAULT-VALUE}", defaultValue = "10")
    int seconds;

    @Option(names = "--in-flight", split = ",", description = "Creates in flight, one case each. Default: ${DEFAULT-VALUE}",
            defaultValue = "1,16,256")
    List<Integer> inFlight;

    @Option(names = "--warm-up", description = "Creates before the clock starts, per case. Default: ${DEFAULT-VALUE}",
            defaultValue = "2000")
    int warmUp;

    @Option(names = "--node-threads", description = "I/O threads of the node. Default: ${DEFAULT-VALUE}",
            defaultValue = "1")
    int nodeThreads;

    @Option(names = "--connections", description = "TCP connections of the client to the node, each with its own"
            + " session. Default: ${DEFAULT-VALUE} (the client's default)", defaultValue = "2")
    int connections;

    @Option(names = "--session-in-flight", description = "tcp-session-in-flight of the node in this JVM: requests one"
            + " connection carrying an authenticated session may have waiting for administration. Default:"
            + " the node's default")
    Integer sessionInFlight;

    @Option(names = "--target", description = "HOST:PORT of a node of its own process to register on (with --key);"
            + " default: a fresh node in this JVM")
    String target;

    @Option(names = "--key", description = "PEM private key of the node administrator 300:0.NA/PREFIX of the"
            + " --target node"
            + " (its data folder's keys/admin.pem)")
    Path key;

    @Option(names = "--server-pid", description = "Process id of the --target node, whose CPU time per create is"
            + " reported")
    String serverPid;

    @Option(names = "--signing", split = ",", description = "off: plain creates; on: each record signed"
            + " (HS_SIGNATURE by a key of --signer-type) by the batch before it is sent, in parallel off the I/O"
            + " threads; one case each. Default: ${DEFAULT-VALUE}", defaultValue = "off")
    List<String> signing;

    @Option(names = "--signer-type", description = "Key that signs the records with --signing on: rsa (RS256,"
            + " RSA-2048), dsa (DS256), ec (ES256, P-256), ed25519 (EdDSA) or sm2 (SM2256). Default: ${DEFAULT-VALUE}",
            defaultValue = "rsa")
    String signerType;

    /** The registry entry of a {@code --signer-type} name. */
    static SignatureAlgorithm signerAlgorithm(String name) {
        return switch (name) {
            case "rsa" -> SignatureAlgorithm.RSA;
            case "dsa" -> SignatureAlgorithm.DSA;
            case "ec" -> SignatureAlgorithm.ECDSA_P256;
            case "ed25519" -> SignatureAlgorithm.ED25519;
            case "sm2" -> SignatureAlgorithm.SM2;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Runs the probe and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SdkCreateProbe()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || warmUp < 0 || inFlight.stream().anyMatch(n -> n < 1)
                || !List.of("off", "on").containsAll(signing) || connections < 1 || connections > 64
                || !List.of("rsa", "dsa", "ec", "ed25519", "sm2").contains(signerType)) {
            throw new ParameterException(spec.commandLine(),
                    "--seconds and --in-flight must be at least 1, --warm-up at least 0, --signing off or on,"
                            + " --connections 1..64, --signer-type rsa, dsa, ec, ed25519 or sm2");
        }
        if ((target == null) != (key == null) || serverPid != null && target == null
                || sessionInFlight != null && target != null) {
            throw new ParameterException(spec.commandLine(), "--target and --key go together; --server-pid needs"
                    + " --target (a node in this JVM is measured with the client); --session-in-flight is for the"
                    + " node in this JVM");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (target != null) {
            try (HandleClient client = client(target, Identity.fromPemFile(ADMIN, key))) {
                // A run tag keeps the handles of runs against the same node apart.
                String run = Long.toString(System.currentTimeMillis(), 36);
                runCases(out, client, run, stem -> client.resolve(stem).get(), null);
            }
            return 0;
        }
        Path temp = Files.createTempDirectory("idnode-sdk-probe");
        Path data = temp.resolve("data");
        NodeConfig.Builder settings = NodeConfig.builder().dataDir(data).port(0).httpPort(0).eventLoops(nodeThreads)
                .admins(List.of(new ValueReference("0.NA/" + PREFIX, 300)));
        if (sessionInFlight != null) {
            settings.tcpSessionInFlight(sessionInFlight);
        }
        NodeConfig config = settings.build();
        try (Node node = Node.start(config);
                HandleClient client = client("127.0.0.1:" + node.port(),
                        Identity.fromPemFile(ADMIN, data.resolve(Node.KEYS_DIR).resolve("admin.pem")))) {
            RocksDbRecordStore rocks = node.store() instanceof RocksDbRecordStore r ? r : null;
            runCases(out, client, "local", stem -> {
                if (node.store().get(stem) == null) {
                    throw new IllegalStateException(stem + " is not stored");
                }
            }, rocks == null ? null : rocks::walSyncs);
        } finally {
            deleteTree(temp);
        }
        return 0;
    }

    private HandleClient client(String address, Identity identity) {
        return HandleClient.builder().node(address).identity(identity).connectionsPerServer(connections).build();
    }

    /** A check that a handle is registered; throws if not. */
    @FunctionalInterface
    private interface Stored {
        void check(String handle) throws Exception;
    }

    /**
     * Every case against {@code client}: a row each, with the CPU time per create of this process and of the
     * node ({@code --server-pid}), and with {@code syncs} (the node's syncs of its log so far) the creates per
     * sync.
     */
    private void runCases(PrintWriter out, HandleClient client, String run, Stored stored, LongSupplier syncs)
            throws Exception {
        CryptoProviders crypto = CryptoProviders.create();
        RecordSigning signer = new RecordSigning(new RecordSigner(new JwsEngine(crypto),
                new KeyFiles(crypto).generate(signerAlgorithm(signerType), new SecureRandom()).getPrivate(),
                new ValueReference(PREFIX + "/LINE-1", 300), List.of(), Duration.ofDays(1), Clock.systemUTC()));
        if (signing.contains("on")) {
            out.printf("signer %s: %.1f µs CPU per record signature (one thread, %d records)%n", signerType,
                    signatureCpuMicros(signer, 500), 500);
        }
        out.printf("%9s %7s %9s %10s %10s %10s %12s %s%n", "in flight", "signing", "creates", "creates/s",
                "client-us", "node-us", "creates/sync", "load");
        int cases = 0;
        for (int n : inFlight) {
            for (String mode : signing) {
                RecordSigning signs = mode.equals("on") ? signer : null;
                String stem = PREFIX + "/SDK-" + run + "-" + n + "-" + mode + "-" + cases++ + "-";
                register(client, stem + "W", warmUp, Long.MAX_VALUE, n, signs);
                long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                ProcessSample self0 = ProcessSample.of("self");
                ProcessSample node0 = serverPid == null ? null : ProcessSample.of(serverPid);
                long syncs0 = syncs == null ? 0 : syncs.getAsLong();
                long t0 = System.nanoTime();
                BatchSummary s = register(client, stem, Long.MAX_VALUE, end, n, signs);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                ProcessSample self1 = ProcessSample.of("self");
                ProcessSample node1 = serverPid == null ? null : ProcessSample.of(serverPid);
                long synced = syncs == null ? 0 : syncs.getAsLong() - syncs0;
                String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                long done = s.created();
                if (s.total() != done || done == 0) {
                    throw new IllegalStateException("case " + n + ": " + s);
                }
                stored.check(stem + (done - 1));
                out.printf("%9d %7s %9d %10.1f %10.1f %10s %12s %s%n", n, mode, done, done / elapsed,
                        micros(self0, self1, done), node0 == null ? "-" : String.format("%.1f", micros(node0, node1,
                        done)), synced == 0 ? "-" : String.format("%.1f", (double) done / synced), load);
                out.flush();
            }
        }
    }

    /** CPU microseconds per create between two samples of one process. */
    private static double micros(ProcessSample before, ProcessSample after, long creates) {
        return (after.cpuTicks() - before.cpuTicks()) * 1e6 / ProcessSample.CLOCK_TICKS_PER_SECOND / creates;
    }

    /**
     * Registers {@code stem0, stem1, ...}: {@code count} of them, or as many as start before {@code endNanos},
     * {@code inFlight} at a time, signed with {@code signing} (null: unsigned).
     */
    static BatchSummary register(HandleClient client, String stem, long count, long endNanos, int inFlight,
            RecordSigning signing) throws Exception {
        AtomicLong next = new AtomicLong();
        Iterator<Registration> items = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return next.get() < count && System.nanoTime() < endNanos;
            }

            @Override
            public Registration next() {
                long i = next.getAndIncrement();
                return Registration.of(stem + i, Values.url(1, "https://example.com/p/" + i),
                        Values.admin(100, ADMIN, AdminPermissions.ALL));
            }
        };
        return client.register(items, BatchOptions.defaults().withMaxInFlight(inFlight).withSigning(signing))
                .completion().get();
    }

    /** CPU µs of one record signature on this thread, over {@code count} records like those the cases create. */
    private static double signatureCpuMicros(RecordSigning signer, int count) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<HandleValue> values = List.of(Values.url(1, "https://example.com/p/0"),
                Values.admin(100, ADMIN, AdminPermissions.ALL));
        for (int i = 0; i < count; i++) {
            signer.sign(PREFIX + "/WARM-" + i, values); // compiled before it is timed
        }
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < count; i++) {
            signer.sign(PREFIX + "/TIMED-" + i, values);
        }
        return (threads.getCurrentThreadCpuTime() - t0) / 1e3 / count;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
