package io.idnode.budget;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts things held for remote parties (connections, sessions) overall and per source address, so that no
 * single source can take all of them: an acquisition beyond either bound is refused and counted by bound.
 * Sources are compared by value ({@link java.net.InetAddress} equality). Thread-safe; meant for
 * connection and session set-up, not for every request.
 */
public final class SourceQuota {
    private final int maxTotal;
    private final int maxPerSource;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentMap<Object, Integer> bySource = new ConcurrentHashMap<>();
    private final LongAdder refusedTotal = new LongAdder();
    private final LongAdder refusedPerSource = new LongAdder();

    /** At most {@code maxTotal} in all and {@code maxPerSource} for any one source (both at least 1). */
    public SourceQuota(int maxTotal, int maxPerSource) {
        if (maxTotal < 1 || maxPerSource < 1) {
            throw new IllegalArgumentException("quotas must be at least 1, got " + maxTotal + " in all and "
                    + maxPerSource + " per source");
        }
        this.maxTotal = maxTotal;
        this.maxPerSource = maxPerSource;
    }

    /** Takes one for {@code source} if both bounds allow it; otherwise counts the refusal and returns false. */
    public boolean tryAcquire(Object source) {
        Objects.requireNonNull(source, "source");
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refusedTotal.increment();
            return false;
        }
        boolean[] taken = new boolean[1];
        bySource.compute(source, (k, n) -> {
            int held = n == null ? 0 : n;
            if (held >= maxPerSource) {
                return n;
            }
            taken[0] = true;
            return held + 1;
        });
        if (!taken[0]) {
            total.decrementAndGet();
            refusedPerSource.increment();
        }
        return taken[0];
    }

    /** Gives back one taken for {@code source}. */
    public void release(Object source) {
        boolean[] held = new boolean[1];
        bySource.computeIfPresent(source, (k, n) -> {
            held[0] = true;
            return n == 1 ? null : n - 1;
        });
        if (!held[0]) {
            throw new IllegalStateException("released more than was taken for " + source);
        }
        total.decrementAndGet();
    }

    /** How many are held now in all. */
    public int total() {
        return total.get();
    }

    /** How many are held now for {@code source}. */
    public int held(Object source) {
        return bySource.getOrDefault(source, 0);
    }

    /** The bound in all. */
    public int maxTotal() {
        return maxTotal;
    }

    /** The bound per source. */
    public int maxPerSource() {
        return maxPerSource;
    }

    /** Acquisitions refused because the bound in all was reached. */
    public long refusedTotal() {
        return refusedTotal.sum();
    }

    /** Acquisitions refused because the source had reached its bound. */
    public long refusedPerSource() {
        return refusedPerSource.sum();
    }
}
