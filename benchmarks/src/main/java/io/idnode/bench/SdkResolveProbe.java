package io.idnode.bench;

import io.idnode.client.HandleClient;
import io.idnode.client.Resolution;
import io.idnode.loadgen.KeyChooser;
import io.idnode.loadgen.KeyPattern;
import io.idnode.loadgen.Zipf;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Resolutions per second through the SDK ({@link HandleClient#resolve}) against a running node, closed loop:
 * {@code --in-flight} resolutions outstanding, each replaced by the next when it completes, keys drawn as the
 * load generator draws them ({@code --pattern}, {@code --distribution}). Warms up, measures, then prints one
 * JSON line with the replies per second and the latency percentiles, the load generator's names where they
 * are the same, so that {@code sdkbench.sh} puts both side by side.
 */
@Command(name = "sdk-resolve-probe", mixinStandardHelpOptions = true, version = "idnode sdk-resolve-probe 0.1.0",
        description = "Resolutions per second through the SDK against a running node.")
public final class SdkResolveProbe implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", description = "Node HOST:PORT. Default: ${DEFAULT-VALUE}", defaultValue = "127.0.0.1:2641")
    String target;

    @Option(names = "--transport", description = "tcp (persistent connections) or udp. Default: ${DEFAULT-VALUE}",
            defaultValue = "tcp")
    String transport;

    @Option(names = "--in-flight", description = "Resolutions outstanding. Default: ${DEFAULT-VALUE}", defaultValue = "64")
    int inFlight;

    @Option(names = "--connections", description = "TCP connections to the node. Default: ${DEFAULT-VALUE}",
            defaultValue = "1")
    int connections;

    @Option(names = "--threads", description = "I/O threads of the client. Default: ${DEFAULT-VALUE}", defaultValue = "1")
    int threads;

    @Option(names = "--callbacks", description = "pool (the default callback executor, the common fork-join pool) or"
            + " direct (completions run on the I/O thread). Default: ${DEFAULT-VALUE}", defaultValue = "pool")
    String callbacks;

    @Option(names = "--warmup", description = "Seconds before counting starts. Default: ${DEFAULT-VALUE}", defaultValue = "5")
    int warmup;

    @Option(names = "--duration", description = "Seconds of measurement. Default: ${DEFAULT-VALUE}", defaultValue = "10")
    int duration;

    @Option(names = "--pattern", required = true, description = "Keys FORMAT:COUNT, e.g. 88.100.1/P%%08d:100000")
    String pattern;

    @Option(names = "--distribution", description = "uniform or zipf. Default: ${DEFAULT-VALUE}", defaultValue = "zipf")
    String distribution;

    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Recorder latencies = new Recorder(3);
    private volatile boolean measuring;
    private volatile boolean stopping;

    /** Runs the probe and exits with its code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SdkResolveProbe()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (inFlight < 1 || duration < 1 || warmup < 0 || !transport.matches("tcp|udp")
                || !callbacks.matches("pool|direct") || !distribution.matches("uniform|zipf")) {
            throw new ParameterException(spec.commandLine(), "--in-flight and --duration at least 1, --transport tcp or"
                    + " udp, --callbacks pool or direct, --distribution uniform or zipf");
        }
        KeyPattern keys = KeyPattern.parse(pattern);
        KeyChooser chooser = distribution.equals("zipf") ? KeyChooser.zipf(keys.count(), Zipf.DEFAULT_EXPONENT, 1)
                : KeyChooser.uniform(keys.count());
        String[] handles = new String[keys.count()];
        for (int i = 0; i < handles.length; i++) {
            handles[i] = keys.key(i);
        }
        HandleClient.Builder b = HandleClient.builder().node(target).udp(transport.equals("udp"))
                .eventLoopThreads(threads).connectionsPerServer(connections).maxInFlight(inFlight + 1);
        if (callbacks.equals("direct")) {
            b.callbackExecutor(Runnable::run);
        }
        CountDownLatch drained = new CountDownLatch(inFlight);
        long window;
        try (HandleClient client = b.build()) {
            client.resolve(handles[0]).get(); // the site and the prefix's servers, looked up once
            SplittableRandom seeds = new SplittableRandom(7);
            for (int i = 0; i < inFlight; i++) {
                SplittableRandom random = seeds.split();
                next(client, handles, chooser, random, drained);
            }
            TimeUnit.SECONDS.sleep(warmup);
            latencies.reset();
            measuring = true;
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(duration);
            measuring = false;
            window = System.nanoTime() - t0;
            stopping = true;
            drained.await(30, TimeUnit.SECONDS);
        }
        Histogram h = latencies.getIntervalHistogram();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "{\"transport\":\"sdk-%s\",\"inFlight\":%d,\"callbacks\":\"%s\",\"throughput\":%.1f,"
                + "\"errors\":%d,\"latencyMicros\":{\"p50\":%d,\"p99\":%d}}%n", transport, inFlight, callbacks,
                answered.get() * 1e9 / window, failed.get(), h.getValueAtPercentile(50) / 1000,
                h.getValueAtPercentile(99) / 1000);
        out.flush();
        return failed.get() == 0 ? 0 : 1;
    }

    /** Starts one resolution; its completion counts it and starts the next, until stopping. */
    private void next(HandleClient client, String[] handles, KeyChooser chooser, SplittableRandom random,
            CountDownLatch drained) {
        if (stopping) {
            drained.countDown();
            return;
        }
        long start = System.nanoTime();
        CompletableFuture<Resolution> f = client.resolve(handles[chooser.next(random)]);
        f.whenComplete((r, e) -> {
            if (measuring) {
                if (e == null && !r.values().isEmpty()) {
                    answered.incrementAndGet();
                    latencies.recordValue(System.nanoTime() - start);
                } else {
                    failed.incrementAndGet();
                }
            }
            next(client, handles, chooser, random, drained);
        });
    }

}
