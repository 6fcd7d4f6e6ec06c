package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history checker finds each kind of violation, and only violations. */
class HistoryTest {
    private final History h = new History();

    /** Records a write whose answer comes at least a moment after {@code invoked}. */
    private long write(String handle, String value, boolean acknowledged) throws InterruptedException {
        long t = h.now();
        Thread.sleep(2);
        h.write(handle, value, t, acknowledged);
        Thread.sleep(2);
        return t;
    }

    @Test
    void aCorrectRunHasNoViolations() throws InterruptedException {
        long lost = h.now();
        write("P/1", "v1", true);
        write("P/2", "v2", false); // not acknowledged, and not kept: allowed
        h.read("P/1", true, "v1", h.now());
        h.read("P/1", false, "v1", h.now());
        h.read("P/3", false, null, lost); // a plain read may miss a write
        write("P/3", "v3", true);
        assertThat(h.violations(Map.of("P/1", "v1", "P/3", "v3"))).isEmpty();
        assertThat(h.count(History.Kind.WRITE)).isEqualTo(2);
    }

    @Test
    void anAcknowledgedWriteMissingFromTheStoreIsFound() throws InterruptedException {
        write("P/1", "v1", true);
        write("P/2", "v2", true);
        assertThat(h.violations(Map.of("P/1", "v1"))).singleElement().asString()
                .contains("P/2", "missing");
    }

    @Test
    void aReadOfAValueNeverWrittenIsFound() throws InterruptedException {
        write("P/1", "v1", true);
        h.read("P/1", false, "v9", h.now());
        assertThat(h.violations(Map.of("P/1", "v1"))).singleElement().asString().contains("v9", "no write put");
    }

    @Test
    void anAuthoritativeReadOlderThanAnAcknowledgedWriteIsFound() throws InterruptedException {
        write("P/1", "v1", true);
        long t = h.now();
        h.read("P/1", false, null, t); // stale, but plain: allowed
        h.read("P/1", true, null, t);
        assertThat(h.violations(Map.of("P/1", "v1"))).singleElement().asString()
                .contains("authoritative read", "older");
    }

    @Test
    void anAuthoritativeReadConcurrentWithTheWriteMayMissIt() throws InterruptedException {
        long before = h.now();
        write("P/1", "v1", true);
        h.read("P/1", true, null, before); // sent before the write was acknowledged
        assertThat(h.violations(Map.of("P/1", "v1"))).isEmpty();
    }
}
