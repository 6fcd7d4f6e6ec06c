package io.idnode.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Golden vectors of {@code shared/spec/vectors/}, read in place. The folder is found by walking up from
 * the working directory and checking {@code <dir>/shared} and {@code <dir>/../shared} at each level; a
 * missing file fails the test instead of silently skipping it.
 */
public final class Vectors {
    /** The main vector file (handle-protocol.md §10). */
    public static final String HANDLE_VECTORS = "handle-vectors.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonNode> FILES = new ConcurrentHashMap<>();

    private Vectors() {
    }

    /** The parsed root object of a vector file. */
    public static JsonNode file(String fileName) {
        return FILES.computeIfAbsent(fileName, Vectors::load);
    }

    /** The vector called {@code name} in {@code handle-vectors.json}; fails if there is none. */
    public static JsonNode vector(String name) {
        for (JsonNode v : file(HANDLE_VECTORS).path("vectors")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new IllegalArgumentException("no vector named " + name + " in " + HANDLE_VECTORS);
    }

    /** A fixed test key of the {@code keys} section of {@code handle-vectors.json}, hex-decoded. */
    public static byte[] key(String name) {
        JsonNode k = file(HANDLE_VECTORS).path("keys").get(name);
        if (k == null || !k.isTextual()) {
            throw new IllegalArgumentException("no key named " + name + " in " + HANDLE_VECTORS);
        }
        return hex(k.asText());
    }

    /** Decodes lowercase or uppercase hex. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Encodes bytes as lowercase hex (for readable assertion failures). */
    public static String toHex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static JsonNode load(String fileName) {
        Path file = locate(fileName);
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    private static Path locate(String fileName) {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path sibling = dir.getParent() == null ? dir.resolve("shared") : dir.resolveSibling("shared");
            for (Path shared : new Path[] {dir.resolve("shared"), sibling}) {
                Path candidate = shared.resolve("spec").resolve("vectors").resolve(fileName);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("cannot find shared/spec/vectors/" + fileName + " above " + start);
    }
}
