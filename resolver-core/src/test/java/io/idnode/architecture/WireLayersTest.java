package io.idnode.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The wire packages form layers, not a cycle: {@code model} stands alone, {@code protocol} builds on it,
 * {@code budget} (what remote parties may make the node hold) on both, and {@code codec}, which owns every
 * byte layout, on all three. Only the codec makes values and lists that share their encoding
 * ({@code HandleValue.decoded}, {@code ValueList.decoded}).
 */
class WireLayersTest {
    private static final Path MAIN = Path.of("src/main/java/io/idnode");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?io\\.idnode\\.(\\w+)",
            Pattern.MULTILINE);
    private static final Map<String, Set<String>> MAY_USE = Map.of(
            "model", Set.of(),
            "protocol", Set.of("model"),
            "budget", Set.of("model", "protocol"),
            "codec", Set.of("model", "protocol", "budget"));

    @Test
    void wirePackagesUseOnlyTheLayersBelowThem() throws IOException {
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        for (Map.Entry<String, Set<String>> layer : MAY_USE.entrySet()) {
            for (Path file : sources(MAIN.resolve(layer.getKey()))) {
                scanned++;
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(layer.getKey()) && !layer.getValue().contains(used)) {
                        violations.add(MAIN.relativize(file) + " uses " + used);
                    }
                }
            }
        }
        assertThat(scanned).as("source files scanned").isGreaterThan(30);
        assertThat(violations).isEmpty();
    }

    @Test
    void onlyTheCodecMakesValuesThatShareTheirEncoding() throws IOException {
        List<String> callers = new ArrayList<>();
        for (Path file : sources(MAIN)) {
            String text = Files.readString(file);
            if (text.contains("HandleValue.decoded(") || text.contains("ValueList.decoded(")) {
                callers.add(MAIN.relativize(file).toString().replace('\\', '/'));
            }
        }
        assertThat(callers).containsExactly("codec/ValueCodec.java");
    }

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
