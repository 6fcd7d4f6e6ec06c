package io.idnode.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyPatternTest {

    @Test
    void formatsKeysFromFormatAndCount() {
        KeyPattern p = KeyPattern.parse("88.100.1/P%08d:1000000");
        assertThat(p.count()).isEqualTo(1_000_000);
        assertThat(p.key(0)).isEqualTo("88.100.1/P00000000");
        assertThat(p.key(999_999)).isEqualTo("88.100.1/P00999999");
        assertThat(p).hasToString("88.100.1/P%08d:1000000");
    }

    @Test
    void countFollowsTheLastColonSoFormatsMayContainColons() {
        KeyPattern p = KeyPattern.parse("88.100.1/urn:x:%d:3");
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.key(2)).isEqualTo("88.100.1/urn:x:2");
    }

    @Test
    void rejectsKeysOutsideTheCount() {
        KeyPattern p = KeyPattern.parse("A/%d:2");
        assertThatThrownBy(() -> p.key(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.key(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void rejectsMalformedPatternsNamingTheProblem() {
        assertThatThrownBy(() -> KeyPattern.parse("88.100.1/P%08d")).hasMessageContaining("FORMAT:COUNT");
        assertThatThrownBy(() -> KeyPattern.parse("88.100.1/P%08d:")).hasMessageContaining("FORMAT:COUNT");
        assertThatThrownBy(() -> KeyPattern.parse("88.100.1/P%08d:lots")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> KeyPattern.parse("88.100.1/P%08d:0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> KeyPattern.parse("88.100.1/P%s%s:5")).hasMessageContaining("one integer");
        assertThatThrownBy(() -> KeyPattern.parse("88.100.1/FIXED:5")).hasMessageContaining("does not use the number");
    }
}
