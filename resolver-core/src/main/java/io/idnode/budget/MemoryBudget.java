package io.idnode.budget;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bound in bytes on memory that remote parties can make the node hold (requests waiting for a challenge
 * answer, partial frames, reassembly buffers, queued work). A holder reserves what it is about to keep and
 * releases it when it lets go; a reservation that would pass the limit is refused, counted, and the holder
 * refuses the request (handle-protocol.md §3.2: 3, server too busy) or drops other held state. The name
 * is the setting that sets the limit, so that refusal counts and the documentation use one word.
 * Thread-safe and lock-free: one compare-and-set per reservation.
 */
public final class MemoryBudget {
    private final String name;
    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final LongAdder refused = new LongAdder();

    /** A budget of {@code limitBytes} (at least 1) named after the setting {@code name}. */
    public MemoryBudget(String name, long limitBytes) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 byte, got " + limitBytes);
        }
        this.name = name;
        this.limit = limitBytes;
    }

    /** Reserves {@code bytes} if they fit under the limit; otherwise counts a refusal and returns false. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
        }
        while (true) {
            long now = used.get();
            long next = now + bytes;
            if (next > limit) {
                refused.increment();
                return false;
            }
            if (used.compareAndSet(now, next)) {
                return true;
            }
        }
    }

    /** Returns {@code bytes} reserved earlier. */
    public void release(long bytes) {
        long left = used.addAndGet(-bytes);
        if (left < 0) {
            throw new IllegalStateException(name + ": released more than was reserved (" + left + ")");
        }
    }

    /** The setting this budget stands for, e.g. {@code challenge-memory}. */
    public String name() {
        return name;
    }

    /** The limit in bytes. */
    public long limit() {
        return limit;
    }

    /** Bytes reserved now. */
    public long used() {
        return used.get();
    }

    /** Reservations refused since the budget was made. */
    public long refused() {
        return refused.sum();
    }

    @Override
    public String toString() {
        return name + " " + used.get() + "/" + limit + " bytes";
    }
}
