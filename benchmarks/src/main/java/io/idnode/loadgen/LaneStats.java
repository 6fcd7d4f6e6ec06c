package io.idnode.loadgen;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one lane counted for the requests started during measurement: sent, answered (by response code, with
 * latency, and how many signed), timed out, failed (connection or write errors). Confined to the lane's event
 * loop; merged by the generator once the lanes are drained.
 */
final class LaneStats {
    /** Highest latency recorded: one minute, in microseconds (longer ones are clamped). */
    static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(1);

    final Histogram latencyMicros = new Histogram(MAX_LATENCY_MICROS, 3);
    final IntObjectMap<long[]> byCode = new IntObjectHashMap<>();
    long sent;
    long received;
    long timeouts;
    long errors;
    /** Replies that matched no request in flight: late (after their timeout) or not ours. */
    long unmatched;
    /** Answers that carry a credential (a signature or MAC, handle-protocol.md §2.3); not checked here. */
    long signed;

    void answered(int responseCode, boolean hasCredential, long latencyNanos) {
        received++;
        if (hasCredential) {
            signed++;
        }
        long[] count = byCode.get(responseCode);
        if (count == null) {
            count = new long[1];
            byCode.put(responseCode, count);
        }
        count[0]++;
        latencyMicros.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, latencyNanos / 1000)));
    }

    /** Adds {@code other} into this. */
    void add(LaneStats other) {
        sent += other.sent;
        received += other.received;
        timeouts += other.timeouts;
        errors += other.errors;
        unmatched += other.unmatched;
        signed += other.signed;
        latencyMicros.add(other.latencyMicros);
        for (IntObjectMap.PrimitiveEntry<long[]> e : other.byCode.entries()) {
            long[] count = byCode.get(e.key());
            if (count == null) {
                byCode.put(e.key(), new long[] {e.value()[0]});
            } else {
                count[0] += e.value()[0];
            }
        }
    }

    /** Counts by response code, in code order. */
    Map<Integer, Long> codes() {
        Map<Integer, Long> out = new TreeMap<>();
        for (IntObjectMap.PrimitiveEntry<long[]> e : byCode.entries()) {
            out.put(e.key(), e.value()[0]);
        }
        return out;
    }

    LaneStats copy() {
        LaneStats c = new LaneStats();
        c.add(this);
        return c;
    }
}
