package io.idnode.loadgen;

import java.util.SplittableRandom;

/**
 * Zipf-distributed ranks 0..n-1 (rank 0 the most frequent), P(k) proportional to 1/(k+1)^s, drawn by
 * inverting a precomputed cumulative distribution. Immutable; the caller supplies the randomness.
 */
public final class Zipf {
    /** The exponent YCSB and Caffeine's benchmarks use. */
    public static final double DEFAULT_EXPONENT = 0.99;

    private final double[] cumulative;

    /** A distribution over {@code n} ranks with exponent {@code s} (s > 0). */
    public Zipf(int n, double s) {
        if (n < 1) {
            throw new IllegalArgumentException("Zipf needs at least one rank, got " + n);
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("Zipf exponent must be positive, got " + s);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, s);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        cumulative[n - 1] = 1.0;
    }

    /** Number of ranks. */
    public int size() {
        return cumulative.length;
    }

    /** Probability of rank {@code k}. */
    public double probability(int k) {
        return k == 0 ? cumulative[0] : cumulative[k] - cumulative[k - 1];
    }

    /** The next rank. */
    public int next(SplittableRandom random) {
        double u = random.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** {@code count} ranks drawn in advance, so that a benchmark's loop does not pay for the sampling. */
    public int[] precompute(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = next(random);
        }
        return out;
    }
}
