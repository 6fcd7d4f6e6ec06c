package io.idnode.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.client.BatchOptions;
import io.idnode.client.RecordSigning;
import io.idnode.client.BatchRegistration;
import io.idnode.client.HandleClient;
import io.idnode.client.IfExists;
import io.idnode.client.RegistrationResult;
import io.idnode.client.cli.ImportLedger.Failure;
import io.idnode.client.cli.ImportLedger.Tally;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code import}: registers the identifiers of a CSV or JSON Lines file through the SDK's batch registration, a
 * bounded number in flight, with a progress bar, a checkpoint to resume from, and a summary of the failed
 * lines. A record there already with the same values counts as done, so an import run again, or resumed past
 * its checkpoint, registers nothing twice. It stops early, keeping its checkpoint, when the node is unreachable
 * or refuses the identity; any other refusal fails that line only.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Register the identifiers of a CSV or JSON"
        + " Lines file; an interrupted import resumes where it stopped.")
final class ImportCommand extends NodeCommand {
    /** Failures kept for the summary (and in the checkpoint); more are only counted. */
    static final int MAX_REPORTED_FAILURES = 20;
    /** The checkpoint is written once this many more items are settled... */
    static final long CHECKPOINT_ITEMS = 1000;
    /** ...or once this much time has passed since it was last written, whichever comes first. */
    static final long CHECKPOINT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long an interrupted import waits for the items in flight before its final checkpoint. */
    private static final long INTERRUPT_GRACE_SECONDS = 10;

