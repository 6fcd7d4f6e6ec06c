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
 * the store engine, the hot cache or the node. Reads the runtime classpath Maven resolved for this module
 * ({@code target/runtime-classpath.txt}); the tests themselves run with the node on theirs.
 */
class ClientClasspathTest {
    private static List<String> runtimeJars() throws IOException {
        String line = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
        return Arrays.stream(line.split(File.pathSeparator)).map(p -> Path.of(p).getFileName().toString()).toList();
    }

    @Test
    void theStoreEngineTheCacheTheServerAndTheBenchmarksAreAbsent() throws IOException {
        assertThat(runtimeJars()).noneMatch(j -> j.startsWith("rocksdbjni"))
                .noneMatch(j -> j.startsWith("caffeine"))
                .noneMatch(j -> j.startsWith("resolver-server"))
                .noneMatch(j -> j.startsWith("benchmarks"));
    }

    @Test
    void theCoreAndNettyArePresent() throws IOException {
        // Inside the reactor resolver-core resolves to its classes folder, outside to its jar.
        String line = Files.readString(Path.of("target", "runtime-classpath.txt"));
        assertThat(line).containsAnyOf("resolver-core/target/classes", "resolver-core-");
        assertThat(runtimeJars()).anyMatch(j -> j.startsWith("netty-"));
    }
}
