package io.idnode.client.cli;

import io.idnode.client.cli.ImportLedger.Failure;
import io.idnode.client.cli.ImportLedger.Tally;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Where an interrupted import resumes: the settled {@link Tally} of the import of one file, and that file's
 * size and modification time, so that a changed file is not resumed at a line that now means something
 * else. Written whole to a temporary file and renamed over the old one, so a crash leaves the old checkpoint
 * or the new one, never half of one. Items past the resume line may have been registered already; resuming
 * sends them again, and the node's answer that an identical record exists counts them as done.
 */
record Checkpoint(Path input, long inputSize, long inputModifiedMillis, Tally tally) {
    private static final String FILE = "file";
    private static final String SIZE = "size";
    private static final String MODIFIED = "modified";
    private static final String LINE = "resume-line";
    private static final String CREATED = "created";
    private static final String UNCHANGED = "unchanged";
    private static final String FAILED = "failed";
    private static final String FAILURE = "failure.";

    /** The checkpoint file used for {@code input} unless told otherwise: {@code INPUT.checkpoint} beside it. */
    static Path defaultLocation(Path input) {
        return input.resolveSibling(input.getFileName() + ".checkpoint");
    }

    /** A checkpoint of {@code tally} for {@code input} as it is now on disk. */
    static Checkpoint of(Path input, Tally tally) throws IOException {
        return new Checkpoint(input.toAbsolutePath(), Files.size(input), Files.getLastModifiedTime(input).toMillis(),
                tally);
    }

    /** True if {@code input} is the file this checkpoint was written for, unchanged since. */
    boolean matches(Path input) throws IOException {
        return Files.size(input) == inputSize && Files.getLastModifiedTime(input).toMillis() == inputModifiedMillis;
    }

    /** Reads a checkpoint file; a damaged one is an {@link IOException} naming it. */
    static Checkpoint read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        try {
            List<Failure> failures = new ArrayList<>();
            for (int i = 0; p.containsKey(FAILURE + i + ".line"); i++) {
                String handle = p.getProperty(FAILURE + i + ".handle");
                failures.add(new Failure(Long.parseLong(p.getProperty(FAILURE + i + ".line")),
                        handle == null || handle.isEmpty() ? null : handle, p.getProperty(FAILURE + i + ".message", "")));
            }
            Tally tally = new Tally(number(p, LINE), number(p, CREATED), number(p, UNCHANGED), number(p, FAILED),
                    failures);
            return new Checkpoint(Path.of(required(p, FILE)), number(p, SIZE), number(p, MODIFIED), tally);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a checkpoint of idctl import: " + e.getMessage()
                    + "; delete it to import from the start", e);
        }
    }

    /** Writes this checkpoint to {@code file}, replacing the previous one in one step. */
    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty(FILE, input.toString());
        p.setProperty(SIZE, Long.toString(inputSize));
        p.setProperty(MODIFIED, Long.toString(inputModifiedMillis));
        p.setProperty(LINE, Long.toString(tally.resumeLine()));
        p.setProperty(CREATED, Long.toString(tally.created()));
        p.setProperty(UNCHANGED, Long.toString(tally.unchanged()));
        p.setProperty(FAILED, Long.toString(tally.failed()));
        List<Failure> failures = tally.failures();
        for (int i = 0; i < failures.size(); i++) {
            Failure f = failures.get(i);
            p.setProperty(FAILURE + i + ".line", Long.toString(f.line()));
            p.setProperty(FAILURE + i + ".handle", f.handle() == null ? "" : f.handle());
            p.setProperty(FAILURE + i + ".message", f.message());
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".checkpoint-", ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "idctl import: every record starting before " + LINE + " is done");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key);
        }
        return v;
    }

    private static long number(Properties p, String key) {
        return Long.parseLong(required(p, key).strip());
    }
}