    @Parameters(index = "0", paramLabel = "FILE", description = "CSV (a header row naming value types, then one row"
            + " per identifier) or JSON Lines (the node's import form).")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "CSV or JSONL (default: CSV for a .csv file,"
            + " JSONL otherwise).")
    RecordSource.Format format;

    @Option(names = "--in-flight", paramLabel = "N", description = "Creates outstanding at once (1.."
            + BatchOptions.MAX_IN_FLIGHT + "). Default: ${DEFAULT-VALUE}.")
    int inFlight = BatchOptions.DEFAULT_MAX_IN_FLIGHT;

    @Mixin
    SigningOptions signingOptions;

    @Option(names = "--if-exists", paramLabel = "POLICY", description = "When an identifier exists: ACCEPT_IDENTICAL"
            + " (done if it holds exactly the values of the line, else a failure), OVERWRITE or FAIL."
            + " Default: ${DEFAULT-VALUE}.")
    IfExists ifExists = IfExists.ACCEPT_IDENTICAL;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Checkpoint file (default: FILE.checkpoint"
            + " beside the input).")
    Path checkpointFile;

    @Option(names = "--restart", description = "Ignore the checkpoint and start from the first line.")
    boolean restart;

    @Option(names = "--no-progress", description = "No progress bar (it is shown only on a terminal anyway).")
    boolean noProgress;

    private final AtomicReference<CommandFailure> stop = new AtomicReference<>();
    private ImportLedger ledger;
    private Path checkpointPath;
    private ImportProgress progress = ImportProgress.NONE;
    private long lastSavedItems;
    private long lastSavedNanos;
    private IOException checkpointError;

    @Override
    boolean administers() {
        return true;
    }

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) throws CommandFailure {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw CommandFailure.usage("cannot read " + file);
        }
        if (inFlight < 1 || inFlight > BatchOptions.MAX_IN_FLIGHT) {
            throw CommandFailure.usage("--in-flight must be 1.." + BatchOptions.MAX_IN_FLIGHT + ", was " + inFlight);
        }
        RecordSigning signing = signingOptions.signing(providers);
        checkpointPath = checkpointFile != null ? checkpointFile : Checkpoint.defaultLocation(file);
        Tally start = startingPoint();
        RecordSource.Format fmt = format != null ? format : RecordSource.Format.of(file);
        ledger = new ImportLedger(start, MAX_REPORTED_FAILURES);
        lastSavedItems = start.settled();
        lastSavedNanos = System.nanoTime();
        long started = System.nanoTime();
        try (RecordSource source = open(fmt)) {
            if (showProgress()) {
                progress = ImportProgress.bar(file.getFileName().toString(), countItems(fmt), start.settled(), System.err);
            }
            RegistrationFeed feed = new RegistrationFeed(source, ledger, start.resumeLine(),
                    profile.profile().identityReference(), () -> stop.get() != null, this::afterFinish);
            BatchOptions options = new BatchOptions(inFlight, ifExists, r -> finished(feed, r, diagnosis))
                    .withSigning(signing);
            BatchRegistration batch = client.register(feed, options);
            Thread interrupt = new Thread(() -> interrupted(batch), "idctl-interrupt");
            Runtime.getRuntime().addShutdownHook(interrupt);
            CommandFailure inputFailure = null;
            try {
                batch.completion().join();
            } catch (CompletionException e) {
                inputFailure = inputFailure(e);
            } finally {
                progress.close();
                removeHook(interrupt);
            }
            return finish(fmt, start, System.nanoTime() - started, inputFailure);
        } catch (IOException e) {
            throw CommandFailure.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The tally to continue from: the checkpoint's when there is one for this file, else a fresh one. */
    private Tally startingPoint() throws CommandFailure {
        if (restart || !Files.exists(checkpointPath)) {
            return ImportLedger.fresh();
        }
        try {
            Checkpoint c = Checkpoint.read(checkpointPath);
            if (!c.input().equals(file.toAbsolutePath()) || !c.matches(file)) {
                throw CommandFailure.usage(checkpointPath + " was written for " + c.input() + " as it was then, and "
                        + file + " is not that file any more; add --restart to import it from the first line"
                        + " (identifiers registered already with the same values count as done)");
            }
            return c.tally();
        } catch (IOException e) {
            throw CommandFailure.usage("cannot read the checkpoint: " + e.getMessage());
        }
    }

    private RecordSource open(RecordSource.Format fmt) throws IOException, CommandFailure {
        try {
            return RecordSource.open(file, fmt, valueText());
        } catch (InputException e) {
            throw CommandFailure.usage(file + ": " + e.getMessage());
        }
    }

    private boolean showProgress() {
        return !noProgress && !output.json && System.console() != null;
    }

    /** The outcome of one registration, from the batch: into the ledger, or the reason to stop. */
    private void finished(RegistrationFeed feed, RegistrationResult r, Diagnosis diagnosis) {
        ImportLedger.Item item = feed.item(r.position());
        switch (r.status()) {
            case CREATED -> ledger.finish(item, ImportLedger.Result.CREATED, null);
            case ALREADY_REGISTERED -> ledger.finish(item, ImportLedger.Result.UNCHANGED, null);
            case CONFLICT, FAILED -> {
                if (diagnosis.stopsBatch(r.error())) {
                    // Not the line's fault: it stays unsettled, so the checkpoint resumes at it.
                    stop.compareAndSet(null, diagnosis.of(r.error()));
                    return;
                }
                ledger.finish(item, ImportLedger.Result.FAILED, diagnosis.brief(r.error()));
            }
        }
        afterFinish();
    }

    private void afterFinish() {
        progress.finished(ledger.finished());
        saveCheckpoint(false);
    }

    /** Writes the checkpoint if enough has been settled or enough time passed since the last one (or if forced). */
    private synchronized void saveCheckpoint(boolean force) {
        Tally t = ledger.tally();
        long now = System.nanoTime();
        if (!force && t.settled() - lastSavedItems < CHECKPOINT_ITEMS && now - lastSavedNanos < CHECKPOINT_NANOS) {
            return;
        }
        try {
            Checkpoint.of(file, t).write(checkpointPath);
            lastSavedItems = t.settled();
            lastSavedNanos = now;
        } catch (IOException e) {
            checkpointError = e;
        }
    }

    /** On SIGINT or SIGTERM: read no more, let the items in flight finish a while, keep the checkpoint. */
    private void interrupted(BatchRegistration batch) {
        stop.compareAndSet(null, new CommandFailure(ExitCode.FAILED, "interrupted"));
        batch.cancel();
        try {
            batch.completion().get(INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the checkpoint below holds what is settled either way
        }
        saveCheckpoint(true);
        System.err.println("idctl import interrupted; run the same command again to resume at line "
                + ledger.tally().resumeLine() + " of " + file);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and keeps the checkpoint
        }
    }

    private CommandFailure inputFailure(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UncheckedIOException io) {
            return CommandFailure.usage("cannot read " + file + ": " + io.getCause().getMessage());
        }
        return new CommandFailure(ExitCode.FAILED, "the import stopped: " + cause, cause);
    }

    /** The summary, the checkpoint kept (stopped early) or removed (all done), and the exit code. */
    private ExitCode finish(RecordSource.Format fmt, Tally start, long nanos, CommandFailure inputFailure)
            throws CommandFailure {
        Tally t = ledger.tally();
        CommandFailure stopped = inputFailure != null ? inputFailure : stop.get();
        boolean complete = stopped == null && ledger.inFlight() == 0;
        if (complete) {
            try {
                Files.deleteIfExists(checkpointPath);
            } catch (IOException e) {
                err().println("warning: cannot remove the checkpoint " + checkpointPath + ": " + e.getMessage());
            }
        } else {
            saveCheckpoint(true);
        }
        if (checkpointError != null) {
            err().println("warning: cannot write the checkpoint " + checkpointPath + ": " + checkpointError.getMessage());
        }
        double seconds = nanos / 1e9;
        long items = t.settled() - start.settled();
        double rate = seconds > 0 ? items / seconds : 0;
        String resume = complete ? null : "run the same command again to resume at line " + t.resumeLine() + " of "
                + file + " (checkpoint " + checkpointPath + ")";
        if (output.json) {
            ObjectNode doc = OutputOptions.object().put("file", file.toString())
                    .put("format", fmt.name().toLowerCase(Locale.ROOT)).put("complete", complete)
                    .put("created", t.created()).put("alreadyRegistered", t.unchanged()).put("failed", t.failed())
                    .put("seconds", Math.round(seconds * 1000) / 1000.0).put("ratePerSecond", Math.round(rate));
            if (!complete) {
                doc.put("resumeLine", t.resumeLine()).put("checkpoint", checkpointPath.toString());
                doc.putObject("error").put("exitCode", stopped.exitCode().code())
                        .put("kind", stopped.exitCode().label()).put("message", stopped.getMessage());
            }
            ArrayNode failures = doc.putArray("failures");
            for (Failure f : t.failures()) {
                ObjectNode o = failures.addObject().put("line", f.line());
                if (f.handle() != null) {
                    o.put("handle", f.handle());
                }
                o.put("message", f.message());
            }
            OutputOptions.print(out(), doc);
        } else {
            PrintWriter out = out();
            out.printf("%s: %d registered (%d created, %d already registered), %d failed; %d in this run, %.1f s,"
                    + " %.0f/s%n", file, t.created() + t.unchanged(), t.created(), t.unchanged(), t.failed(), items,
                    seconds, rate);
            for (Failure f : t.failures()) {
                out.printf("  %s:%d: %s%s%n", file, f.line(), f.handle() == null ? "" : f.handle() + ": ", f.message());
            }
            if (t.failed() > t.failures().size()) {
                out.printf("  and %d more failed line(s)%n", t.failed() - t.failures().size());
            }
            out.flush();
        }
        if (!complete) {
            err().println("error: " + stopped.getMessage() + "; " + resume);
            err().flush();
            return stopped.exitCode();
        }
        return t.failed() > 0 ? ExitCode.FAILED : ExitCode.OK;
    }

    /** About how many items the file holds, for the bar's time left: its non-blank lines, less a CSV header. */
    private long countItems(RecordSource.Format fmt) throws IOException {
        long lines = 0;
        boolean blank = true;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    lines += blank ? 0 : 1;
                    blank = true;
                } else if (b != '\r' && b != ' ' && b != '\t') {
                    blank = false;
                }
            }
        }
        lines += blank ? 0 : 1;
        return fmt == RecordSource.Format.CSV ? Math.max(0, lines - 1) : lines;
    }
}
