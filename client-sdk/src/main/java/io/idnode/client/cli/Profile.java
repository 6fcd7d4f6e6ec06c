package io.idnode.client.cli;

import io.idnode.model.ValueReference;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where {@code idctl} finds the node and who it is there: the node's address or site file, the identity
 * {@code INDEX:HANDLE} and its private-key file. Kept in a properties file ({@code node}, {@code site},
 * {@code identity}, {@code key}) so that they are not repeated on every call; each may be overridden per
 * call. Relative paths in the file are relative to the file's folder. Any member may be absent.
 */
record Profile(String node, Path site, String identity, Path key) {
    static final String NODE = "node";
    static final String SITE = "site";
    static final String IDENTITY = "identity";
    static final String KEY = "key";

    /** A profile with nothing in it. */
    static final Profile EMPTY = new Profile(null, null, null, null);

    /** The profile used when {@code --profile} is not given: {@code $IDCTL_PROFILE}, else the user's config folder. */
    static Path defaultLocation() {
        String explicit = System.getenv("IDCTL_PROFILE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String config = System.getenv("XDG_CONFIG_HOME");
        Path base = config != null && !config.isBlank() ? Path.of(config)
                : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("idctl").resolve("profile.properties");
    }

    /** Reads the profile in {@code file}; a missing file reads as {@link #EMPTY}. */
    static Profile read(Path file) throws CommandFailure {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw CommandFailure.usage("cannot read the profile " + file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return new Profile(text(p, NODE), path(dir, text(p, SITE)), text(p, IDENTITY), path(dir, text(p, KEY)));
    }

    /** Writes this profile to {@code file}, creating its folder; paths are written absolute. */
    void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".profile-", ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Map.Entry<String, String> e : entries().entrySet()) {
                    out.write(e.getKey() + "=" + escape(e.getValue()) + "\n");
                }
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The members that are set, by their key in the file, in a stable order. */
    Map<String, String> entries() {
        Map<String, String> m = new TreeMap<>();
        if (node != null) {
            m.put(NODE, node);
        }
        if (site != null) {
            m.put(SITE, site.toAbsolutePath().toString());
        }
        if (identity != null) {
            m.put(IDENTITY, identity);
        }
        if (key != null) {
            m.put(KEY, key.toAbsolutePath().toString());
        }
        return m;
    }

    /** This profile with every member {@code other} sets taken from {@code other}. */
    Profile overriddenBy(Profile other) {
        return new Profile(other.node != null ? other.node : node, other.site != null ? other.site : site,
                other.identity != null ? other.identity : identity, other.key != null ? other.key : key);
    }

    /** The identity as a value reference; fails naming what is missing or malformed. */
    ValueReference identityReference() throws CommandFailure {
        if (identity == null) {
            throw CommandFailure.usage("no identity: give --identity INDEX:HANDLE (e.g. 300:88.100.1/LINE-1),"
                    + " or save one with: idctl profile --identity INDEX:HANDLE --key FILE");
        }
        return parseIdentity(identity);
    }

    /** {@code INDEX:HANDLE} as a value reference, e.g. {@code 300:0.NA/88.100.1}. */
    static ValueReference parseIdentity(String text) throws CommandFailure {
        int colon = text.indexOf(':');
        String problem = "identity must be INDEX:HANDLE such as 300:88.100.1/LINE-1, was '" + text + "'";
        if (colon <= 0 || colon == text.length() - 1) {
            throw CommandFailure.usage(problem);
        }
        int index;
        try {
            index = Integer.parseInt(text.substring(0, colon));
        } catch (NumberFormatException e) {
            throw CommandFailure.usage(problem);
        }
        if (index <= 0) {
            throw CommandFailure.usage("identity index must be > 0, was " + index + " in '" + text + "'");
        }
        return new ValueReference(text.substring(colon + 1), index);
    }

    private static String text(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Path path(Path dir, String text) {
        return text == null ? null : dir.resolve(text);
    }

    private static String escape(String value) {
        // Properties treats '\' as an escape: Windows paths and the like must keep theirs.
        return value.replace("\\", "\\\\");
    }
}
