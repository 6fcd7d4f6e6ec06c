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
import java.util.Comparator;
import java.util.List;
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
 * files in a work folder of the data folder; if any line is bad, every bad line is reported with its number
 * and nothing is written to the store. Otherwise the files are ingested in one durable step (an existing
 * handle is replaced; of two lines for one handle the later wins). The work folder is removed in every case.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Load records from a JSON Lines file into the node's store (node must be stopped).")
final class ImportCommand implements Callable<Integer> {
    /** Bad lines reported; more are only counted. */
    static final int MAX_REPORTED_ERRORS = 20;

    @Spec
    CommandSpec spec;

    // The defaults are in idnode-defaults.properties (data, import.block-bytes, import.threads), through Main.
    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the node. Default: ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--block-bytes", paramLabel = "N",
            description = "Bytes of the file one thread parses at a time. Default: ${DEFAULT-VALUE}")
    int blockBytes;

    @Option(names = "--threads", paramLabel = "N",
            description = "Parsing threads (0 = one per processor). Default: ${DEFAULT-VALUE}")
    int threads;

    @Parameters(index = "0", paramLabel = "FILE", description = "JSON Lines file, one record per line")
    Path file;

    @Override
    public Integer call() throws IOException {
        // As for serve: logging, once it starts, keeps its audit file in the data folder, not the working one.
        System.setProperty(Main.DATA_PROPERTY, data.toAbsolutePath().toString());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (blockBytes < 1) {
            err.println("error: --block-bytes must be at least 1, was " + blockBytes);
            return 2;
        }
        if (threads < 0) {
            err.println("error: --threads must be 0 (one per processor) or more, was " + threads);
            return 2;
        }
        if (!Files.isReadable(file)) {
            err.println("error: cannot read " + file);
            return 2;
        }
        long start = System.nanoTime();
        Path storeDir = data.resolve(Node.STORE_DIR);
        boolean dataExisted = Files.exists(data);
        boolean imported = false;
        RocksDbRecordStore store = null;
        Path work = null;
        try {
            // An existing store is opened first: a node running on it fails the import at once, not after the
            // parse, and none can start on it meanwhile. A new one is only created once the input is clean.
            if (Files.isDirectory(storeDir)) {
                store = openStore(storeDir);
            }
            Files.createDirectories(data);
            work = Files.createTempDirectory(data, "import-");
            int now = (int) (System.currentTimeMillis() / 1000);
            long nowMillis = System.currentTimeMillis();
            RecordFileBuilder.Result parsed = new RecordFileBuilder(work, blockBytes,
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
            if (store == null) {
                store = openStore(storeDir);
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
                if (work != null) {
                    deleteTree(work);
                }
                if (!dataExisted && !imported) {
                    deleteIfEmpty(data);
                }
            }
        }
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // Something else lives there now (e.g. the audit log): leave it.
        }
    }
}
