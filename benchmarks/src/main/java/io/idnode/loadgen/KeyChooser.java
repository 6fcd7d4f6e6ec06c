package io.idnode.loadgen;

import java.util.SplittableRandom;

/**
 * Picks which of {@code n} keys the next request asks for: uniformly, or Zipf-distributed with the popular
 * ranks scattered over the key space by a fixed permutation (so that hot keys are not neighbours in the
 * store). Immutable and thread-safe; the caller supplies the randomness.
 */
public sealed interface KeyChooser {

    /** Index of the next key, in 0..size()-1. */
    int next(SplittableRandom random);

    /** Number of keys chosen from. */
    int size();

    /** {@code count} choices drawn in advance (benchmarks keep sampling out of their measured loop). */
    default int[] precompute(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = next(random);
        }
        return out;
    }

    /** Every key equally likely. */
    static KeyChooser uniform(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one key, got " + n);
        }
        return new Uniform(n);
    }

    /** Zipf with exponent {@code s} over {@code n} keys; {@code seed} fixes which keys are the popular ones. */
    static KeyChooser zipf(int n, double s, long seed) {
        Zipf zipf = new Zipf(n, s);
        int[] permutation = new int[n];
        for (int i = 0; i < n; i++) {
            permutation[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        return new Scrambled(zipf, permutation);
    }

    /** Uniform choice. */
    record Uniform(int size) implements KeyChooser {
        @Override
        public int next(SplittableRandom random) {
            return random.nextInt(size);
        }
    }

    /** Zipf ranks mapped through a permutation. */
    record Scrambled(Zipf zipf, int[] permutation) implements KeyChooser {
        @Override
        public int next(SplittableRandom random) {
            return permutation[zipf.next(random)];
        }

        @Override
        public int size() {
            return permutation.length;
        }

        /** The key of rank {@code r} (rank 0 is the most popular). */
        public int keyOfRank(int r) {
            return permutation[r];
        }
    }
}
