package io.idnode.loadgen;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Command line of {@code loadgen.jar}: {@code run} a load, {@code echo} the machine's ceiling, {@code generate} records. */
@Command(name = "loadgen", mixinStandardHelpOptions = true, version = "idnode loadgen 0.1.0",
        description = "Handle protocol load generator (UDP, TCP, TCP per request) and echo server.",
        subcommands = {LoadGenCommand.Run.class, LoadGenCommand.Echo.class, LoadGenCommand.Generate.class})
public final class LoadGenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code run}: resolves keys against a server and reports counts, latency and the server's CPU and RSS. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Send resolution requests to a Handle server; print a one-line JSON summary.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--target", description = "Server HOST:PORT. Default: ${DEFAULT-VALUE}", defaultValue = "127.0.0.1:2641")
        String target;

        @Option(names = "--transport", description = "udp, tcp (persistent) or tcp-per-request. Default: ${DEFAULT-VALUE}")
        String transport = LoadSettings.DEFAULT_TRANSPORT.cliName();

        @Option(names = "--in-flight", description = "Closed loop: requests outstanding. Default: ${DEFAULT-VALUE}")
        int inFlight = LoadSettings.DEFAULT_IN_FLIGHT;

        @Option(names = "--rate", description = "Open loop: requests per second (0 = closed loop). Default: ${DEFAULT-VALUE}",
                defaultValue = "0")
        double rate;

        @Option(names = "--connections", description = "UDP sockets or persistent TCP connections. Default: ${DEFAULT-VALUE}")
        int connections = LoadSettings.DEFAULT_CONNECTIONS;

        @Option(names = "--threads", description = "I/O threads of the generator. Default: ${DEFAULT-VALUE}")
        int threads = LoadSettings.DEFAULT_THREADS;

        @Option(names = "--warmup", description = "Seconds before counting starts. Default: ${DEFAULT-VALUE}")
        double warmup = LoadSettings.DEFAULT_WARMUP.toMillis() / 1000.0;

        @Option(names = "--duration", description = "Seconds of measurement. Default: ${DEFAULT-VALUE}")
        double duration = LoadSettings.DEFAULT_DURATION.toMillis() / 1000.0;

        @Option(names = "--requests", description = "Measure this many requests instead of a duration")
        long requests;

        @Option(names = "--timeout", description = "Milliseconds a request waits for its reply. Default: ${DEFAULT-VALUE}")
        long timeoutMillis = LoadSettings.DEFAULT_TIMEOUT.toMillis();

        @Option(names = "--pattern", description = "Keys FORMAT:COUNT, e.g. 88.100.1/P%%08d:100000")
        String pattern;

        @Option(names = "--keys", description = "File of keys, one handle per line")
        Path keyFile;

        @Option(names = "--distribution", description = "uniform or zipf. Default: ${DEFAULT-VALUE}", defaultValue = "uniform")
        String distribution;

        @Option(names = "--zipf-exponent", description = "Exponent of the Zipf distribution. Default: ${DEFAULT-VALUE}",
                defaultValue = "0.99")
        double exponent;

        @Option(names = "--seed", description = "Seed choosing which keys are popular under Zipf. Default: ${DEFAULT-VALUE}",
                defaultValue = "42")
        long seed;

        @Option(names = "--server-pid", description = "PID of the server, to report its CPU and RSS (Linux /proc)")
        String serverPid;

        @Option(names = "--json", description = "Also write the JSON summary to this file")
        Path json;

        @Option(names = "--html", description = "Write an HTML report with the latency distribution")
        Path html;

        @Option(names = "--allow-remote", description = "Accept a target that is not a loopback address")
        boolean allowRemote;

        @Option(names = "--certified", description = "Ask for signed replies (CT flag); the summary counts the"
                + " signed ones")
        boolean certified;

        @Option(names = "--session", description = "Set up one session per I/O thread first and send every request"
                + " in it, MAC-signed; the MAC of every reply is checked, and only replies whose MAC verifies count as"
                + " signed (with --certified: certified replies signed with the session MAC, not the node key)")
        boolean session;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            LoadSettings settings;
            try {
                List<String> keys = keys();
                KeyChooser chooser = switch (distribution) {
                    case "uniform" -> KeyChooser.uniform(keys.size());
                    case "zipf" -> KeyChooser.zipf(keys.size(), exponent, seed);
                    default -> throw new IllegalArgumentException("distribution must be uniform or zipf, got '"
                            + distribution + "'");
                };
                LoadSettings.Builder b = LoadSettings.builder().target(address(target))
                        .transport(Transport.parse(transport)).keys(keys).chooser(chooser).inFlight(inFlight)
                        .rate(rate).connections(connections).threads(threads).warmup(seconds(warmup, "warmup"))
                        .timeout(Duration.ofMillis(timeoutMillis)).allowRemote(allowRemote).certified(certified)
                        .session(session);
                if (spec.commandLine().getParseResult().hasMatchedOption("--duration")) {
                    b.duration(seconds(duration, "duration"));
                }
                if (spec.commandLine().getParseResult().hasMatchedOption("--requests")) {
                    b.requests(requests);
                }
                settings = b.build();
            } catch (IllegalArgumentException | IOException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            LoadReport report;
            try {
                report = LoadGenerator.run(settings, serverPid);
            } catch (IOException e) {
                // Cannot connect, bind, or read the server's /proc entry: nothing was measured.
                err.println("error: " + e.getMessage());
                return 1;
            }
            String line = report.toJson();
            if (json != null) {
                Files.writeString(json, line + "\n", StandardCharsets.UTF_8);
            }
            if (html != null) {
                Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
            }
            err.printf("%s %s%s: %d sent, %d received (%d signed), %d timeouts, %d errors, %.0f/s, "
                    + "p50 %d µs, p99 %d µs%n",
                    report.transport().cliName(), report.rate() > 0 ? "open" : "closed",
                    (certified ? " certified" : "") + (session ? " in sessions" : ""), report.sent(), report.received(), report.signed(),
                    report.timeouts(), report.errors(), report.throughput(),
                    report.latencyAt(50), report.latencyAt(99));
            out.println(line);
            out.flush();
            return 0;
        }

        private List<String> keys() throws IOException {
            if ((pattern == null) == (keyFile == null)) {
                throw new IllegalArgumentException("give exactly one of --pattern and --keys");
            }
            List<String> keys = new ArrayList<>();
            if (pattern != null) {
                KeyPattern p = KeyPattern.parse(pattern);
                for (int i = 0; i < p.count(); i++) {
                    keys.add(p.key(i));
                }
                return keys;
            }
            for (String line : Files.readAllLines(keyFile, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    keys.add(line.strip());
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException(keyFile + " holds no keys");
            }
            return keys;
        }
    }

    /** {@code echo}: answers every request with a fixed reply, to measure the machine's ceiling. */
    @Command(name = "echo", mixinStandardHelpOptions = true,
            description = "Answer every UDP datagram and TCP frame with a fixed reply (runs until stopped).")
    static final class Echo implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--bind", description = "Address to listen on. Default: ${DEFAULT-VALUE}", defaultValue = "127.0.0.1")
        String bind;

        @Option(names = "--port", description = "UDP and TCP port. Default: ${DEFAULT-VALUE}", defaultValue = "2641")
        int port;

        @Option(names = "--reply-bytes", description = "Size of every reply frame. Default: ${DEFAULT-VALUE}",
                defaultValue = "345")
        int replyBytes;

        @Option(names = "--threads", description = "I/O threads (0 = one per core). Default: ${DEFAULT-VALUE}",
                defaultValue = "0")
        int threads;

        @Option(names = "--allow-remote", description = "Accept a bind address that is not a loopback address")
        boolean allowRemote;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            InetAddress address;
            try {
                address = InetAddress.getByName(bind);
                if (!allowRemote && !address.isLoopbackAddress()) {
                    throw new IllegalArgumentException(bind + " is not a loopback address; pass --allow-remote");
                }
            } catch (UnknownHostException | IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            EchoServer server = EchoServer.start(address, port, replyBytes, n);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "echo-shutdown"));
            err.printf("echo: %d-byte replies on %s port %d (UDP and TCP), pid %d%n", replyBytes,
                    address.getHostAddress(), server.port(), ProcessHandle.current().pid());
            err.flush();
            server.awaitClose();
            return 0;
        }
    }

    /** {@code generate}: writes sample records as JSON Lines for {@code resolver-server import}. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write one sample record per key of a pattern as JSON Lines (input of resolver-server import).")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--pattern", required = true, description = "Keys FORMAT:COUNT, e.g. 88.100.1/P%%08d:100000")
        String pattern;

        @Option(names = "--out", required = true, description = "JSON Lines file to write")
        Path out;

        @Override
        public Integer call() throws IOException {
            KeyPattern keys;
            try {
                keys = KeyPattern.parse(pattern);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 2;
            }
            SampleRecords.writeJsonLines(keys, out);
            spec.commandLine().getErr().printf("wrote %d records to %s%n", keys.count(), out);
            return 0;
        }
    }

    /** Parses {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}). */
    static InetSocketAddress address(String hostPort) throws UnknownHostException {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("target must be HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port of '" + hostPort + "' is not a number", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be within 1..65535, got " + port);
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static Duration seconds(double s, String name) {
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(name + " must be a number of seconds >= 0, got " + s);
        }
        return Duration.ofNanos((long) (s * 1e9));
    }
}
