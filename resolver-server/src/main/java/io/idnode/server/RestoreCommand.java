package io.idnode.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code restore}: makes a {@link NodeBackup} the data folder of a node, which must not exist yet (or be an
 * empty folder): nothing is overwritten. The store is opened once to check it before the folder takes its
 * name, so a node started on it finds every record of the backup.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup into a new data folder; then start the node on it with serve.")
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder to create from the backup (new or empty). Default: ${DEFAULT-VALUE}")
    Path data;

    @Parameters(index = "0", paramLabel = "BACKUP", description = "Folder written by the backup command")
    Path backup;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(backup.resolve(Node.STORE_DIR))) {
            err.println("error: " + backup + " is not a backup (it has no " + Node.STORE_DIR + " folder)");
            return 2;
        }
        Optional<String> problem = NodeBackup.targetProblem(data, true);
        if (problem.isPresent()) {
            err.println("error: --data " + problem.get());
            return 2;
        }
        long records = NodeBackup.restore(backup, data);
        out.println("restored " + backup + " into " + data + " (about " + records + " records); start the node with"
                + " serve --data " + data);
        return 0;
    }
}
