package io.idnode.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentKeysTest {
    @Test
    void aKeyIsSeenFromItsSecondLookUp() {
        RecentKeys recent = new RecentKeys(1_000);

        assertThat(recent.seenBefore("88.100.1/A")).isFalse();
        assertThat(recent.seenBefore("88.100.1/A")).isTrue();
        assertThat(recent.seenBefore("88.100.1/A")).isTrue();
    }

    @Test
    void fewNewKeysLookSeenAndOldKeysAreForgotten() {
        RecentKeys recent = new RecentKeys(1_000); // generations of 4,096 keys in 65,536 slots
        for (int i = 0; i < 100; i++) {
            recent.seenBefore("88.100.1/OLD" + i);
        }
        int falseSeen = 0;
        for (int i = 0; i < 20_000; i++) {
            if (recent.seenBefore("88.100.1/K" + i)) {
                falseSeen++;
            }
        }

        assertThat(falseSeen).isLessThan(20_000 / 8);
        int remembered = 0; // generations later: only a slot shared with a newer key still says "seen"
        for (int i = 0; i < 100; i++) {
            if (recent.seenBefore("88.100.1/OLD" + i)) {
                remembered++;
            }
        }
        assertThat(remembered).isLessThan(100 / 8);
    }
}
