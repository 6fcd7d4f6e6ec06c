package io.idnode.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.json.RecordJsonReader;
import io.idnode.model.HandleRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new LoadGenCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void generateWritesImportableJsonLines() throws Exception {
        Path file = temp.resolve("records.jsonl");

        assertThat(run("generate", "--pattern", "88.100.1/P%08d:25", "--out", file.toString())).isZero();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(25);
        HandleRecord last = RecordJsonReader.STANDARD.readRecord(lines.get(24), 0);
        assertThat(last.handle()).isEqualTo("88.100.1/P00000024");
        assertThat(last.values()).hasSize(3);
    }

    @Test
    void runRefusesARemoteTargetBeforeSendingAnything() {
        assertThat(run("run", "--target", "192.0.2.1:2641", "--pattern", "A/%d:3")).isEqualTo(2);
        assertThat(err.toString()).contains("--allow-remote");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void runNeedsExactlyOneKeySource() throws Exception {
        Path keys = Files.writeString(temp.resolve("keys.txt"), "A/1\n");
        assertThat(run("run", "--pattern", "A/%d:3", "--keys", keys.toString())).isEqualTo(2);
        assertThat(run("run")).isEqualTo(2);
        assertThat(err.toString()).contains("exactly one of --pattern and --keys");
    }

    @Test
    void runAgainstEchoPrintsTheJsonSummaryAndWritesReports() throws Exception {
        Path keys = Files.writeString(temp.resolve("keys.txt"), "88.100.1/A\n\n88.100.1/B\n");
        Path json = temp.resolve("summary.json");
        Path html = temp.resolve("report.html");
        try (EchoServer echo = EchoServer.start(InetAddress.getLoopbackAddress(), 0, 100, 1)) {
            int code = run("run", "--target", "127.0.0.1:" + echo.port(), "--transport", "tcp-per-request",
                    "--keys", keys.toString(), "--distribution", "zipf", "--in-flight", "2", "--warmup", "0.1",
                    "--duration", "0.3", "--json", json.toString(), "--html", html.toString());
            assertThat(code).as(err.toString()).isZero();
        }
        String line = out.toString().strip();
        assertThat(line).startsWith("{").endsWith("}").contains("\"transport\":\"tcp-per-request\"");
        assertThat(Files.readString(json).strip()).isEqualTo(line);
        assertThat(Files.readString(html)).contains("<svg");
    }

    @Test
    void runMeasuresACountOfRequestsWhenAsked() throws Exception {
        try (EchoServer echo = EchoServer.start(InetAddress.getLoopbackAddress(), 0, 100, 1)) {
            int code = run("run", "--target", "127.0.0.1:" + echo.port(), "--transport", "tcp", "--pattern",
                    "88.100.1/P%d:10", "--in-flight", "4", "--warmup", "0", "--requests", "300", "--timeout", "30000");
            assertThat(code).as(err.toString()).isZero();
        }
        assertThat(out.toString()).contains("\"sent\":300,").contains("\"received\":300,").contains("\"timeouts\":0,");
    }

    @Test
    void runRefusesADurationAndACountTogether() {
        assertThat(run("run", "--pattern", "A/%d:3", "--duration", "1", "--requests", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("not both");
    }
}
