package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.cache.CacheSettings;
import org.junit.jupiter.api.Test;

class CacheHeapEstimateTest {
    private static final long MIB = 1 << 20;

    @Test
    void theDefaultCacheFitsTheDefaultHeap() {
        long records = NodeConfig.builder().build().cache().map(CacheSettings::maximumSize).orElseThrow();

        assertThat(CacheHeapEstimate.warning(records, 224 * MIB)).isEmpty(); // bin/jvm.options: 224 MiB
    }

    @Test
    void aCacheTooLargeForTheHeapIsNamedWithTheHeapItNeeds() {
        String warning = CacheHeapEstimate.warning(400_000, 224 * MIB).orElseThrow();

        assertThat(warning).contains("400000 records", "419 MiB", "224 MiB heap", "-Xmx700m", "--cache");
        assertThat(CacheHeapEstimate.warning(400_000, 700 * MIB)).isEmpty();
    }
}
