package io.idnode.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeyChooserTest {

    @Test
    void zipfProbabilitiesFollowTheInversePowerAndSumToOne() {
        Zipf z = new Zipf(1000, 1.0);
        double sum = IntStream.range(0, 1000).mapToDouble(z::probability).sum();
        assertThat(sum).isCloseTo(1.0, offset(1e-9));
        // P(k) / P(0) = 1 / (k+1)^s
        assertThat(z.probability(9) / z.probability(0)).isCloseTo(0.1, offset(1e-9));
        assertThat(z.probability(0)).isGreaterThan(z.probability(1));
    }

    @Test
    void zipfSamplesMatchTheDistribution() {
        Zipf z = new Zipf(1000, Zipf.DEFAULT_EXPONENT);
        int n = 200_000;
        int[] counts = new int[1000];
        for (int r : z.precompute(n, 3)) {
            counts[r]++;
        }
        for (int rank : new int[] {0, 1, 10}) {
            double expected = n * z.probability(rank);
            double sigma = Math.sqrt(expected);
            assertThat((double) counts[rank]).isBetween(expected - 6 * sigma, expected + 6 * sigma);
        }
        assertThat(counts[0]).isGreaterThan(counts[500] * 100);
    }

    @Test
    void scrambledZipfSpreadsPopularKeysOverAPermutation() {
        KeyChooser.Scrambled c = (KeyChooser.Scrambled) KeyChooser.zipf(500, 0.99, 11);
        assertThat(IntStream.range(0, 500).map(c::keyOfRank).sorted().toArray())
                .containsExactly(IntStream.range(0, 500).toArray());
        int[] counts = new int[500];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 50_000; i++) {
            counts[c.next(random)]++;
        }
        int popular = c.keyOfRank(0);
        assertThat(IntStream.of(counts).max().getAsInt()).isEqualTo(counts[popular]);
    }

    @Test
    void uniformCoversEveryKeyAndStaysInRange() {
        KeyChooser c = KeyChooser.uniform(50);
        int[] picks = c.precompute(20_000, 9);
        assertThat(IntStream.of(picks).allMatch(i -> i >= 0 && i < 50)).isTrue();
        assertThat(IntStream.of(picks).distinct().count()).isEqualTo(50);
    }

    @Test
    void sameSeedSameSequence() {
        KeyChooser c = KeyChooser.zipf(100, 0.99, 1);
        assertThat(c.precompute(100, 7)).containsExactly(c.precompute(100, 7));
    }

    @Test
    void rejectsEmptyKeySpaceAndBadExponent() {
        assertThatThrownBy(() -> KeyChooser.uniform(0)).hasMessageContaining("at least one key");
        assertThatThrownBy(() -> new Zipf(0, 1)).hasMessageContaining("at least one rank");
        assertThatThrownBy(() -> new Zipf(10, 0)).hasMessageContaining("exponent");
        assertThatThrownBy(() -> new Zipf(10, Double.NaN)).hasMessageContaining("exponent");
    }
}
