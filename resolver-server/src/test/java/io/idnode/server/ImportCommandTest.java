package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleRecord;
import io.idnode.store.RocksDbRecordStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImportCommandTest {
    @TempDir
    Path temp;

    record Run(int exit, String out, String err) {
    }

    Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void importsJsonLinesIntoTheStore() throws Exception {
        Path file = temp.resolve("records.jsonl");
        Files.write(file, List.of(
                "{\"handle\":\"88.100.1/P-1\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":\"https://example.com/1\"}]}",
                "",
                "{\"handle\":\"88.100.1/P-2\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":{\"format\":\"string\",\"value\":\"https://example.com/2\"},\"ttl\":3600},"
                        + "{\"index\":100,\"type\":\"HS_ADMIN\",\"data\":{\"format\":\"admin\",\"value\":{\"handle\":\"0.NA/88.100.1\",\"index\":300,\"permissions\":\"111111111111\"}}}]}",
                "{\"handle\":\"88.100.1/P-3\",\"values\":[{\"index\":7,\"type\":\"BLOB\",\"data\":{\"format\":\"hex\",\"value\":\"00ff10\"},\"permissions\":\"1100\"}]}"));
        Run r = run("import", "--data", temp.resolve("data").toString(), "--block-bytes", "64", file.toString());
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
        Run r = run("import", "--data", temp.resolve("data").toString(), file.toString());
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
        Run r = run("import", "--data", temp.resolve("data").toString(), temp.resolve("nope.jsonl").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("cannot read").contains("nope.jsonl");
    }
}
