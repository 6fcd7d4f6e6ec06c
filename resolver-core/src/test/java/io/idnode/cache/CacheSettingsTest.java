package io.idnode.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheSettingsTest {
    @Test
    void defaultsAreTheDocumentedConstants() {
        CacheSettings s = CacheSettings.defaults();

        assertThat(s.maximumSize()).isEqualTo(CacheSettings.DEFAULT_MAXIMUM_SIZE);
        assertThat(s.maximumWeight()).isEqualTo(-1);
        assertThat(s.minTtl()).isEqualTo(CacheSettings.DEFAULT_MIN_TTL);
        assertThat(s.maxTtl()).isEqualTo(CacheSettings.DEFAULT_MAX_TTL);
        assertThat(s.negativeTtl()).isEqualTo(CacheSettings.DEFAULT_NEGATIVE_TTL);
        assertThat(s.negativeMaximumSize()).isEqualTo(CacheSettings.DEFAULT_NEGATIVE_MAXIMUM_SIZE);
        assertThat(s.negativeCaching()).isTrue();
    }

    @Test
    void keepsWhatWasSet() {
        CacheSettings s = CacheSettings.builder().maximumWeight(1 << 20).minTtl(Duration.ZERO)
                .maxTtl(Duration.ofSeconds(30)).negativeTtl(Duration.ZERO).negativeMaximumSize(7).build();

        assertThat(s.maximumWeight()).isEqualTo(1 << 20);
        assertThat(s.maximumSize()).isEqualTo(-1);
        assertThat(s.minTtl()).isZero();
        assertThat(s.maxTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.negativeCaching()).isFalse();
        assertThat(s.negativeMaximumSize()).isEqualTo(7);
    }

    @Test
    void rejectsNonPositiveBounds() {
        assertThatThrownBy(() -> CacheSettings.builder().maximumSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize");
        assertThatThrownBy(() -> CacheSettings.builder().maximumWeight(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumWeight");
        assertThatThrownBy(() -> CacheSettings.builder().negativeMaximumSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negativeMaximumSize");
    }

    @Test
    void rejectsNegativeOrHugeTtls() {
        assertThatThrownBy(() -> CacheSettings.builder().minTtl(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minTtl");
        assertThatThrownBy(() -> CacheSettings.builder().maxTtl(Duration.ofDays(366)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTtl");
        assertThatThrownBy(() -> CacheSettings.builder().negativeTtl(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negativeTtl");
        assertThatThrownBy(() -> CacheSettings.builder().negativeTtl(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("negativeTtl");
    }

    @Test
    void rejectsMaxTtlShorterThanMinTtl() {
        CacheSettings.Builder b = CacheSettings.builder().minTtl(Duration.ofMinutes(2)).maxTtl(Duration.ofMinutes(1));

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTtl")
                .hasMessageContaining("minTtl");
    }

    @Test
    void sizeAndWeightBoundsExcludeEachOther() {
        assertThatThrownBy(() -> CacheSettings.builder().maximumSize(10).maximumWeight(10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maximumWeight")
                .hasMessageContaining("maximumSize");
        assertThatThrownBy(() -> CacheSettings.builder().maximumWeight(10).maximumSize(10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maximumSize");
    }

    @Test
    void rejectsMissingTimeSources() {
        assertThatThrownBy(() -> CacheSettings.builder().ticker(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ticker");
        assertThatThrownBy(() -> CacheSettings.builder().clock(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("clock");
    }
}
