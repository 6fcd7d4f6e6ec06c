package io.idnode.server.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded table of rate limits, one per key (a source network): {@code rate} events a second with a burst of
 * one second's worth, kept as a generic cell rate algorithm, i.e. each key's "theoretical arrival time": an
 * event is admitted if that time is at most one second ahead of now. Refused events are charged too, up to
 * {@code window} seconds ahead, so that a source that keeps sending above the rate stays refused until it has
 * been quiet for about that long (DNS response-rate limiting's window).
 *
 * <p>Each entry is one {@code long} (a 16-bit fingerprint of the key and 48 bits of time in 16 ns ticks), so
 * the table takes 8 bytes an entry and is never larger. A key may sit in one of two slots; a new key takes a
 * slot that is empty or idle, else evicts the one nearer to idle, which forgets that key's debt. Updates are
 * one compare-and-set: no lock, no allocation. Time comes from a {@link Ticker}. Thread-safe.
 */
public final class RateTable {
    /**
     * 16 ns a tick: 48 bits of ticks wrap after 52 days. An entry left that long reads as idle, unless read
     * within a window's length of a multiple of 52 days, when it may show a debt it no longer has.
     */
    private static final int TICK_SHIFT = 4;
    private static final int TIME_BITS = 48;
    private static final long TIME_MASK = (1L << TIME_BITS) - 1;
    /** Most events a second one table can tell apart: one a tick. */
    public static final long MAX_RATE = 1_000_000_000L >> TICK_SHIFT;

    private final AtomicLongArray slots;
    private final int mask;
    private final long interval;
    private final long tolerance;
    private final long window;
    private final Ticker ticker;
    private final long origin;
    private final long seed;

    /**
     * A table of at least {@code entries} entries (rounded up to a power of two, at least 2), admitting
     * {@code rate} events a second per key, 1..{@value #MAX_RATE}, and charging refused ones up to
     * {@code windowSeconds} (at least 1) ahead.
     */
    public RateTable(int entries, long rate, int windowSeconds, Ticker ticker) {
        this(entries, rate, windowSeconds, ticker, ThreadLocalRandom.current().nextLong());
    }

    /**
     * As {@link #RateTable(int, long, int, Ticker)}, keys mixed with {@code seed}: which keys share a slot and a
     * fingerprint depends on it, so tests that count on two keys not being taken for one another fix it.
     */
    RateTable(int entries, long rate, int windowSeconds, Ticker ticker, long seed) {
        if (rate < 1 || rate > MAX_RATE) {
            throw new IllegalArgumentException("rate must be 1.." + MAX_RATE + " a second, was " + rate);
        }
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("window must be at least 1 second, was " + windowSeconds);
        }
        if (entries < 1 || entries > 1 << 30) {
            throw new IllegalArgumentException("entries must be 1.." + (1 << 30) + ", was " + entries);
        }
        int size = Math.max(2, Integer.highestOneBit(entries - 1) << 1);
        this.slots = new AtomicLongArray(size);
        this.mask = size - 1;
        this.interval = MAX_RATE / rate;
        this.tolerance = interval * rate; // exactly `rate` events at once, whatever the rounding of the interval
        this.window = tolerance * windowSeconds;
        this.ticker = ticker;
        this.origin = ticker.read();
        this.seed = seed;
    }

    /** Number of entries: the most keys tracked at once (8 bytes each). */
    public int entries() {
        return mask + 1;
    }

    /** Counts one event of {@code key}; true if it is within the rate. */
    public boolean admit(long key) {
        long h = mix(key ^ seed);
        long fingerprint = (h >>> TIME_BITS | 1) << TIME_BITS;
        int first = (int) h & mask;
        long now = (ticker.read() - origin) >>> TICK_SHIFT;
        while (true) {
            int slot = first;
            long entry = slots.get(first);
            if ((entry & ~TIME_MASK) != fingerprint) {
                int other = first ^ 1;
                long second = slots.get(other);
                if ((second & ~TIME_MASK) == fingerprint || ahead(entry, now) > ahead(second, now)) {
                    slot = other;
                    entry = second;
                }
            }
            // Time ahead of now this key owes: 0 for a new, idle or evicted key.
            long owed = (entry & ~TIME_MASK) == fingerprint ? ahead(entry, now) : 0;
            boolean admitted = owed + interval <= tolerance;
            long next = Math.min(owed + interval, window);
            if (slots.compareAndSet(slot, entry, fingerprint | (now + next) & TIME_MASK)) {
                return admitted;
            }
        }
    }

    /**
     * How far ahead of {@code now} an entry's time is; 0 if it is past, and also if it is further ahead than any
     * live entry can be, which is a stale entry seen across the wrap of the 48-bit time.
     */
    private long ahead(long entry, long now) {
        long d = ((entry & TIME_MASK) - now) << (64 - TIME_BITS) >> (64 - TIME_BITS);
        return d > 0 && d <= window ? d : 0;
    }

    /** Spreads the key's bits over the slot index and the fingerprint (the finalizer of SplitMix64). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
