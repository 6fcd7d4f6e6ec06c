package io.idnode.cache;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which keys were looked up recently, approximately: one bit per hash slot, in two generations. A key is
 * "seen" if its bit is set in either; once one slot in {@link #SLOTS_PER_KEY} of the current generation
 * has been set, it becomes the previous one and a fresh one starts, so a key is remembered for at least as
 * many further keys. A slot shared by two keys makes one look seen early; updates racing on one word may drop a bit,
 * which makes a key look new once more. Both only shift when a record is cached by one lookup, so the
 * structure needs no locks. Thread-safe in that sense.
 */
final class RecentKeys {
    private final int shift;
    private final int generationSize;
    private final AtomicInteger marked = new AtomicInteger();
    private volatile long[] current;
    private volatile long[] previous;

    /** Slots per key a generation holds: with at most 1 in 16 slots set, a new key looks seen ≤ 12.5 % of the time. */
    static final int SLOTS_PER_KEY = 16;

    /** Room for at least {@code keys} keys per generation (from 4,096 up to 2^21: a generation is ≤ 4 MiB). */
    RecentKeys(long keys) {
        long wanted = Math.max(1L << 16, Math.min(1L << 25, keys * SLOTS_PER_KEY));
        long slots = Long.highestOneBit(wanted * 2 - 1);
        this.shift = 64 - Long.numberOfTrailingZeros(slots);
        this.generationSize = (int) (slots / SLOTS_PER_KEY);
        this.current = new long[(int) (slots / 64)];
        this.previous = new long[(int) (slots / 64)];
    }

    /** True if {@code key} was seen recently; either way it is seen now. */
    boolean seenBefore(Object key) {
        // Fibonacci hashing: the top bits of the product spread String hash codes evenly.
        int slot = (int) ((key.hashCode() * 0x9E3779B97F4A7C15L) >>> shift);
        int word = slot >>> 6;
        long bit = 1L << slot;
        long[] now = current;
        long w = now[word];
        if ((w & bit) != 0 || (previous[word] & bit) != 0) {
            return true;
        }
        now[word] = w | bit;
        if (marked.incrementAndGet() == generationSize) {
            previous = now;
            current = new long[now.length];
            marked.set(0);
        }
        return false;
    }
}
