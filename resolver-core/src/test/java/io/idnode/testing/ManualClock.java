package io.idnode.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Time moved by hand, so that tests of expiry need no sleeps. One source for every kind of time the code takes:
 * a UTC wall {@link Clock}, a Caffeine {@link Ticker}, and monotonic nanoseconds as a {@link LongSupplier};
 * {@link #advance} moves them together. Thread-safe.
 */
public final class ManualClock extends Clock implements Ticker, LongSupplier {
    /** Where the monotonic reading starts: like {@link System#nanoTime()}, it is unrelated to the wall clock. */
    public static final long NANO_ORIGIN = 1_000_000_000L;

    private final Instant start;
    private final AtomicLong elapsedNanos = new AtomicLong();

    /** A clock whose wall time starts at {@code start}. */
    public ManualClock(Instant start) {
        this.start = start;
    }

    /** A clock whose wall time starts at {@code startMillis} after the epoch. */
    public ManualClock(long startMillis) {
        this(Instant.ofEpochMilli(startMillis));
    }

    /** Moves every reading forward by {@code d}; time never goes back. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not go back, got " + d);
        }
        elapsedNanos.addAndGet(d.toNanos());
    }

    /** The wall time. */
    @Override
    public Instant instant() {
        return start.plusNanos(elapsedNanos.get());
    }

    /** The wall time in milliseconds after the epoch. */
    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    /** The monotonic reading in nanoseconds, {@link #NANO_ORIGIN} at the start. */
    @Override
    public long read() {
        return NANO_ORIGIN + elapsedNanos.get();
    }

    /** The same as {@link #read()}, for code that takes a nanosecond supplier. */
    @Override
    public long getAsLong() {
        return read();
    }

    /** UTC. */
    @Override
    public ZoneOffset getZone() {
        return ZoneOffset.UTC;
    }

    /** This clock: it has one zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
