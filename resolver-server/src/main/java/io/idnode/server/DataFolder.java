package io.idnode.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The node's folders as the commands handle them. The check a command makes of a folder it is about to write
 * in, before it creates anything: that it is a folder or can be made one (no file on its path), that the
 * process may write there, and that its file system has at least {@value #MIN_FREE_MIB} MiB free; a problem is
 * one line naming the folder, for the user. And the copy and removal of whole folders.
 */
final class DataFolder {
    /** Free space below which a command refuses to start writing: RocksDB alone preallocates 64 MiB of log. */
    static final long MIN_FREE_MIB = 64;

    private DataFolder() {
    }

    /** Refuses {@code dir} as the {@code data} setting if it has a {@linkplain #problem problem}. */
    static void require(Path dir) {
        problem(dir, MIN_FREE_MIB << 20).ifPresent(p -> {
            throw new InvalidSettingException("data", p);
        });
    }

    /**
     * What keeps a command from writing in {@code dir} (which need not exist yet), e.g. "must be a folder, but
     * data is a file", or empty if nothing does.
     */
    static Optional<String> problem(Path dir, long minFreeBytes) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return Optional.of("must be a folder, but " + dir + " is a file");
        }
        // The folder itself, or the nearest folder above it that exists and would hold it.
        Path existing = dir.toAbsolutePath().normalize();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean self = existing.equals(dir.toAbsolutePath().normalize());
        if (!Files.isDirectory(existing)) {
            return Optional.of("cannot be created: " + existing + " on its path is a file");
        }
        if (!Files.isWritable(existing)) {
            return Optional.of(self ? "is read-only: " + dir + " cannot be written"
                    : "cannot be created: " + existing + " is read-only");
        }
        long free;
        try {
            free = Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return Optional.of("cannot be used: " + e.getMessage());
        }
        if (free < minFreeBytes) {
            return Optional.of("is on a file system that is full: " + (free >> 20) + " MiB free, at least "
                    + (minFreeBytes >> 20) + " MiB needed");
        }
        return Optional.empty();
    }

    /** Copies the folder {@code from}, with everything in it, to {@code to} (which must not exist), attributes kept. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** Removes {@code dir} and everything in it; nothing happens if it does not exist. */
    static void delete(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException e) {
            return;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
