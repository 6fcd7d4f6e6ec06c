package io.idnode.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Golden vectors read in place from {@code shared/spec/vectors/}, found by walking up from the working
 * directory and checking {@code <dir>/shared} and {@code <dir>/../shared}. Fails loudly if the files are
 * missing, so that vector tests can never pass vacuously.
 */
public final class Vectors {
    /** The vectors made with the CNRI client library (handle-protocol.md §10). */
    public static final String HANDLE = "handle-vectors.json";
    /** The CN extension vectors (cn-extensions.md §9). */
    public static final String CN = "cn-vectors.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonNode> FILES = new ConcurrentHashMap<>();

    private Vectors() {
    }

    /** The root object of a vector file. */
    public static JsonNode file(String fileName) {
        return FILES.computeIfAbsent(fileName, Vectors::load);
    }

    /** All vectors of a file, in file order. */
    public static List<JsonNode> all(String fileName) {
        List<JsonNode> out = new ArrayList<>();
        file(fileName).path("vectors").forEach(out::add);
        return out;
    }

    /** The named vector of a file; fails if absent. */
    public static JsonNode vector(String fileName, String name) {
        for (JsonNode v : file(fileName).path("vectors")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new IllegalArgumentException("no vector " + name + " in " + fileName);
    }

    /** The named vector from handle-vectors.json, or else from cn-vectors.json; fails if absent. */
    public static JsonNode vector(String name) {
        for (String f : List.of(HANDLE, CN)) {
            for (JsonNode v : file(f).path("vectors")) {
                if (name.equals(v.path("name").asText())) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("no vector " + name);
    }

    /** A fixed test key of the {@code keys} section of {@code handle-vectors.json}, hex-decoded. */
    public static byte[] key(String name) {
        JsonNode k = file(HANDLE).path("keys").get(name);
        if (k == null || !k.isTextual()) {
            throw new IllegalArgumentException("no key named " + name + " in " + HANDLE);
        }
        return hex(k.asText());
    }

    /** Encodes bytes as lowercase hex (for readable assertion failures). */
    public static String toHex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Decodes lowercase or uppercase hex. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** The directory holding the vector files. */
    public static Path directory() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            for (Path shared : List.of(d.resolve("shared"), d.resolve("..").resolve("shared"))) {
                Path vectors = shared.resolve("spec").resolve("vectors");
                if (Files.isDirectory(vectors)) {
                    return vectors.normalize();
                }
            }
        }
        throw new IllegalStateException("shared/spec/vectors not found above " + dir);
    }

    private static JsonNode load(String fileName) {
        Path p = directory().resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("vector file missing: " + p);
        }
        try {
            return MAPPER.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + p, e);
        }
    }
}
