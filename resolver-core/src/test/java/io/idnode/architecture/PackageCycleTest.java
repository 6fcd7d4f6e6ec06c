package io.idnode.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.testing.PackageGraph;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The packages of resolver-core form no cycle: each layer depends only on the ones below it. */
class PackageCycleTest {

    @Test
    void corePackagesFormNoCycle() {
        PackageGraph graph = PackageGraph.ofClasses(Path.of("target/classes"));
        assertThat(graph.edges()).as("the scan must see the core's packages").containsKeys("io.idnode.codec",
                "io.idnode.cache");
        assertThat(graph.cycles()).as("package cycles in resolver-core").isEmpty();
    }

    @Test
    void findsEveryCycleAndOnlyCycles() {
        PackageGraph graph = PackageGraph.of("a -> b", "b -> c", "c -> a", "c -> d", "d -> e", "e -> d", "f -> a");
        assertThat(graph.cycles()).containsExactlyInAnyOrder(Set.of("a", "b", "c"), Set.of("d", "e"));
        assertThat(PackageGraph.of("a -> b", "b -> c", "a -> c").cycles()).isEmpty();
    }
}
