package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Main} in a JVM of its own, with the logging configuration the node ships (logback.xml, not the tests'),
 * started in a folder of the test: its output is collected line by line, and for {@code serve} the port it
 * listens on is read from its log.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on \\S+ port (\\d+)");
    private static final String READY = "node ready";

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private int listening;
    private final Thread reader;

    private NodeProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "node-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code Main args} in {@code workDir} with the JVM options {@code jvmOptions}. */
    public static NodeProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        return start(workDir, jvmOptions, java.util.Map.of(), args);
    }

    /** As {@link #start(Path, List, String...)}, with {@code environment} added to the process's environment. */
    public static NodeProcess start(Path workDir, List<String> jvmOptions, java.util.Map<String, String> environment,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml",
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new NodeProcess(builder.start());
    }

    /** Runs {@code Main args} in {@code workDir} to its end; the exit code and every line it printed. */
    public static Run run(Path workDir, List<String> jvmOptions, String... args) throws Exception {
        try (NodeProcess p = start(workDir, jvmOptions, args)) {
            return p.awaitExit();
        }
    }

    /** A finished process: its exit code and output. */
    public record Run(int exit, List<String> lines) {
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    listening = Integer.parseInt(m.group(1));
                }
                if (line.contains(READY)) {
                    port.complete(listening);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        port.completeExceptionally(new AssertionError("the node ended before it was ready: " + lines));
    }

    /** The port the node listens on, once it is ready (and stops gracefully on a SIGTERM). */
    public int port() throws Exception {
        return port.get(60, TimeUnit.SECONDS);
    }

    /**
     * Waits up to {@code timeout} for a line containing {@code text} printed after the first {@code skip} lines;
     * returns the line, or fails naming what was awaited (and the last lines) if the process ends or the time
     * runs out.
     */
    public String awaitLine(String text, int skip, java.time.Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> now = lines();
            for (int i = skip; i < now.size(); i++) {
                if (now.get(i).contains(text)) {
                    return now.get(i);
                }
            }
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("no line with \"" + text + "\" within " + timeout + (process.isAlive() ? ""
                        : " (the process ended)") + "; last lines: "
                        + now.subList(Math.max(0, now.size() - 30), now.size()));
            }
            Thread.sleep(50);
        }
    }

    /** Waits until this member of a replicated service logs that it has joined its group; returns the line. */
    public String awaitJoined(java.time.Duration timeout) throws InterruptedException {
        return awaitLine(MemberSite.JOINED, 0, timeout);
    }

    /** The process id, for signals. */
    public long pid() {
        return process.pid();
    }

    /** Sends {@code signal} (e.g. STOP, CONT) to the process with the system's {@code kill}. */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).as("kill -" + signal).isTrue();
        assertThat(kill.exitValue()).as("kill -" + signal + " exit code").isZero();
    }

    /** Every line the process printed so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Kills the process at once (SIGKILL), as a power cut would, and waits for its end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process killed").isTrue();
    }

    /** Asks the node to stop (SIGTERM) and waits for its end. */
    public Run stop() throws Exception {
        process.toHandle().destroy(); // unlike Process.destroy, keeps the output stream open to read the last lines
        return awaitExit();
    }

    private Run awaitExit() throws Exception {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process ended").isTrue();
        reader.join(10_000);
        return new Run(process.exitValue(), List.copyOf(lines));
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
