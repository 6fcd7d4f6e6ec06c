package io.idnode.server;

import io.idnode.json.JsonFormatException;
import io.idnode.json.RecordJsonReader;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.store.KeyLayout;
import io.idnode.store.RecordFileWriter;
import io.idnode.store.StoredRecordCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a JSON Lines file of records once, parsing blocks of whole lines on a pool of threads, and writes each
 * record, in its stored form, to sorted record files ({@link RecordFileWriter}) in a work folder. Lines are
 * those of {@link java.io.BufferedReader#readLine} (ended by LF, CR or CRLF); blank lines are skipped. A line
 * longer than the limit is a bad line, and is skipped without being held in memory: whatever the file, memory
 * stays within a few blocks of the larger of the block size and the line limit. After the first bad line no
 * more files are written, but every line is still read, so all bad lines are counted.
 * Of two records of the same handle, the later line's wins: within a file only the later one is kept, and a
 * block whose keys do not all come after those already written starts a new file, flagged as overlapping.
 */
final class RecordFileBuilder {
    /** Size of a record file before the next one is started: the store's own target file size. */
    static final long FILE_BYTES = 64L << 20;

    private static final Comparator<Entry> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key(), b.key());

    private final Path folder;
    private final int blockBytes;
    private final int maxLineBytes;
    private final int threads;
    private final long fileBytes;
    private final int maxReported;
    private final int defaultTimestamp;
    private final RecordMetadata metadata;
    // Set once a bad line is seen: parsers stop encoding, the file writer stops writing.
    private volatile boolean failed;

    /** One bad line: its number in the file (from 1) and what is wrong with it. */
    record LineError(long line, String message) {
    }

    /**
     * The outcome: the record files in the order written (none if any line was bad), whether some of them
     * overlap, the number of good records read, the number of bad lines and the first of them.
     */
    record Result(List<Path> files, boolean overlapping, long records, long badLines, List<LineError> reported) {
    }

    /**
     * @param folder where the record files go (on the store's file system, so ingesting them moves them)
     * @param blockBytes bytes of the file parsed together (a block always holds at least one whole line)
     * @param maxLineBytes longest line accepted, without its end, in bytes
     * @param threads parsing threads
     * @param fileBytes size at which a record file is finished and the next started
     * @param maxReported bad lines kept for the report
     * @param defaultTimestamp value timestamp where a line gives none (Unix seconds)
     * @param metadata metadata given to every record
     */
    RecordFileBuilder(Path folder, int blockBytes, int maxLineBytes, int threads, long fileBytes, int maxReported,
            int defaultTimestamp, RecordMetadata metadata) {
        if (blockBytes < 1 || maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 2 || threads < 1
                || fileBytes < 1 || maxReported < 0) {
            throw new IllegalArgumentException("blockBytes, maxLineBytes, threads and fileBytes must be positive,"
                    + " maxReported not negative");
        }
        this.folder = Objects.requireNonNull(folder, "folder");
        this.blockBytes = blockBytes;
        this.maxLineBytes = maxLineBytes;
        this.threads = threads;
        this.fileBytes = fileBytes;
        this.maxReported = maxReported;
        this.defaultTimestamp = defaultTimestamp;
        this.metadata = Objects.requireNonNull(metadata, "metadata");
    }

    /** Reads {@code input} and builds the record files; an I/O failure propagates, files written so far stay. */
    Result build(Path input) throws IOException {
        failed = false;
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "import-parse-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Output files = new Output();
        try (FileChannel in = FileChannel.open(input, StandardOpenOption.READ)) {
            // A few blocks ahead of the writer keep every parser busy without holding much of the file in memory.
            ArrayDeque<Future<Block>> pending = new ArrayDeque<>();
            LineBlocks blocks = new LineBlocks(in);
            for (Chunk next = blocks.next(); next != null; next = blocks.next()) {
                Chunk c = next;
                if (c == Chunk.LONG_LINE) {
                    failed = true;
                    pending.add(CompletableFuture.completedFuture(new Block(1, 0, List.of(), 1,
                            maxReported > 0 ? List.of(new LineError(1, tooLong())) : List.of())));
                } else {
                    pending.add(pool.submit(() -> parse(c.buf(), c.end())));
                }
                while (pending.size() > 2 * threads) {
                    files.take(await(pending.poll()));
                }
            }
            while (!pending.isEmpty()) {
                files.take(await(pending.poll()));
            }
            files.finish();
        } finally {
            files.closeQuietly();
            pool.shutdownNow();
        }
        return new Result(failed ? List.of() : List.copyOf(files.done), files.overlapping, files.records, files.badLines,
                List.copyOf(files.reported));
    }

    private String tooLong() {
        return "line longer than " + maxLineBytes + " bytes";
    }

    /** What the reader hands on: {@code buf[0, end)} holds whole lines, or {@link #LONG_LINE} stands for one. */
    private record Chunk(byte[] buf, int end) {
        /** A line over the limit, skipped. */
        static final Chunk LONG_LINE = new Chunk(new byte[0], 0);
    }

    /**
     * Reads the file in chunks of whole lines, each about {@code blockBytes} long. A line longer than a chunk
     * gets a larger buffer, up to the line limit; beyond it, the rest of the line is read through and dropped.
     */
    private final class LineBlocks {
        private final FileChannel in;
        // The start of the next chunk, read with the previous one: a partial line, or the bytes after a long line.
        private byte[] carry = new byte[0];
        private boolean eof;

        LineBlocks(FileChannel in) {
            this.in = in;
        }

        /** The next chunk, or null at the end of the file. */
        Chunk next() throws IOException {
            if (eof && carry.length == 0) {
                return null;
            }
            byte[] buf = new byte[Math.max(blockBytes, Math.min(carry.length * 2, maxLineBytes + 2))];
            System.arraycopy(carry, 0, buf, 0, carry.length);
            int filled = carry.length;
            int cut = -1;
            while (!eof) {
                if (filled == buf.length) {
                    cut = lastLineEnd(buf, filled);
                    if (cut >= 0) {
                        break;
                    }
                    // The buffer is one partial line (possibly ended by a CR whose LF is yet to come).
                    boolean endsWithCr = buf[filled - 1] == '\r';
                    if (filled - (endsWithCr ? 1 : 0) > maxLineBytes) {
                        skipRestOfLine(endsWithCr);
                        return Chunk.LONG_LINE;
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(buf.length * 2L, maxLineBytes + 2L));
                }
                int n = in.read(ByteBuffer.wrap(buf, filled, buf.length - filled));
                if (n < 0) {
                    eof = true;
                } else {
                    filled += n;
                }
            }
            int end = eof ? filled : cut;
            carry = Arrays.copyOfRange(buf, end, filled);
            return end == 0 ? null : new Chunk(buf, end);
        }

        /** Reads up to the end of the current line, keeping only what follows it; {@code ended}: a CR was its end. */
        private void skipRestOfLine(boolean ended) throws IOException {
            byte[] chunk = new byte[blockBytes];
            while (true) {
                int n = in.read(ByteBuffer.wrap(chunk));
                if (n < 0) {
                    eof = true;
                    carry = new byte[0];
                    return;
                }
                int from;
                if (ended) {
                    from = chunk[0] == '\n' ? 1 : 0; // the LF of a CRLF
                } else {
                    int i = lineEnd(chunk, 0, n);
                    if (i == n) {
                        continue;
                    }
                    if (chunk[i] == '\r' && i + 1 == n) {
                        ended = true; // the LF of a CRLF may start the next read
                        continue;
                    }
                    from = chunk[i] == '\r' && chunk[i + 1] == '\n' ? i + 2 : i + 1;
                }
                carry = Arrays.copyOfRange(chunk, from, n);
                return;
            }
        }
    }

    /**
     * The end of the last whole line in {@code buf[0, filled)}: just past its LF or CR, where a CR counts only
     * if the byte after it is known (it may start a CRLF). -1 if there is none.
     */
    private static int lastLineEnd(byte[] buf, int filled) {
        for (int i = filled - 1; i >= 0; i--) {
            if (buf[i] == '\n' || buf[i] == '\r' && i < filled - 1) {
                return i + 1;
            }
        }
        return -1;
    }

    private static Block await(Future<Block> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while parsing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("parsing failed", e.getCause());
        }
    }

    /** A stored record ready to write. */
    private record Entry(byte[] key, byte[] stored) {
    }

    /**
     * A parsed block: its line count, good records, entries sorted by key with only the last of equal keys
     * (empty once any line is bad), bad line count and the first bad lines (line numbers within the block).
     */
    private record Block(long lines, long records, List<Entry> entries, long badLines, List<LineError> errors) {
    }

    private Block parse(byte[] buf, int end) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<Entry> entries = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        long lines = 0;
        long records = 0;
        long bad = 0;
        int start = 0;
        while (start < end) {
            int i = lineEnd(buf, start, end);
            lines++;
            // A line over the limit that fits in a block (blocks larger than the limit) is refused here.
            boolean tooLong = i - start > maxLineBytes;
            String line = tooLong ? null : decode(buf, start, i, utf8);
            start = i < end && buf[i] == '\r' && i + 1 < end && buf[i + 1] == '\n' ? i + 2 : i + 1;
            String problem;
            if (tooLong) {
                problem = tooLong();
            } else if (line == null) {
                problem = "not UTF-8 text";
            } else if (line.isBlank()) {
                continue;
            } else {
                try {
                    HandleRecord r = RecordJsonReader.STANDARD.readRecord(line, defaultTimestamp);
                    records++;
                    if (bad == 0 && !failed) {
                        HandleRecord stamped = new HandleRecord(r.handle(), r.values(), metadata);
                        entries.add(new Entry(KeyLayout.recordKey(r.handle()), StoredRecordCodec.encode(stamped)));
                    }
                    continue;
                } catch (JsonFormatException e) {
                    problem = e.getMessage();
                }
            }
            bad++;
            failed = true;
            if (errors.size() < maxReported) {
                errors.add(new LineError(lines, problem));
            }
        }
        if (bad > 0) {
            entries = List.of();
        } else {
            entries.sort(BY_KEY); // stable: of equal keys, the later line stays last
            entries = lastOfEqualKeys(entries);
        }
        return new Block(lines, records, entries, bad, errors);
    }

    /** The index of the first LF or CR in {@code buf[from, end)}, or {@code end}. */
    private static int lineEnd(byte[] buf, int from, int end) {
        // A loop of its own, which the JIT compiles far tighter than one that also handles the line.
        for (int i = from; i < end; i++) {
            byte b = buf[i];
            if (b == '\n' || b == '\r') {
                return i;
            }
        }
        return end;
    }

    /** The text of {@code buf[from, to)}, or null if it is not UTF-8. */
    private static String decode(byte[] buf, int from, int to, CharsetDecoder utf8) {
        // The lenient decoder is the JDK's fast path; only a line it had to repair is decoded again strictly,
        // since U+FFFD may also be in the file itself.
        String text = new String(buf, from, to - from, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return utf8.reset().decode(ByteBuffer.wrap(buf, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static List<Entry> lastOfEqualKeys(List<Entry> sorted) {
        List<Entry> out = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            if (i + 1 < sorted.size() && Arrays.equals(sorted.get(i).key(), sorted.get(i + 1).key())) {
                continue;
            }
            out.add(sorted.get(i));
        }
        return out;
    }

    /** The record files, written by one thread in the order of the blocks. */
    private final class Output {
        final List<Path> done = new ArrayList<>();
        final List<LineError> reported = new ArrayList<>();
        RecordFileWriter writer;
        byte[] lastKey;
        boolean overlapping;
        long lineBase;
        long records;
        long badLines;

        void take(Block b) {
            for (LineError e : b.errors()) {
                if (reported.size() < maxReported) {
                    reported.add(new LineError(lineBase + e.line(), e.message()));
                }
            }
            lineBase += b.lines();
            records += b.records();
            badLines += b.badLines();
            if (failed) {
                closeQuietly();
                return;
            }
            List<Entry> entries = b.entries();
            if (!entries.isEmpty() && lastKey != null && Arrays.compareUnsigned(entries.get(0).key(), lastKey) <= 0) {
                // Keys going back: a later record may replace one already written, so it must go in a later file.
                finishFile();
                overlapping = true;
            }
            for (int i = 0; i < entries.size(); i++) {
                if (writer == null) {
                    Path file = folder.resolve(String.format("records-%06d.sst", done.size()));
                    writer = RecordFileWriter.create(file);
                    done.add(file);
                }
                Entry e = entries.get(i);
                writer.put(e.key(), e.stored());
                // The size is asked of the native writer, so not after every record.
                if ((writer.records() & 1023) == 0 && writer.fileSize() >= fileBytes) {
                    finishFile();
                }
            }
            if (!entries.isEmpty()) {
                lastKey = entries.get(entries.size() - 1).key();
            }
        }

        void finish() {
            if (!failed) {
                finishFile();
            }
        }

        private void finishFile() {
            if (writer != null) {
                try {
                    writer.finish();
                } finally {
                    writer.close();
                    writer = null;
                }
            }
        }

        void closeQuietly() {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }
    }
}
