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
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.server.Node;
import io.idnode.server.NodeConfig;
import io.idnode.sign.JwsEngine;
import io.idnode.sign.RecordSigner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.PrintWriter;
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
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Authenticated, durable creates per second from one SDK client ({@link HandleClient}, batch registration,
 * one session per connection of its pool) against a fresh node started in this JVM on a loopback port (synced RocksDB writes), as the
 * node's RSA administrator, for each number of creates in flight. Each case registers as many identifiers as it
 * can for {@code --seconds} after a warm-up batch, with or without signing each record ({@code --signing});
 * prints one row per case and fails if an item was not
 * registered or the last one is not stored.
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
        CryptoProviders crypto = CryptoProviders.create();
        RecordSigning signer = new RecordSigning(new RecordSigner(new JwsEngine(crypto),
                new KeyFiles(crypto).generate(signerAlgorithm(signerType), new SecureRandom()).getPrivate(),
                new ValueReference(PREFIX + "/LINE-1", 300), List.of(), Duration.ofDays(1), Clock.systemUTC()));
        PrintWriter out = spec.commandLine().getOut();
        if (signing.contains("on")) {
            out.printf("signer %s: %.1f µs CPU per record signature (one thread, %d records)%n", signerType,
                    signatureCpuMicros(signer, 500), 500);
        }
        Path temp = Files.createTempDirectory("idnode-sdk-probe");
        Path data = temp.resolve("data");
        NodeConfig config = NodeConfig.builder().dataDir(data).port(0).eventLoops(nodeThreads)
                .admins(List.of(new ValueReference("0.NA/" + PREFIX, 300))).build();
        try (Node node = Node.start(config);
                HandleClient client = HandleClient.builder().node("127.0.0.1:" + node.port())
                        .identity(Identity.fromPemFile(ADMIN, data.resolve(Node.KEYS_DIR).resolve("admin.pem")))
                        .connectionsPerServer(connections).build()) {
            // CPU per create: the process's, so node and client together (they share this JVM).
            out.printf("%9s %7s %9s %10s %16s%n", "in flight", "signing", "creates", "creates/s", "µs CPU/create");
            int cases = 0;
            for (int n : inFlight) {
                for (String mode : signing) {
                    RecordSigning signs = mode.equals("on") ? signer : null;
                    String stem = PREFIX + "/SDK-" + n + "-" + mode + "-" + cases++ + "-";
                    register(client, stem + "W", warmUp, Long.MAX_VALUE, n, signs);
                    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                    long t0 = System.nanoTime();
                    long cpu0 = processCpuNanos();
                    BatchSummary s = register(client, stem, Long.MAX_VALUE, end, n, signs);
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    long cpu = processCpuNanos() - cpu0;
                    long done = s.created();
                    if (s.total() != done || node.store().get(stem + (done - 1)) == null) {
                        throw new IllegalStateException("case " + n + ": " + s + ", or the last create is not stored");
                    }
                    out.printf("%9d %7s %9d %10.1f %16.1f%n", n, mode, done, done / elapsed, cpu / 1e3 / done);
                    out.flush();
                }
            }
        } finally {
            deleteTree(temp);
        }
        return 0;
    }

    /** Registers {@code stem0, stem1, ...}: {@code count} of them, or as many as start before {@code endNanos}. */
    private static BatchSummary register(HandleClient client, String stem, long count, long endNanos, int inFlight,
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

    /** CPU time of this process so far (every thread: the node's and the client's). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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
