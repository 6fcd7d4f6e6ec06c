package io.idnode.server;

import io.idnode.store.RocksDbRecordStore;
import io.idnode.store.StoreException;
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
 * {@code backup}: writes a {@link NodeBackup} of the node on a data folder into a new folder. If a node runs
 * there, it writes the backup itself, through its {@link ControlSocket}, while it keeps serving; otherwise the
 * store is opened here. Every write the node acknowledged before the command started is in the backup.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write a backup of the node (store, keys, site files) into a new folder, online or offline.")
final class BackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder of the node. Default: ${DEFAULT-VALUE}")
    Path data;

    @Parameters(index = "0", paramLabel = "TARGET", description = "New folder to write the backup into")
    Path target;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path storeDir = data.resolve(Node.STORE_DIR);
        if (!Files.isDirectory(storeDir)) {
            err.println("error: --data " + data + " holds no node store (no " + storeDir + ")");
            return 2;
        }
        Optional<String> problem = NodeBackup.targetProblem(target, false);
        if (problem.isPresent()) {
            err.println("error: " + problem.get());
            return 2;
        }
        Path absolute = target.toAbsolutePath().normalize();
        Optional<String> reply = ControlSocket.ask(data, "backup " + absolute);
        if (reply.isPresent()) {
            if (reply.get().startsWith("ok ")) {
                out.println("online " + reply.get().substring("ok ".length()));
                return 0;
            }
            err.println("error: " + reply.get().replaceFirst("^error ", ""));
            return 1;
        }
        // No node answers on the data folder: back up the store here, holding it while the backup is written.
        try (RocksDbRecordStore store = RocksDbRecordStore.builder(storeDir).blockCacheBytes(1 << 20).open()) {
            NodeBackup.write(store, data, absolute);
        } catch (StoreException e) {
            err.println("error: " + e.getMessage() + " (no node answered on " + ControlSocket.path(data) + ")");
            return 1;
        }
        out.println("offline backup of " + data.toAbsolutePath() + " in " + absolute);
        return 0;
    }
}
