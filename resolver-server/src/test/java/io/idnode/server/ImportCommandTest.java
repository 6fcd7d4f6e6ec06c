package io.idnode.server;

import static io.idnode.server.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleRecord;
import io.idnode.store.RocksDbRecordStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

class ImportCommandTest {
    @TempDir
    Path temp;

    @Test
    void importsJsonLinesIntoTheStore() throws Exception {
        Path file = temp.resolve("records.jsonl");
        Files.write(file, List.of(
                "{\"handle\":\"88.100.1/P-1\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":\"https://example.com/1\"}]}",
                "",
                "{\"handle\":\"88.100.1/P-2\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":{\"format\":\"string\",\"value\":\"https://example.com/2\"},\"ttl\":3600},"
                        + "{\"index\":100,\"type\":\"HS_ADMIN\",\"data\":{\"format\":\"admin\",\"value\":{\"handle\":\"0.NA/88.100.1\",\"index\":300,\"permissions\":\"111111111111\"}}}]}",
                "{\"handle\":\"88.100.1/P-3\",\"values\":[{\"index\":7,\"type\":\"BLOB\",\"data\":{\"format\":\"hex\",\"value\":\"00ff10\"},\"permissions\":\"1100\"}]}"));
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), "--block-bytes", "64", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 3 records");
        try (RocksDbRecordStore store = RocksDbRecordStore.open(temp.resolve("data").resolve(Node.STORE_DIR))) {
            HandleRecord p2 = store.get("88.100.1/p-2");
            assertThat(p2).isNotNull();
            assertThat(p2.value(1).dataAsString()).isEqualTo("https://example.com/2");
            assertThat(p2.value(1).ttl()).isEqualTo(3600);
            assertThat(p2.value(100).type()).isEqualTo("HS_ADMIN");
            HandleRecord p3 = store.get("88.100.1/P-3");
            assertThat(p3.value(7).data()).containsExactly(0x00, 0xff, 0x10);
            assertThat(p3.value(7).isPublicReadable()).isFalse();
        }
    }

