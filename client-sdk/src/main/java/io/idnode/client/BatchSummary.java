package io.idnode.client;

import java.time.Duration;

/**
 * Counts of a batch's items by outcome, and the time since it started: of a finished batch, or of one
 * still running ({@link BatchRegistration#progress()}).
 */
public record BatchSummary(long created, long alreadyRegistered, long conflicts, long failed, Duration elapsed) {

    /** Items done so far, whatever their outcome. */
    public long total() {
        return created + alreadyRegistered + conflicts + failed;
    }

    /** Items done per second so far (0 before any time has passed). */
    public double ratePerSecond() {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0 : total() * 1e9 / nanos;
    }
}
