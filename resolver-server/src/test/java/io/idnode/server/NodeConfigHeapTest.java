package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConfigHeapTest {
    private static final long MIB = 1 << 20;

    @Test
    void theDefaultCacheFitsTheDefaultHeap() {
        NodeConfig config = NodeConfig.defaults(Path.of("data")); // 100,000 records, bin/jvm.options: 224 MiB

        assertThat(config.heapWarning(224 * MIB)).isNull();
    }

    @Test
    void aCacheTooLargeForTheHeapIsNamedWithTheHeapItNeeds() {
        NodeConfig config = new NodeConfig(Path.of("data"), InetAddress.getLoopbackAddress(), 2641, null,
                List.of("88.100.1"), false, Duration.ofSeconds(120), 0, 400_000);

        String warning = config.heapWarning(224 * MIB);

        assertThat(warning).contains("400000 records", "419 MiB", "224 MiB heap", "-Xmx700m", "--cache");
        assertThat(config.heapWarning(700 * MIB)).isNull();
    }
}
