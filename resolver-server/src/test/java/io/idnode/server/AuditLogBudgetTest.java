package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.protocol.ResponseCode;
import io.idnode.server.RawRequests.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of refused unauthenticated deletes leaves the audit log within its budget: logback.xml's rolling
 * appender keeps the live file and a fixed number of gzipped ones, each cut at the configured size; and a node
 * writes only so many refusals a second, counting the rest in its meters.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditLogBudgetTest {
    static final int FILE_BYTES = 4096;
    static final int FILES = 3;
    /** Longer than any audit line of this test, whose handles are short. */
    static final int LINE_BYTES = 512;

    @TempDir
    Path temp;

    /**
     * Sends {@code count} refused deletes on one connection, in batches, and checks every reply (two threads
     * answer administration, so replies may come in another order).
     */
    static void flood(int port, int count) throws IOException {
        try (RawRequests client = new RawRequests(port)) {
            for (int sent = 0; sent < count; sent += 100) {
                int batch = Math.min(100, count - sent);
                for (int i = 0; i < batch; i++) {
                    client.send(RawRequests.delete(sent + i, "88.100.1/NONE-" + (sent + i)));
                }
                Set<Reply> expected = new HashSet<>();
                Set<Reply> replies = new HashSet<>();
                for (int i = 0; i < batch; i++) {
                    expected.add(new Reply(sent + i, ResponseCode.HANDLE_NOT_FOUND.code()));
                    replies.add(client.read());
                }
                assertThat(replies).isEqualTo(expected);
            }
        }
    }

    @Test
    void aRefusalFloodLeavesTheAuditLogWithinItsBudget() throws Exception {
        Path data = temp.resolve("data");
        int requests = 3_000;
        try (NodeProcess node = NodeProcess.start(temp, List.of("-Didnode.audit.file-size=" + FILE_BYTES,
                "-Didnode.audit.files=" + FILES), "serve", "--data", data.toString(), "--port", "0", "--http-port", "0", "--threads", "1",
                "--audit-refusals", "1000000")) {
            flood(node.port(), requests);
            // A reply may leave before its audit line is written: wait for the last refusal's line.
            String last = "\"handle\":\"88.100.1/NONE-" + (requests - 1) + "\"";
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            Path current = data.resolve("audit.log");
            while (!(Files.exists(current) && Files.readString(current).contains(last)) && System.nanoTime() < end) {
                Thread.sleep(20);
            }

            List<Path> files;
            try (Stream<Path> s = Files.list(data)) {
                files = s.filter(p -> p.getFileName().toString().startsWith("audit")).sorted().toList();
            }
            assertThat(files).extracting(p -> p.getFileName().toString())
                    .containsExactly("audit.1.log.gz", "audit.2.log.gz", "audit.3.log.gz", "audit.log");
            long total = 0;
            for (Path f : files) {
                total += Files.size(f);
            }
            // Unbounded, the flood would have written some 200 bytes a request: 600 kB.
            assertThat(total).isLessThanOrEqualTo((FILES + 1L) * (FILE_BYTES + LINE_BYTES));
            assertThat(Files.size(data.resolve("audit.log"))).isLessThan(FILE_BYTES + LINE_BYTES);
            assertThat(Files.readString(data.resolve("audit.log"))).contains(last);
            String archived = gunzip(data.resolve("audit.1.log.gz"));
            assertThat(archived.length()).isBetween(FILE_BYTES, FILE_BYTES + LINE_BYTES);
            assertThat(archived.lines()).allMatch(l -> l.contains("\"op\":\"DELETE_HANDLE(101)\"")
                    && l.contains("\"result\":\"HANDLE_NOT_FOUND(100)\""));

            NodeProcess.Run stopped = node.stop();
            assertThat(stopped.exit()).isEqualTo(143); // SIGTERM, after the graceful stop
            assertThat(stopped.lines()).anyMatch(l -> l.endsWith("Node - stopped"));
        }
    }

    @Test
    void aNodeWritesRefusalsUpToItsRateAndCountsTheRest() throws Exception {
        AtomicLong nanos = new AtomicLong();
        NodeConfig config = TestNode.config(temp.resolve("data")).auditRefusalsPerSecond(10).ticker(nanos::get).build();
        try (Node node = Node.start(config)) {
            flood(node.port(), 200);
            assertThat(refusals(node, true)).isEqualTo(10);
            assertThat(refusals(node, false)).isEqualTo(190);

            nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
            flood(node.port(), 1);
            assertThat(refusals(node, true)).isEqualTo(11);
            assertThat(refusals(node, false)).isEqualTo(190);
        }
    }

    private static double refusals(Node node, boolean written) {
        return node.meters().counter(Slf4jAuditLog.REFUSALS, "written", Boolean.toString(written)).count();
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
