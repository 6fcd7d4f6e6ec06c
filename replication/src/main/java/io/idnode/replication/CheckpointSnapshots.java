package io.idnode.replication;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * The state machine's snapshots: RocksDB checkpoints in the group's state-machine folder, one folder
 * {@code snapshot.TERM_INDEX} each, holding the checkpoint's files and a {@value #COMPLETE} marker written
 * last. Ratis ships a snapshot to a member that lags behind the purged log as the list of these files (marker
 * included), so an installed snapshot is recognised by the same marker. Only the newest snapshot is kept.
 */
final class CheckpointSnapshots implements StateMachineStorage {
    /** The file written last into a finished snapshot folder. */
    static final String COMPLETE = "SNAPSHOT_COMPLETE";
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

    private volatile Path folder;

    @Override
    public void init(RaftStorage storage) {
        this.folder = storage.getStorageDir().getStateMachineDir().toPath();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
    }

    /** The state-machine folder, where snapshot folders live. */
    Path folder() {
        return folder;
    }

    /** The folder of the snapshot at {@code termIndex}. */
    Path folderOf(TermIndex termIndex) {
        return folder.resolve("snapshot." + termIndex.getTerm() + "_" + termIndex.getIndex());
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        Path newest = newest();
        if (newest == null) {
            return null;
        }
        Matcher m = NAME.matcher(newest.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException("not a snapshot folder: " + newest);
        }
        TermIndex at = TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        List<FileInfo> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(newest)) {
            s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md5")).sorted()
                    .forEach(p -> files.add(new FileInfo(p.toAbsolutePath(), null)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshot " + newest, e);
        }
        return new FileListSnapshotInfo(files, at);
    }

    /** The newest complete snapshot folder, or null. */
    Path newest() {
        Path f = folder;
        if (f == null || !Files.isDirectory(f)) {
            return null;
        }
        try (Stream<Path> s = Files.list(f)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.exists(p.resolve(COMPLETE)))
                    .max(Comparator.comparingLong(CheckpointSnapshots::index)).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots in " + f, e);
        }
    }

    private static long index(Path snapshot) {
        Matcher m = NAME.matcher(snapshot.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(2)) : -1;
    }

    /** Deletes every snapshot folder but {@code keep}, and unfinished ones. */
    void deleteAllBut(Path keep) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                if (!p.equals(keep) && Files.isDirectory(p) && p.getFileName().toString().startsWith("snapshot.")) {
                    deleteTree(p);
                }
            }
        }
    }

    @Override
    public void format() {
        // Nothing to prepare: folders are made as snapshots are taken.
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        Path newest = newest();
        if (newest != null) {
            deleteAllBut(newest);
        }
    }

    /**
     * Replaces {@code target} by a copy of the snapshot folder {@code snapshot} that RocksDB may open and
     * write to: table files (never changed once written) are hard-linked, every other file is copied.
     */
    static void copyForWriting(Path snapshot, Path target) throws IOException {
        deleteTree(target);
        Files.createDirectories(target);
        try (Stream<Path> s = Files.list(snapshot)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(COMPLETE) || name.endsWith(".md5") || !Files.isRegularFile(p)) {
                    continue;
                }
                Path copy = target.resolve(name);
                if (name.endsWith(".sst")) {
                    try {
                        Files.createLink(copy, p);
                        continue;
                    } catch (IOException | UnsupportedOperationException noLink) {
                        // another file system: copy instead
                    }
                }
                Files.copy(p, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** Deletes {@code root} and everything under it, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public File getSnapshotDir() {
        return null;
    }
}
