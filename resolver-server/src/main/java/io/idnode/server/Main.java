package io.idnode.server;

import io.idnode.model.ValueReference;
import io.idnode.handler.session.SessionSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Command line of {@code resolver-server.jar}: {@code serve} and {@code import}. */
@Command(name = "resolver-server", mixinStandardHelpOptions = true, version = "idnode 0.1.0",
        description = "Identifier-resolution node speaking the Handle protocol over UDP and TCP.",
        subcommands = {Main.Serve.class, ImportCommand.class})
public final class Main implements Runnable {
    /** System property naming the data folder, read by logback.xml to place {@code audit.log}. */
    public static final String DATA_PROPERTY = "idnode.data";

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with errors reported as one readable line. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** {@code serve}: starts a node and runs until interrupted. */
    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Start a resolution node.")
    static final class Serve implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--data", description = "Data folder (RocksDB, keys, site files). Default: ${DEFAULT-VALUE}",
                defaultValue = "./data")
        Path data;

        @Option(names = "--bind", description = "Address to listen on. Default: ${DEFAULT-VALUE}",
                defaultValue = "127.0.0.1")
        String bind;

        @Option(names = "--advertise", description = "Address published in the node's HS_SITE (default: the bind address, or loopback when binding a wildcard)")
        String advertise;

        @Option(names = "--port", description = "UDP and TCP port (0 = any free port). Default: ${DEFAULT-VALUE}",
                defaultValue = "2641")
        int port;

        @Option(names = "--prefix", description = "Prefix homed on this node (repeatable). Default: 88.100.1")
        List<String> prefixes;

        @Option(names = "--demo", description = "Create example product identifiers under the first prefix.")
        boolean demo;

        @Option(names = "--tcp-idle", description = "Seconds a TCP connection stays open without a request. Default: ${DEFAULT-VALUE}",
                defaultValue = "120")
        int tcpIdleSeconds;

        @Option(names = "--threads", description = "I/O threads (0 = one per core). Default: ${DEFAULT-VALUE}",
                defaultValue = "0")
        int threads;

        @Option(names = "--admin", paramLabel = "INDEX:HANDLE",
                description = "Node administrator who may do everything, e.g. 300:0.NA/88.100.1 (repeatable).")
        List<String> admins;

        @Option(names = "--cache", description = "Records kept in the hot cache (0 = no cache). Default: ${DEFAULT-VALUE}",
                defaultValue = "100000")
        long cache;

        @Option(names = "--max-sessions", description = "Live sessions kept at once. Default: ${DEFAULT-VALUE}",
                defaultValue = "10000")
        int maxSessions;

        @Option(names = "--session-timeout", description = "Longest session timeout granted, in seconds; also the "
                + "longest a session lives. Default: ${DEFAULT-VALUE}", defaultValue = "86400")
        long sessionTimeoutSeconds;

        @Override
        public Integer call() throws IOException, InterruptedException {
            // Before the first logger exists: logback.xml writes the audit log into the data folder.
            System.setProperty(DATA_PROPERTY, data.toAbsolutePath().toString());
            Logger log = LoggerFactory.getLogger(Main.class);
            List<ValueReference> nodeAdmins = new ArrayList<>();
            for (String a : admins == null ? List.<String>of() : admins) {
                nodeAdmins.add(NodeConfig.parseAdmin(a));
            }
            NodeConfig config = new NodeConfig(data, InetAddress.getByName(bind), port,
                    advertise == null ? null : InetAddress.getByName(advertise),
                    prefixes == null ? List.of(NodeConfig.DEFAULT_PREFIX) : prefixes, demo,
                    Duration.ofSeconds(tcpIdleSeconds), threads, cache, nodeAdmins);
            Node node = Node.start(config,
                    new SessionSettings(maxSessions, Duration.ofSeconds(sessionTimeoutSeconds)));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("stopping");
                node.close();
                stopped.countDown();
            }, "shutdown"));
            String heap = config.heapWarning(Runtime.getRuntime().maxMemory());
            if (heap != null) {
                log.warn(heap);
            }
            log.info("node ready: prefixes {}, data {}, site key in {}", config.prefixes(),
                    config.dataDir().toAbsolutePath(), Node.siteFile(config.dataDir()).toAbsolutePath());
            for (String h : node.demoHandles()) {
                log.info("demo identifier: {}", h);
            }
            stopped.await();
            return 0;
        }
    }
}
