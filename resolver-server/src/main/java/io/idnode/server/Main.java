package io.idnode.server;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.sign.policy.SignaturePolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Command line of {@code resolver-server.jar}: {@code serve}, {@code import}, {@code backup},
 * {@code restore} and {@code cluster} (administration of a replicated service, {@link ClusterCommand}).
 * Option defaults come from {@value NodeDefaults#RESOURCE}, so the help shows the values a node runs with.
 * Every error is one line on standard error, without a stack trace; the exit code is 0 on success, 1 when the
 * work failed, 2 when the command line or a setting was refused (then nothing is created).
 */
@Command(name = "resolver-server", mixinStandardHelpOptions = true, version = "idnode 0.1.0",
        description = "Identifier-resolution node speaking the Handle protocol over UDP and TCP.",
        subcommands = {Main.Serve.class, ImportCommand.class, BackupCommand.class, RestoreCommand.class,
            ClusterCommand.class})
public final class Main implements Runnable {
    /** Starts the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with defaults from {@value NodeDefaults#RESOURCE} and errors reported as one line. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setDefaultValueProvider(Main::defaultValue);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage() + " (" + cmd.getCommandSpec().qualifiedName()
                    + " --help lists the options)");
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof InvalidSettingException setting) {
                cmd.getErr().println("error: --" + setting.setting() + " " + setting.problem());
                return cmd.getCommandSpec().exitCodeOnInvalidInput();
            }
            cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        return cl;
    }

    /** The default of an option from the defaults file, none where its value is empty. */
    static String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String value = defaultsKey(option).map(NodeDefaults::value).orElse("");
        return value.isEmpty() ? null : value;
    }

    /**
     * The key of an option in the defaults file: {@code COMMAND.OPTION} if the file has it (a setting of that
     * command alone), else {@code OPTION} if it has that.
     */
    static Optional<String> defaultsKey(OptionSpec option) {
        String name = option.longestName().replaceFirst("^--", "");
        String commandKey = option.command().name() + "." + name;
        return NodeDefaults.find(commandKey).map(v -> commandKey).or(() -> NodeDefaults.find(name).map(v -> name));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** {@code serve}: starts a node and runs until interrupted. */
    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Start a resolution node.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "DIR",
                description = "Data folder (RocksDB, keys, site files). Default: ${DEFAULT-VALUE}")
        Path data;

        @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on. Default: ${DEFAULT-VALUE}")
        String bind;

        @Option(names = "--advertise", paramLabel = "ADDR", description = "Address published in the node's HS_SITE"
                + " (default: the bind address, or loopback when binding a wildcard)")
        String advertise;

        @Option(names = "--port", paramLabel = "N",
                description = "UDP and TCP port (0 = any free port). Default: ${DEFAULT-VALUE}")
        int port;

        @Option(names = "--prefix", paramLabel = "P",
                description = "Prefix homed on this node (repeatable). Default: ${DEFAULT-VALUE}")
        List<String> prefixes;

        @Option(names = "--demo", description = "Create example product identifiers under the first prefix.")
        boolean demo;

        @Option(names = "--tcp-idle", paramLabel = "SECONDS",
                description = "Seconds a TCP connection stays open without a request. Default: ${DEFAULT-VALUE}")
        long tcpIdleSeconds;

        @Option(names = "--threads", paramLabel = "N",
                description = "I/O threads (0 = one per core). Default: ${DEFAULT-VALUE}")
        int threads;

        @Option(names = "--admin", paramLabel = "INDEX:HANDLE",
                description = "Node administrator who may do everything, e.g. 300:0.NA/88.100.1 (repeatable).")
        List<String> admins;

        @Option(names = "--signed-prefix", paramLabel = "PREFIX=ROOT[,ROOT...]",
                description = "Records under PREFIX must carry a valid HS_SIGNATURE chained to a ROOT: a public-key"
                        + " PEM file, or HANDLE@FILE to trust it at that root handle only (repeatable).")
        List<String> signedPrefixes;

        @Option(names = "--root", paramLabel = "FILE",
                description = "Site file (siteinfo.bin or .json) of a trusted top-level node (repeatable).")
        List<Path> roots;

        @Option(names = "--cache", paramLabel = "N",
                description = "Records kept in the hot cache (0 = no cache). Default: ${DEFAULT-VALUE}")
        long cache;

        @Option(names = "--block-cache", paramLabel = "MIB",
                description = "MiB of RocksDB's block cache (native memory). Default: ${DEFAULT-VALUE}")
        long blockCacheMib;

        @Option(names = "--max-sessions", paramLabel = "N",
                description = "Live sessions kept at once. Default: ${DEFAULT-VALUE}")
        int maxSessions;

        @Option(names = "--session-timeout", paramLabel = "SECONDS", description = "Longest session timeout granted,"
                + " in seconds; also the longest a session lives. Default: ${DEFAULT-VALUE}")
        long sessionTimeoutSeconds;

        @Option(names = "--audit-refusals", paramLabel = "N", description = "Refused operations written to the audit"
                + " log per second; more are only counted. Default: ${DEFAULT-VALUE}")
        int auditRefusals;

        @Option(names = "--max-sessions-per-source", paramLabel = "N",
                description = "Live sessions set up from one address. Default: ${DEFAULT-VALUE}")
        int maxSessionsPerSource;

        @Option(names = "--challenge-memory", paramLabel = "MIB",
                description = "MiB of requests held for a challenge answer. Default: ${DEFAULT-VALUE}")
        long challengeMemoryMib;

        @Option(names = "--queue-memory", paramLabel = "MIB",
                description = "MiB of requests waiting for the blocking executor. Default: ${DEFAULT-VALUE}")
        long queueMemoryMib;

        @Option(names = "--queue-wait", paramLabel = "MS", description = "Milliseconds a request may wait for the"
                + " blocking executor before it is answered 3. Default: ${DEFAULT-VALUE}")
        long queueWaitMillis;

        @Option(names = "--reassembly-memory", paramLabel = "MIB",
                description = "MiB of incomplete multi-packet UDP messages. Default: ${DEFAULT-VALUE}")
        long reassemblyMemoryMib;

        @Option(names = "--tcp-frame-memory", paramLabel = "MIB",
                description = "MiB of TCP frames in progress, all connections. Default: ${DEFAULT-VALUE}")
        long tcpFrameMemoryMib;

        @Option(names = "--tcp-max-connections", paramLabel = "N",
                description = "TCP connections open at once. Default: ${DEFAULT-VALUE}")
        int tcpMaxConnections;

        @Option(names = "--tcp-max-connections-per-source", paramLabel = "N",
                description = "TCP connections open at once from one address. Default: ${DEFAULT-VALUE}")
        int tcpMaxConnectionsPerSource;

        @Option(names = "--tcp-request-timeout", paramLabel = "SECONDS", description = "Seconds a TCP connection may"
                + " take to complete a request or take its replies. Default: ${DEFAULT-VALUE}")
        long tcpRequestTimeoutSeconds;

        @Option(names = "--tcp-session-in-flight", paramLabel = "N", description = "Requests one TCP connection"
                + " carrying an authenticated session may have waiting for administration at once (8 to 1024;"
                + " others: 8). Default: ${DEFAULT-VALUE}")
        int tcpSessionInFlight;

        @Option(names = "--udp-max-reply", paramLabel = "BYTES", description = "Largest UDP reply sent as is; a"
                + " larger one sends the client to TCP. Default: ${DEFAULT-VALUE}")
        int udpMaxReply;

        @Option(names = "--udp-rate", paramLabel = "N", description = "UDP replies a second per source network"
                + " (0 = no limit). Default: ${DEFAULT-VALUE}")
        int udpRate;

        @Option(names = "--udp-slip", paramLabel = "N", description = "Every how many UDP requests above the rate"
                + " one is sent to TCP (0 = none). Default: ${DEFAULT-VALUE}")
        int udpSlip;

        @Option(names = "--signature-rate", paramLabel = "N", description = "Replies signed with the node key a"
                + " second per source network (0 = no limit). Default: ${DEFAULT-VALUE}")
        int signatureRate;

        @Option(names = "--ipv4-network-bits", paramLabel = "BITS", description = "Leading bits of an IPv4 source"
                + " that name its network. Default: ${DEFAULT-VALUE}")
        int ipv4NetworkBits;

        @Option(names = "--ipv6-network-bits", paramLabel = "BITS", description = "Leading bits of an IPv6 source"
                + " that name its network. Default: ${DEFAULT-VALUE}")
        int ipv6NetworkBits;

        @Option(names = "--rate-table-size", paramLabel = "N", description = "Source networks each rate table"
                + " tracks. Default: ${DEFAULT-VALUE}")
        int rateTableSize;

        @Option(names = "--exempt-networks", paramLabel = "ADDR/BITS,...", description = "Source networks no limit"
                + " applies to (repeatable; empty = none). Default: ${DEFAULT-VALUE}")
        List<String> exemptNetworks;

        @Option(names = "--http-port", paramLabel = "N", description = "HTTP port: JSON API, native messages, pages"
                + " (0 = any free port). Default: ${DEFAULT-VALUE}")
        int httpPort;

        @Option(names = "--no-http", description = "Serve no HTTP at all.")
        boolean noHttp;

        @Option(names = "--https-port", paramLabel = "N", description = "HTTPS port, needed for authentication and"
                + " administration over HTTP (0 = any free port; default: no HTTPS)")
        Integer httpsPort;

        @Option(names = "--https-cert", paramLabel = "FILE", description = "PEM certificate chain of the HTTPS port"
                + " (default: a self-signed one made in the data folder at first start)")
        Path httpsCert;

        @Option(names = "--https-key", paramLabel = "FILE", description = "PEM (PKCS#8) key of --https-cert")
        Path httpsKey;

        @Option(names = "--key-type", paramLabel = "TYPE", description = "Type of the node key made at first start,"
                + " which signs certified replies: rsa, dsa or ec. Default: ${DEFAULT-VALUE}")
        String keyType;

        @Option(names = "--cluster", paramLabel = "FILE", description = "Cluster file: run as a member of a"
                + " replicated service (README, \"Running a replicated node\").")
        Path cluster;

        @Option(names = "--member", paramLabel = "ID", description = "This node's member id in the cluster file.")
        String member;

        @Option(names = "--recursive", description = "Resolve handles this node does not hold by asking the tree"
                + " from the --root node(s) (README, \"The tree of nodes\").")
        boolean recursive;

        @Option(names = "--recursion-timeout", paramLabel = "MS", description = "Milliseconds one recursive answer"
                + " may take; then 602. Default: ${DEFAULT-VALUE}")
        long recursionTimeoutMillis;

        @Option(names = "--recursion-rate", paramLabel = "N", description = "Resolutions a second one source network"
                + " may make the node ask other nodes about. Default: ${DEFAULT-VALUE}")
        int recursionRate;

        @Option(names = "--recursion-negative-ttl", paramLabel = "SECONDS", description = "Seconds a not-found answer"
                + " is kept. Default: ${DEFAULT-VALUE}")
        long recursionNegativeTtl;

        @Option(names = "--recursion-max-ttl", paramLabel = "SECONDS", description = "Seconds any answer or referral"
                + " is kept at most. Default: ${DEFAULT-VALUE}")
        long recursionMaxTtl;

        @Option(names = "--recursion-cache", paramLabel = "N", description = "Answers kept at most."
                + " Default: ${DEFAULT-VALUE}")
        long recursionCache;

        @Option(names = "--join", description = "A new member joining a running replicated service: wait for"
                + " 'cluster add' instead of standing for election.")
        boolean join;

        @Option(names = "--raft-snapshot-every", paramLabel = "N", description = "Member: applied log entries between"
                + " snapshots; the Raft log is purged behind each. Default: ${DEFAULT-VALUE}")
        long raftSnapshotEvery;

        @Option(names = "--raft-segment-bytes", paramLabel = "BYTES", description = "Member: bytes of a Raft log"
                + " segment file. Default: ${DEFAULT-VALUE}")
        long raftSegmentBytes;

        @Override
        public Integer call() throws IOException, InterruptedException {
            // Every setting and the data folder are checked before anything touches the disk: a refused command
            // leaves nothing behind; a node that fails to start removes the data folder it created.
            NodeConfig config = settings();
            DataFolder.require(data);
            boolean created = !Files.exists(data);
            Node node;
            try {
                Files.createDirectories(data);
                NodeLogging.start(data);
                node = Node.start(config);
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (created) {
                    DataFolder.delete(data);
                }
                throw e;
            }
            Logger log = LoggerFactory.getLogger(Main.class);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                stopped.countDown();
            }, "shutdown"));
            config.cache().flatMap(c -> CacheHeapEstimate.warning(c.maximumSize(), Runtime.getRuntime().maxMemory()))
                    .ifPresent(log::warn);
            log.info("node ready: prefixes {}, data {}, site key in {}", config.prefixes(),
                    config.dataDir().toAbsolutePath(), Node.siteFile(config.dataDir()).toAbsolutePath());
            for (String h : node.demoHandles()) {
                log.info("demo identifier: {}", h);
            }
            stopped.await();
            return 0;
        }

        /** The node's settings from the options; an {@link InvalidSettingException} names a refused one. */
        private SignaturePolicy signaturePolicy() {
            SignaturePolicy policy = SignaturePolicy.NONE;
            KeyFiles keyFiles = new KeyFiles(CryptoProviders.create());
            for (String spec : signedPrefixes == null ? List.<String>of() : signedPrefixes) {
                policy = NodeConfig.addSignedPrefix(policy, spec, keyFiles);
            }
            return policy;
        }

        NodeConfig settings() {
            return NodeConfig.builder()
                    .dataDir(data)
                    .bindAddress(address("bind", bind))
                    .advertiseAddress(advertise == null ? null : address("advertise", advertise))
                    .port(port)
                    .prefixes(prefixes)
                    .demo(demo)
                    .tcpIdleTimeout(Duration.ofSeconds(tcpIdleSeconds))
                    .eventLoops(threads)
                    .cacheMaxRecords(cache)
                    .storeBlockCacheMib(blockCacheMib)
                    .admins(admins == null ? List.of() : admins.stream().map(NodeConfig::parseAdmin).toList())
                    .signaturePolicy(signaturePolicy())

                    .roots(roots == null ? List.of() : roots)
                    .maxSessions(maxSessions)
                    .sessionTimeout(Duration.ofSeconds(sessionTimeoutSeconds))
                    .auditRefusalsPerSecond(auditRefusals)
                    .maxSessionsPerSource(maxSessionsPerSource)
                    .challengeMemoryMib(challengeMemoryMib)
                    .queueMemoryMib(queueMemoryMib)
                    .queueWait(Duration.ofMillis(queueWaitMillis))
                    .reassemblyMemoryMib(reassemblyMemoryMib)
                    .tcpFrameMemoryMib(tcpFrameMemoryMib)
                    .tcpMaxConnections(tcpMaxConnections)
                    .tcpMaxConnectionsPerSource(tcpMaxConnectionsPerSource)
                    .tcpRequestTimeout(Duration.ofSeconds(tcpRequestTimeoutSeconds))
                    .tcpSessionInFlight(tcpSessionInFlight)
                    .udpMaxReply(udpMaxReply)
                    .udpRate(udpRate)
                    .udpSlip(udpSlip)
                    .signatureRate(signatureRate)
                    .ipv4NetworkBits(ipv4NetworkBits)
                    .ipv6NetworkBits(ipv6NetworkBits)
                    .rateTableSize(rateTableSize)
                    .exemptNetworks(exemptNetworks == null ? List.of()
                            : exemptNetworks.stream().flatMap(n -> Arrays.stream(n.split(","))).toList())
                    .http(!noHttp)
                    .httpPort(httpPort)
                    .httpsPort(httpsPort == null ? -1 : httpsPort)
                    .httpsCertificate(httpsCert, httpsKey)

                    .keyType(NodeKeyType.parse(keyType))

                    .cluster(cluster, member)

                    .recursive(recursive)
                    .recursionTimeout(Duration.ofMillis(recursionTimeoutMillis))
                    .recursionRate(recursionRate)
                    .recursionNegativeTtl(Duration.ofSeconds(recursionNegativeTtl))
                    .recursionMaxTtl(Duration.ofSeconds(recursionMaxTtl))
                    .recursionCache(recursionCache)
                    .clusterJoin(join)
                    .raftSnapshots(raftSnapshotEvery, raftSegmentBytes)
                    .build();
        }

        private static InetAddress address(String setting, String text) {
            try {
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                throw new InvalidSettingException(setting, "must be an IP address or a host name that resolves, was '"
                        + text + "'");
            }
        }
    }
}
