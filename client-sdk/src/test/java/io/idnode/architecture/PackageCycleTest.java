package io.idnode.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.testing.PackageGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packages of client-sdk form no cycle (resolver-core's test of the same name checks the core). */
class PackageCycleTest {

    @Test
    void packagesFormNoCycle() {
        assertThat(PackageGraph.ofClasses(Path.of("target/classes")).cycles()).as("package cycles in client-sdk").isEmpty();
    }
}
