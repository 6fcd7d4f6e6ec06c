package io.idnode.server;

import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.server.RecordFileBuilder.LineError;
import io.idnode.store.RocksDbRecordStore;
import io.idnode.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code import}: loads records offline from JSON Lines, one {@code {"handle": ..., "values": [...]}} per
 * line (handle-protocol.md §8 value objects). The file is parsed once, on several threads, into sorted SST
 * files in a work folder of the data folder; if any line is bad (a line over {@code --max-line-bytes}
 * included, which is never read into memory whole), every bad line is reported with its number and nothing is
 * written to the store. Otherwise the files are ingested in one durable step (an existing handle is replaced;
 * of two lines for one handle the later wins). The work folder is removed in every case: at the end, by a
 * shutdown hook if the process is stopped, and by the next import if the process was killed. A store the
 * import created is removed again if nothing was imported.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Load records from a JSON Lines file into the node's store (node must be stopped).")
final class ImportCommand implements Callable<Integer> {
    /** Bad lines reported; more are only counted. */
    static final int MAX_REPORTED_ERRORS = 20;
    /** Largest {@code --max-line-bytes}: 1 GiB. */
    static final int MAX_LINE_LIMIT = 1 << 30;
    /** Name prefix of the work folder in the data folder. */
    static final String WORK_PREFIX = "import-";

    @Spec
    CommandSpec spec;

    // The defaults are in idnode-defaults.properties (data, import.*), through Main.
    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the node. Default: ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--block-bytes", paramLabel = "N",
            description = "Bytes of the file one thread parses at a time. Default: ${DEFAULT-VALUE}")
    int blockBytes;

    @Option(names = "--max-line-bytes", paramLabel = "N",
            description = "Longest line accepted, in bytes; a longer one is a bad line. Default: ${DEFAULT-VALUE}")
    int maxLineBytes;

    @Option(names = "--threads", paramLabel = "N",
            description = "Parsing threads (0 = one per processor). Default: ${DEFAULT-VALUE}")
    int threads;

    @Parameters(index = "0", paramLabel = "FILE", description = "JSON Lines file, one record per line")
    Path file;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (blockBytes < 1) {
            err.println("error: --block-bytes must be at least 1, was " + blockBytes);
            return 2;
        }
        if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_LIMIT) {
            err.println("error: --max-line-bytes must be 1.." + MAX_LINE_LIMIT + ", was " + maxLineBytes);
            return 2;
        }
        if (threads < 0) {
            err.println("error: --threads must be 0 (one per processor) or more, was " + threads);
            return 2;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            err.println("error: cannot read " + file);
            return 2;
        }
        Optional<String> unusable = DataFolder.problem(data, DataFolder.MIN_FREE_MIB << 20);
        if (unusable.isPresent()) {
            err.println("error: --data " + unusable.get());
            return 2;
        }
        long start = System.nanoTime();
        Path storeDir = data.resolve(Node.STORE_DIR);
        boolean dataExisted = Files.exists(data);
        boolean storeExisted = Files.exists(storeDir);
        boolean imported = false;
        RocksDbRecordStore store = null;
        Path work = null;
        Thread removeWork = null;
        try {
            Files.createDirectories(data);
            // The store is opened first and held to the end: a node running on it fails the import at once, not
            // after the parse; none can start on it meanwhile; and no other import runs, so the work folders of
            // imports that were killed can go.
            store = openStore(storeDir);
            removeWorkFolders(data);
            work = Files.createTempDirectory(data, WORK_PREFIX);
            removeWork = removalAtExit(work);
            int now = (int) (System.currentTimeMillis() / 1000);
            long nowMillis = System.currentTimeMillis();
            RecordFileBuilder.Result parsed = new RecordFileBuilder(work, blockBytes, maxLineBytes,
                    threads == 0 ? Runtime.getRuntime().availableProcessors() : threads, RecordFileBuilder.FILE_BYTES,
                    MAX_REPORTED_ERRORS, now, new RecordMetadata(nowMillis, nowMillis, "import", 1)).build(file);
            for (LineError e : parsed.reported()) {
                err.printf("%s:%d: %s%n", file, e.line(), e.message());
            }
            if (parsed.badLines() > 0) {
                err.printf("error: %d bad line(s) in %s; nothing was imported. Fix them and run the import again.%n",
                        parsed.badLines(), file);
                return 1;
            }
            ingest(store, parsed);
            imported = true;
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("imported %d records from %s in %.2f s (%.0f records/s)%n", parsed.records(), file, seconds,
                    parsed.records() / Math.max(seconds, 1e-9));
            return 0;
        } catch (StoreException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            try {
                if (store != null) {
                    store.close();
                }
            } finally {
                if (removeWork != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(removeWork);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs anyway
                    }
                }
                if (work != null) {
                    DataFolder.delete(work);
                }
                if (!storeExisted && !imported) {
                    DataFolder.delete(storeDir);
                }
                if (!dataExisted && !imported) {
                    deleteIfEmpty(data);
                }
            }
        }
    }

    /** Work folders left in {@code dataDir} by imports that were killed before they could remove them. */
    private static void removeWorkFolders(Path dataDir) throws IOException {
        List<Path> stale;
        try (Stream<Path> entries = Files.list(dataDir)) {
            stale = entries.filter(p -> p.getFileName().toString().startsWith(WORK_PREFIX) && Files.isDirectory(p))
                    .toList();
        }
        for (Path p : stale) {
            DataFolder.delete(p);
        }
    }

    /** A shutdown hook, registered, that removes {@code work} if the process is stopped during the import. */
    private static Thread removalAtExit(Path work) {
        Thread hook = new Thread(() -> {
            try {
                DataFolder.delete(work);
            } catch (IOException | UncheckedIOException e) {
                // Files may still be written as the process ends; the next import removes what is left.
            }
        }, "import-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private RocksDbRecordStore openStore(Path storeDir) {
        try {
            return RocksDbRecordStore.builder(storeDir).syncWrites(false).open();
        } catch (StoreException e) {
            throw new StoreException(e.getMessage() + ". Is a node running on " + data + "? Stop it before importing.", e);
        }
    }

    /** All files go in in one atomic step; overlapping ones are then compacted, so the store has its usual shape. */
    private static void ingest(RocksDbRecordStore store, RecordFileBuilder.Result parsed) {
        store.ingest(parsed.files());
        if (parsed.overlapping()) {
            store.compact();
        }
        store.flush();
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // Something else lives there now (e.g. the audit log): leave it.
        }
    }
}