    @Test
    void badLinesAreReportedWithTheirNumbersAndNothingIsWritten() throws Exception {
        Path file = temp.resolve("bad.jsonl");
        Files.write(file, List.of(
                "{\"handle\":\"88.100.1/OK-1\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":\"https://example.com/1\"}]}",
                "{\"handle\":\"88.100.1/BAD-1\",\"values\":[{\"index\":0,\"type\":\"URL\",\"data\":\"x\"}]}",
                "not json at all",
                "{\"handle\":\"88.100.1/BAD-3\",\"values\":[{\"index\":1,\"type\":\"URL\"},{\"index\":1,\"type\":\"EMAIL\"}]}"));
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), file.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("bad.jsonl:2:").contains("index must be > 0")
                .contains("bad.jsonl:3:").contains("not valid JSON")
                .contains("bad.jsonl:4:").contains("appears twice")
                .contains("nothing was imported");
        assertThat(r.err()).doesNotContain("bad.jsonl:1:");
        java.nio.file.Files.createDirectories(temp.resolve("data"));
        try (RocksDbRecordStore store = RocksDbRecordStore.open(temp.resolve("data").resolve(Node.STORE_DIR))) {
            assertThat(store.get("88.100.1/OK-1")).isNull();
        }
    }

    @Test
    void missingFileIsAClearError() {
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), temp.resolve("nope.jsonl").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("cannot read").contains("nope.jsonl");
    }

    static String line(String handle, String url) {
        return "{\"handle\":\"" + handle + "\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":\"" + url
                + "\",\"timestamp\":\"2026-01-31T12:00:00Z\"}]}";
    }

    /** Lines for {@code count} handles {@code 88.100.1/<tag>-<n>}, in a shuffled but fixed order. */
    static List<String> lines(String tag, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = (int) ((i * 7919L) % count);
            out.add(line("88.100.1/" + tag + "-" + n, "https://example.com/" + tag + "/" + n));
        }
        return out;
    }

    Path store() {
        return temp.resolve("data").resolve(Node.STORE_DIR);
    }

    /** Every key and value in the store, as hex, in key order. */
    Map<String, String> contents() throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        RocksDB.loadLibrary();
        try (Options o = new Options(); RocksDB db = RocksDB.openReadOnly(o, store().toString());
                RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                all.put(HexFormat.of().formatHex(it.key()), HexFormat.of().formatHex(it.value()));
            }
        }
        return all;
    }

    /** What the data folder holds besides the store itself (the import's work folder must be gone). */
    List<String> besidesTheStore() throws Exception {
        try (Stream<Path> s = Files.list(temp.resolve("data"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(Node.STORE_DIR) && !n.endsWith(".log"))
                    .toList();
        }
    }

    @Test
    void aBadLineLateInABigFileLeavesAStoreThatHeldRecordsExactlyAsItWas() throws Exception {
        Path first = temp.resolve("first.jsonl");
        Files.write(first, lines("OLD", 2_000));
        assertThat(run("import", "--data", temp.resolve("data").toString(), first.toString()).exit()).isZero();
        Map<String, String> before = contents();
        assertThat(before).hasSize(2_000);

        Path big = temp.resolve("big.jsonl");
        List<String> lines = new ArrayList<>(lines("OLD", 1_000)); // would replace half of the old records
        lines.addAll(lines("NEW", 20_000));
        lines.add(19_995, "{\"handle\":\"88.100.1/LATE\",\"values\":[]}");
        Files.write(big, lines);
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), "--block-bytes", "4096", "--threads", "3",
                big.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("big.jsonl:19996: values must be a non-empty array")
                .contains("1 bad line(s)").contains("nothing was imported");
        assertThat(contents()).isEqualTo(before);
        assertThat(besidesTheStore()).isEmpty();
    }

    @Test
    void parallelParseReportsTheRightLineNumbersAndAtMostTwentyOfThem() throws Exception {
        List<String> lines = new ArrayList<>(lines("P", 5_000));
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int at = 37 + i * 151; // 0-based position in the final file
            lines.add(at, i % 2 == 0 ? "not json" : "");
            if (i % 2 == 0) {
                bad.add(at + 1);
            }
        }
        lines.add(3, "   "); // blank lines count as lines but are not records
        for (int i = 0; i < bad.size(); i++) {
            bad.set(i, bad.get(i) + (bad.get(i) > 3 ? 1 : 0));
        }
        Path file = temp.resolve("many.jsonl");
        Files.write(file, lines);
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), "--block-bytes", "1000", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        List<String> reported = r.err().lines().filter(l -> l.contains("many.jsonl:")).filter(l -> !l.startsWith("error"))
                .toList();
        assertThat(reported).hasSize(15).allMatch(l -> l.contains(": not valid JSON: Unrecognized token 'not'"));
        List<String> numbers = reported.stream().map(l -> l.split(":")[1]).toList();
        assertThat(numbers).containsExactlyElementsOf(bad.stream().map(String::valueOf).toList());
        assertThat(r.err()).contains("error: 15 bad line(s)");
        assertThat(Files.exists(temp.resolve("data"))).as("a data folder the import created is removed again").isFalse();
    }

    @Test
    void moreThanTwentyBadLinesAreCountedButOnlyTheFirstTwentyListed() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(line("88.100.1/OK-" + i, "https://example.com/" + i));
            lines.add("{\"handle\":\"nosuffix\",\"values\":[{\"index\":1,\"type\":\"URL\"}]}");
        }
        Path file = temp.resolve("worse.jsonl");
        Files.write(file, lines);
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), "--block-bytes", "300", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().filter(l -> l.contains("must look like prefix/suffix"))).hasSize(20);
        assertThat(r.err()).contains("worse.jsonl:2: handle 'nosuffix'").contains("worse.jsonl:40: ")
                .doesNotContain("worse.jsonl:42: ").contains("error: 50 bad line(s)");
    }

    @Test
    void ofTwoLinesForOneHandleTheLaterWinsInOneBlockAndAcrossBlocks() throws Exception {
        List<String> lines = new ArrayList<>(lines("D", 3_000));
        lines.add(line("88.100.1/d-5", "https://example.com/second")); // same handle, other case
        lines.add(10, line("88.100.1/D-7", "https://example.com/early"));
        lines.add(line("88.100.1/D-7", "https://example.com/late"));
        lines.add(line("88.100.1/D-8", "https://example.com/one"));
        lines.add(line("88.100.1/D-8", "https://example.com/two"));
        Path file = temp.resolve("dup.jsonl");
        Files.write(file, lines);
        for (String blockBytes : List.of("4194304", "500")) {
            CommandRun r = run("import", "--data", temp.resolve("data-" + blockBytes).toString(), "--block-bytes", blockBytes,
                    file.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            try (RocksDbRecordStore s = RocksDbRecordStore.open(temp.resolve("data-" + blockBytes).resolve(Node.STORE_DIR))) {
                assertThat(s.get("88.100.1/D-5").value(1).dataAsString()).isEqualTo("https://example.com/second");
                assertThat(s.get("88.100.1/D-5").handle()).isEqualTo("88.100.1/d-5");
                assertThat(s.get("88.100.1/D-7").value(1).dataAsString()).isEqualTo("https://example.com/late");
                assertThat(s.get("88.100.1/D-8").value(1).dataAsString()).isEqualTo("https://example.com/two");
                assertThat(s.get("88.100.1/D-2999").value(1).dataAsString()).isEqualTo("https://example.com/D/2999");
                assertThat(s.list("88.100.1", null, 10_000)).hasSize(3_000);
            }
        }
    }

    @Test
    void aNewImportReplacesExistingHandlesAndKeepsTheOthers() throws Exception {
        Path first = temp.resolve("first.jsonl");
        Files.write(first, List.of(line("88.100.1/A", "https://a/1"), line("88.100.1/B", "https://b/1")));
        Path second = temp.resolve("second.jsonl");
        Files.write(second, List.of(line("88.100.1/B", "https://b/2"), line("88.100.1/C", "https://c/2")));
        assertThat(run("import", "--data", temp.resolve("data").toString(), first.toString()).exit()).isZero();
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), second.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 2 records");
        assertThat(besidesTheStore()).isEmpty();
        try (RocksDbRecordStore s = RocksDbRecordStore.open(store())) {
            assertThat(s.get("88.100.1/A").value(1).dataAsString()).isEqualTo("https://a/1");
            assertThat(s.get("88.100.1/B").value(1).dataAsString()).isEqualTo("https://b/2");
            assertThat(s.get("88.100.1/C").value(1).dataAsString()).isEqualTo("https://c/2");
            assertThat(s.get("88.100.1/C").value(1).timestamp()).isEqualTo(1_769_860_800);
        }
    }

    @Test
    void crAndCrlfLineEndsCountLikeLf() throws Exception {
        String text = line("88.100.1/R-1", "https://r/1") + "\r\n" + "\r\n" + line("88.100.1/R-2", "https://r/2") + "\r"
                + "bad\r\n" + line("88.100.1/R-3", "https://r/3");
        Path file = temp.resolve("crlf.jsonl");
        Files.writeString(file, text);
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), "--block-bytes", "7", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("crlf.jsonl:4: not valid JSON").contains("1 bad line(s)");

        Files.writeString(file, text.replace("bad\r\n", ""));
        r = run("import", "--data", temp.resolve("data").toString(), "--block-bytes", "7", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 3 records");
    }

    @Test
    void nonUtf8LinesAreReportedAndNothingIsWritten() throws Exception {
        byte[] good = (line("88.100.1/U-1", "https://u/1") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = (line("88.100.1/U-2", "https://u/\u00e9") + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] fffd = (line("88.100.1/U-3", "https://u/\ufffd") + "\n").getBytes(StandardCharsets.UTF_8);
        Path file = temp.resolve("latin1.jsonl");
        Files.write(file, concat(good, bad, fffd, good));
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("latin1.jsonl:2: not UTF-8 text").doesNotContain("latin1.jsonl:3:")
                .contains("1 bad line(s)");
        assertThat(Files.exists(store())).isFalse();

        Files.write(file, concat(good, fffd));
        r = run("import", "--data", temp.resolve("data").toString(), file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        try (RocksDbRecordStore s = RocksDbRecordStore.open(store())) {
            assertThat(s.get("88.100.1/U-3").value(1).dataAsString()).isEqualTo("https://u/\ufffd");
        }
    }

    @Test
    void aStoreHeldByARunningNodeIsAClearErrorBeforeAnythingIsParsed() throws Exception {
        Path file = temp.resolve("records.jsonl");
        Files.write(file, List.of(line("88.100.1/H-1", "https://h/1")));
        Files.createDirectories(store());
        try (RocksDbRecordStore running = RocksDbRecordStore.open(store())) {
            CommandRun r = run("import", "--data", temp.resolve("data").toString(), file.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("Is a node running on").contains("Stop it before importing");
            assertThat(running.get("88.100.1/H-1")).isNull();
            assertThat(besidesTheStore()).isEmpty();
        }
    }

    @Test
    void emptyFileImportsNothingAndSucceeds() throws Exception {
        Path file = temp.resolve("empty.jsonl");
        Files.write(file, List.of("", "  "));
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 0 records");
        assertThat(besidesTheStore()).isEmpty();
    }

    /** A good record line of exactly {@code length} bytes. */
    static String lineOfLength(String handle, int length) {
        String line = line(handle, "https://x/" + "x".repeat(length - line(handle, "https://x/").length()));
        assertThat(line).hasSize(length);
        return line;
    }

    @Test
    void aLineOverTheLimitIsABadLineWithItsNumberWhateverTheBlockSize() throws Exception {
        int limit = 200;
        String text = lineOfLength("88.100.1/L-1", limit) + "\r\n"
                + lineOfLength("88.100.1/L-2", limit + 1) + "\n"
                + lineOfLength("88.100.1/L-3", limit) + "\r"
                + "y".repeat(5_000) + "\r\n"
                + lineOfLength("88.100.1/L-5", limit) + "\n"
                + "z".repeat(limit + 1); // the last line, without an end
        Path file = Files.writeString(temp.resolve("long.jsonl"), text);
        for (int blockBytes : List.of(7, 64, limit - 1, limit, limit + 1, limit + 2, 4096)) {
            CommandRun r = run("import", "--data", temp.resolve("data").toString(), "--block-bytes",
                    Integer.toString(blockBytes), "--max-line-bytes", Integer.toString(limit), file.toString());

            assertThat(r.exit()).as("block %d", blockBytes).isEqualTo(1);
            assertThat(r.err().lines().filter(l -> !l.startsWith("error"))).as("block %d", blockBytes).containsExactly(
                    file + ":2: line longer than 200 bytes",
                    file + ":4: line longer than 200 bytes",
                    file + ":6: line longer than 200 bytes");
            assertThat(r.err()).contains("error: 3 bad line(s)");
            assertThat(temp.resolve("data")).doesNotExist();
        }

        Files.writeString(file, lineOfLength("88.100.1/L-1", limit) + "\r" + lineOfLength("88.100.1/L-2", limit)
                + "\r\n" + lineOfLength("88.100.1/L-3", limit));
        for (int blockBytes : List.of(7, limit, limit + 1, 4096)) {
            Path data = temp.resolve("data-" + blockBytes);
            CommandRun r = run("import", "--data", data.toString(), "--block-bytes", Integer.toString(blockBytes),
                    "--max-line-bytes", Integer.toString(limit), file.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("imported 3 records");
        }
    }

    @Test
    void aRefusedLineLimitIsOneLineAndNothingIsCreated() throws Exception {
        Path file = Files.writeString(temp.resolve("records.jsonl"), line("88.100.1/A", "https://a"));
        CommandRun r = run("import", "--data", temp.resolve("data").toString(), "--max-line-bytes", "0", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: --max-line-bytes must be 1..1073741824, was 0" + System.lineSeparator());
        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void aHundredMegabyteLineIsRefusedInASmallHeapAndLeavesNothing() throws Exception {
        Path file = temp.resolve("huge.jsonl");
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write((line("88.100.1/H-1", "https://h/1") + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = ("{\"handle\":\"88.100.1/H-2\",\"values\":[" + " ".repeat(1 << 20))
                    .getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 100; i++) {
                out.write(chunk);
            }
            out.write(("]}\n" + line("88.100.1/H-3", "https://h/3") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.size(file)).isGreaterThan(100L << 20);

        // 64 MiB of heap: a String of the line, or a buffer grown to hold it, would not fit.
        NodeProcess.Run run = NodeProcess.run(temp, List.of("-Xmx64m"), "import", "--data", "data", file.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).containsExactly(file + ":2: line longer than 1048576 bytes",
                "error: 1 bad line(s) in " + file + "; nothing was imported. Fix them and run the import again.");
        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void workFoldersOfKilledImportsAreRemovedByTheNext() throws Exception {
        Path first = Files.writeString(temp.resolve("first.jsonl"), line("88.100.1/K-1", "https://k/1"));
        assertThat(run("import", "--data", temp.resolve("data").toString(), first.toString()).exit()).isZero();
        Path stale = Files.createDirectories(temp.resolve("data").resolve(ImportCommand.WORK_PREFIX + "12345"));
        Files.writeString(stale.resolve("records-000000.sst"), "half written");

        CommandRun r = run("import", "--data", temp.resolve("data").toString(), first.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(besidesTheStore()).isEmpty();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
