package io.idnode.server;

import io.idnode.json.HandleJson;
import io.idnode.json.JsonFormatException;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.store.RocksDbRecordStore;
import io.idnode.store.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code import}: loads records offline from JSON Lines, one {@code {"handle": ..., "values": [...]}} per
 * line (handle-protocol.md §8 value objects). The whole file is checked first; if any line is bad, every bad
 * line is reported with its number and nothing is written. Then the records go to RocksDB in write batches
 * (an existing handle is replaced) and are made durable once at the end.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Load records from a JSON Lines file into the node's store (node must be stopped).")
final class ImportCommand implements Callable<Integer> {
    /** Bad lines reported before the check stops listing them. */
    static final int MAX_REPORTED_ERRORS = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", description = "Data folder of the node. Default: ${DEFAULT-VALUE}", defaultValue = "./data")
    Path data;

    @Option(names = "--batch", description = "Records per write batch. Default: ${DEFAULT-VALUE}", defaultValue = "10000")
    int batchSize;

    @Parameters(index = "0", paramLabel = "FILE", description = "JSON Lines file, one record per line")
    Path file;

    @Override
    public Integer call() throws IOException {
        // As for serve: logging, once it starts, keeps its audit file in the data folder, not the working one.
        System.setProperty(Main.DATA_PROPERTY, data.toAbsolutePath().toString());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchSize < 1) {
            err.println("error: --batch must be at least 1");
            return 2;
        }
        if (!Files.isReadable(file)) {
            err.println("error: cannot read " + file);
            return 2;
        }
        long start = System.nanoTime();
        int now = (int) (System.currentTimeMillis() / 1000);
        Check check = check(file, now, err);
        if (check.errors > 0) {
            err.printf("error: %d bad line(s) in %s; nothing was imported. Fix them and run the import again.%n",
                    check.errors, file);
            return 1;
        }
        Files.createDirectories(data);
        long loaded = 0;
        try (RocksDbRecordStore store = RocksDbRecordStore.builder(data.resolve(Node.STORE_DIR)).syncWrites(false).open();
                BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<HandleRecord> batch = new ArrayList<>(batchSize);
            long nowMillis = System.currentTimeMillis();
            RecordMetadata meta = new RecordMetadata(nowMillis, nowMillis, "import", 1);
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                HandleRecord r = parse(line, now);
                batch.add(new HandleRecord(r.handle(), r.values(), meta));
                if (batch.size() == batchSize) {
                    store.putAll(batch, false);
                    loaded += batch.size();
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                store.putAll(batch, false);
                loaded += batch.size();
            }
            store.flush();
        } catch (StoreException e) {
            err.println("error: " + e.getMessage() + (loaded > 0 ? " (" + loaded + " records were written before)" : "")
                    + ". Is a node running on " + data + "? Stop it before importing.");
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("imported %d records from %s in %.2f s (%.0f records/s)%n", loaded, file, seconds,
                loaded / Math.max(seconds, 1e-9));
        return 0;
    }

    private static HandleRecord parse(String line, int now) {
        try {
            return HandleJson.parseRecord(line, now);
        } catch (JsonFormatException e) {
            throw new IllegalStateException("line passed the check but not the import: " + e.getMessage(), e);
        }
    }

    private record Check(long records, int errors) {
    }

    private static Check check(Path file, int now, PrintWriter err) throws IOException {
        long records = 0;
        int errors = 0;
        long lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    HandleJson.parseRecord(line, now);
                    records++;
                } catch (JsonFormatException e) {
                    errors++;
                    if (errors <= MAX_REPORTED_ERRORS) {
                        err.printf("%s:%d: %s%n", file, lineNo, e.getMessage());
                    }
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            err.printf("%s:%d: not UTF-8 text%n", file, lineNo + 1);
            errors++;
        }
        return new Check(records, errors);
    }
}
