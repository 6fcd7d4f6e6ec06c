package io.idnode.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyLayoutTest {
    @Test
    void recordKeyIsTagPlusUpperCasedLookupForm() {
        byte[] key = KeyLayout.recordKey("88.100.1/abc");

        assertThat(key[0]).isEqualTo(KeyLayout.HANDLE_RECORD);
        assertThat(new String(key, 1, key.length - 1, StandardCharsets.UTF_8)).isEqualTo("88.100.1/ABC");
        assertThat(KeyLayout.matchKeyOf(key)).isEqualTo("88.100.1/ABC");
        assertThat(KeyLayout.recordKey("88.100.1")).isEqualTo(KeyLayout.recordKey("0.na/88.100.1"));
        assertThat(KeyLayout.recordKey("88.100.1/é")).isNotEqualTo(KeyLayout.recordKey("88.100.1/É"));
    }

    @Test
    void keySpacesAreDistinct() {
        List<Byte> tags = List.of(KeyLayout.HANDLE_RECORD, KeyLayout.STORE_METADATA, KeyLayout.AUDIT, KeyLayout.HOMED_PREFIX);

        assertThat(tags).doesNotHaveDuplicates();
    }

    @Test
    void prefixRangeHoldsExactlyThatPrefixsHandles() {
        byte[] lower = KeyLayout.prefixLowerBound("88.100.1");
        byte[] upper = KeyLayout.prefixUpperBound("88.100.1");

        for (String inside : List.of("88.100.1/", "88.100.1/A", "88.100.1/zzz", "88.100.1/\u00ff", "88.100.1//")) {
            assertThat(inRange(KeyLayout.recordKey(inside), lower, upper)).as(inside).isTrue();
        }
        for (String outside : List.of("88.100.10/A", "88.100.1.5/A", "88.100/A", "88.100.0/Z", "88.100.2/A",
                "0.NA/88.100.1", "88.100.1")) {
            assertThat(inRange(KeyLayout.recordKey(outside), lower, upper)).as(outside).isFalse();
        }
    }

    @Test
    void successorIsTheNextKey() {
        byte[] key = KeyLayout.recordKey("88.100.1/A");
        byte[] next = KeyLayout.successor(key);

        assertThat(Arrays.compareUnsigned(next, key)).isPositive();
        assertThat(Arrays.compareUnsigned(next, KeyLayout.recordKey("88.100.1/A\u0001"))).isNegative();
        assertThat(KeyLayout.isRecordKey(key)).isTrue();
    }

    private static boolean inRange(byte[] key, byte[] lower, byte[] upper) {
        return Arrays.compareUnsigned(key, lower) >= 0 && Arrays.compareUnsigned(key, upper) < 0;
    }
}
