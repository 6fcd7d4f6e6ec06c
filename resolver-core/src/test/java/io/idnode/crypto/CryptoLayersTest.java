package io.idnode.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The crypto packages form layers, never a cycle: the plumbing in {@code crypto} knows none of its
 * sub-packages; {@code keys} and {@code auth} know only the plumbing; {@code session} also knows {@code auth}
 * (its MAC credentials). A scan of the main sources for references to crypto packages.
 */
class CryptoLayersTest {
    private static final Path ROOT = Path.of("src/main/java/io/idnode/crypto");
    private static final Pattern REFERENCE = Pattern.compile("io\\.idnode\\.crypto(?:\\.(keys|auth|session))?\\.[A-Z]");
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "crypto", Set.of("crypto"),
            "keys", Set.of("crypto", "keys"),
            "auth", Set.of("crypto", "auth"),
            "session", Set.of("crypto", "auth", "session"));

    @Test
    void eachPackageUsesOnlyTheLayersBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<Path, Set<String>> e : references().entrySet()) {
            String from = layer(e.getKey());
            for (String to : e.getValue()) {
                if (!ALLOWED.get(from).contains(to)) {
                    violations.add(ROOT.relativize(e.getKey()) + " -> crypto." + to);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theScanSeesTheKnownEdges() throws IOException {
        // Guards the test above against scanning the wrong folder or matching nothing.
        Map<Path, Set<String>> refs = references();
        assertThat(refs.get(ROOT.resolve("session/SessionKeys.java"))).contains("auth", "crypto");
        assertThat(refs.get(ROOT.resolve("keys/HandleKeyCodec.java"))).containsExactly("crypto");
        assertThat(refs.get(ROOT.resolve("SignatureAlgorithm.java"))).isEmpty();
    }

    private static Map<Path, Set<String>> references() throws IOException {
        Map<Path, Set<String>> out = new HashMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Set<String> targets = new TreeSet<>();
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    targets.add(m.group(1) == null ? "crypto" : m.group(1));
                }
                out.put(file, targets);
            }
        }
        return out;
    }

    private static String layer(Path file) {
        Path parent = ROOT.relativize(file).getParent();
        return parent == null ? "crypto" : parent.toString();
    }
}
