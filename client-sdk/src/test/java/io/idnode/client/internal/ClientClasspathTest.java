package io.idnode.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an application depending on the client gets on its classpath: resolver-core's codec and Netty, not
 * the store engine, the hot cache, the node, nor the libraries of the {@code idctl} command line. Reads the
 * runtime dependency tree Maven resolved for this module ({@code target/runtime-dependency-tree.txt}); an
 * optional dependency, and everything under it, does not reach an application. The tests themselves run
 * with the node on their classpath.
 */
class ClientClasspathTest {
    private static List<String> tree() throws IOException {
        return Files.readAllLines(Path.of("target", "runtime-dependency-tree.txt")).stream()
                .skip(1) // the module itself
                .map(line -> line.replaceFirst("^[|+\\\\ -]*", ""))
                .toList();
    }

    /** groupId:artifactId of every dependency an application gets. */
    private static List<String> applicationDependencies() throws IOException {
        return tree().stream().filter(d -> !d.endsWith("(optional)")).map(ClientClasspathTest::coordinates).toList();
    }

    private static String coordinates(String entry) {
        String[] parts = entry.split(":");
        return parts[0] + ":" + parts[1];
    }

    @Test
    void theStoreEngineTheCacheTheServerAndTheBenchmarksAreAbsent() throws IOException {
        assertThat(applicationDependencies()).noneMatch(d -> d.startsWith("org.rocksdb:"))
                .noneMatch(d -> d.startsWith("com.github.ben-manes.caffeine:"))
                .doesNotContain("io.idnode:resolver-server", "io.idnode:benchmarks");
    }

    @Test
    void theCoreAndNettyArePresent() throws IOException {
        assertThat(applicationDependencies()).contains("io.idnode:resolver-core", "io.netty:netty-transport");
    }

    @Test
    void theCommandLineLibrariesAreOptional() throws IOException {
        List<String> optional = tree().stream().filter(d -> d.endsWith("(optional)"))
                .map(ClientClasspathTest::coordinates).toList();
        assertThat(optional).contains("info.picocli:picocli", "me.tongfei:progressbar", "org.jline:jline-terminal");
        assertThat(applicationDependencies()).noneMatch(d -> d.startsWith("info.picocli:"))
                .noneMatch(d -> d.startsWith("me.tongfei:"))
                .noneMatch(d -> d.startsWith("org.jline:"))
                .doesNotContain("org.slf4j:slf4j-nop");
    }

    @Test
    void theApplicationClasspathLeavesOutEveryOptionalLibrary() throws IOException {
        List<String> classpath = Arrays.stream(Files.readString(Path.of("target", "runtime-classpath.txt")).strip()
                .split(File.pathSeparator)).map(p -> Path.of(p).getFileName().toString()).toList();
        List<String> optional = tree().stream().filter(d -> d.endsWith("(optional)")).map(d -> d.split(":")[1]).toList();
        assertThat(optional).isNotEmpty();
        for (String artifact : optional) {
            assertThat(classpath).as("runtime-classpath.txt").noneMatch(jar -> jar.startsWith(artifact + "-"));
        }
        assertThat(classpath).anyMatch(jar -> jar.startsWith("netty-transport-"));
    }
}
