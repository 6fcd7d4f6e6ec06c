package io.idnode.server;

import static io.idnode.server.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder the node cannot use ends a command with one line naming it and exit code 2, before anything
 * is created, not even a log file; a node that fails to start later says why in one line, exit code 1, and
 * removes the data folder it created. The first cases run {@code Main} in a JVM of its own, with the logging
 * configuration the node ships, so that everything it prints is seen.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartupErrorTest {
    @TempDir
    Path temp;

    @Test
    void aDataFolderThatIsAFileIsOneLineAndNothingIsCreated() throws Exception {
        Files.writeString(temp.resolve("afile"), "x");

        NodeProcess.Run run = NodeProcess.run(temp, List.of(), "serve", "--data", "afile", "--port", "0", "--http-port", "0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.lines()).containsExactly("error: --data must be a folder, but afile is a file");
        assertThat(names(temp)).containsExactly("afile");
    }

    @Test
    void aDataFolderUnderAFileIsOneLineAndNothingIsCreated() throws Exception {
        Files.writeString(temp.resolve("afile"), "x");

        NodeProcess.Run run = NodeProcess.run(temp, List.of(), "serve", "--data", "afile/data", "--port", "0", "--http-port", "0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.lines()).containsExactly("error: --data cannot be created: " + temp.resolve("afile").toRealPath()
                + " on its path is a file");
        assertThat(names(temp)).containsExactly("afile");
    }

    @Test
    void aNodeThatCannotListenSaysSoInOneLineAndRemovesTheDataFolderItCreated() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NodeProcess.Run run = NodeProcess.run(temp, List.of(), "serve", "--data", "fresh", "--http-port", "0", "--port",
                    Integer.toString(taken.getLocalPort()));

            assertThat(run.exit()).isEqualTo(1);
            List<String> errors = run.lines().stream().filter(l -> l.startsWith("error: ")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).contains("Address already in use");
            assertThat(run.lines()).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
        }
        assertThat(names(temp)).isEmpty();
    }

    @Test
    void anAuditLogThatCannotBeOpenedIsOneLineInsteadOfLogbacksStatusDump() throws Exception {
        Files.createDirectories(temp.resolve("data").resolve("audit.log")); // a folder where the file goes

        NodeProcess.Run run = NodeProcess.run(temp, List.of(), "serve", "--data", "data", "--port", "0", "--http-port", "0");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines()).containsExactly("error: logging configuration failed: openFile("
                + temp.resolve("data/audit.log").toRealPath() + ",true) call failed. (" + temp.resolve("data/audit.log")
                .toRealPath() + " (Is a directory))");
        assertThat(names(temp.resolve("data"))).containsExactly("audit.log");
    }

    @Test
    void aReadOnlyDataFolderIsRefusedByName() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(data), "running as root: file permissions do not bind");

            CommandRun serve = run("serve", "--data", data.toString(), "--port", "0", "--http-port", "0");
            Path records = Files.writeString(temp.resolve("records.jsonl"), "");
            CommandRun load = run("import", "--data", data.resolve("sub").toString(), records.toString());

            assertThat(serve.exit()).isEqualTo(2);
            assertThat(serve.err()).isEqualTo("error: --data is read-only: " + data + " cannot be written"
                    + System.lineSeparator());
            assertThat(load.exit()).isEqualTo(2);
            assertThat(load.err()).isEqualTo("error: --data cannot be created: " + data + " is read-only"
                    + System.lineSeparator());
            assertThat(names(data)).isEmpty();
        } finally {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFileSystemWithoutRoomIsRefusedNamingTheFreeSpace() throws Exception {
        Path data = temp.resolve("data");
        long free = Files.getFileStore(temp).getUsableSpace();

        assertThat(DataFolder.problem(data, Long.MAX_VALUE)).hasValueSatisfying(p -> assertThat(p)
                .startsWith("is on a file system that is full: ").endsWith(" MiB needed"));
        assertThat(DataFolder.problem(data, free / 2)).isEmpty();
        assertThat(data).doesNotExist();
    }

    @Test
    void importIntoADataFolderThatIsAFileIsOneLine() throws Exception {
        Path file = Files.writeString(temp.resolve("afile"), "x");
        Path records = Files.writeString(temp.resolve("records.jsonl"), "");

        CommandRun run = run("import", "--data", file.toString(), records.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: --data must be a folder, but " + file + " is a file"
                + System.lineSeparator());
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
