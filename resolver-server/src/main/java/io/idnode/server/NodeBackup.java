package io.idnode.server;

import io.idnode.store.RocksDbRecordStore;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * A backup of a node: a folder laid out like a data folder, with a checkpoint of the store ({@code db/}, see
 * {@link RocksDbRecordStore#checkpoint}) and copies of the keys, the site files and the homed prefixes, so a
 * node restored from it is the same node (same keys and site); the audit log is not part of it. It holds the
 * private keys, so it is readable by its owner only. Backup and restore each build their folder under a
 * hidden name beside the target and rename it when complete: a folder of that name is whole, and a failure
 * leaves nothing behind.
 */
final class NodeBackup {
    /** What of the data folder is copied besides the store; what does not exist is left out. */
    static final List<String> COPIED = List.of(Node.KEYS_DIR, SitePublisher.SITE_BIN, SitePublisher.SITE_JSON,
            Node.HOMED_FILE);

    private NodeBackup() {
    }

    /**
     * Why {@code target} cannot receive a backup or a restore, or empty if it can; with {@code emptyOk} it may be
     * an existing empty folder.
     */
    static Optional<String> targetProblem(Path target, boolean emptyOk) throws IOException {
        Path parent = target.toAbsolutePath().normalize().getParent();
        if (Files.exists(target)) {
            boolean empty = false;
            if (emptyOk && Files.isDirectory(target)) {
                try (var entries = Files.list(target)) {
                    empty = entries.findAny().isEmpty();
                }
            }
            if (!empty) {
                return Optional.of(target + " already exists" + (emptyOk ? " and is not an empty folder" : "")
                        + "; nothing is overwritten");
            }
        } else if (parent == null || !Files.isDirectory(parent)) {
            return Optional.of("the folder " + parent + " that would hold " + target + " does not exist");
        }
        return DataFolder.problem(parent, DataFolder.MIN_FREE_MIB << 20).map(p -> "the folder " + parent + " " + p);
    }

    /**
     * Writes a backup of the node whose data folder is {@code dataDir} and whose open store is {@code store} into
     * {@code target}, which must not exist, while the node keeps serving.
     */
    static void write(RocksDbRecordStore store, Path dataDir, Path target) throws IOException {
        Optional<String> problem = targetProblem(target, false);
        if (problem.isPresent()) {
            throw new IOException("cannot back up to " + target + ": " + problem.get());
        }
        Path partial = hiddenSibling(target, ".partial-");
        try {
            store.checkpoint(partial.resolve(Node.STORE_DIR));
            for (String name : COPIED) {
                Path from = dataDir.resolve(name);
                if (Files.exists(from)) {
                    DataFolder.copy(from, partial.resolve(name));
                }
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            DataFolder.delete(partial);
            throw e;
        }
    }

    /**
     * Restores the backup {@code backup} as the data folder {@code dataDir} (which must not exist, or be an
     * empty folder), checking that its store opens; returns the store's approximate number of records.
     */
    static long restore(Path backup, Path dataDir) throws IOException {
        if (!Files.isDirectory(backup.resolve(Node.STORE_DIR))) {
            throw new IOException(backup + " is not a backup: it has no " + Node.STORE_DIR + " folder");
        }
        Optional<String> problem = targetProblem(dataDir, true);
        if (problem.isPresent()) {
            throw new IOException("cannot restore to " + dataDir + ": " + problem.get());
        }
        Path partial = hiddenSibling(dataDir, ".restoring-");
        try {
            Files.delete(partial); // the copy creates it again, with the backup's own attributes
            DataFolder.copy(backup, partial);
            long records;
            try (RocksDbRecordStore store = RocksDbRecordStore.open(partial.resolve(Node.STORE_DIR))) {
                records = store.approximateCount();
            }
            Files.deleteIfExists(dataDir); // an empty folder, as checked
            Files.move(partial, dataDir, StandardCopyOption.ATOMIC_MOVE);
            return records;
        } catch (IOException | RuntimeException e) {
            DataFolder.delete(partial);
            throw e;
        }
    }

    /** A new, empty folder beside {@code target}, readable by its owner only where the file system has owners. */
    private static Path hiddenSibling(Path target, String infix) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        String prefix = "." + absolute.getFileName() + infix;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------"));
            return Files.createTempDirectory(absolute.getParent(), prefix, ownerOnly);
        }
        return Files.createTempDirectory(absolute.getParent(), prefix);
    }
}
