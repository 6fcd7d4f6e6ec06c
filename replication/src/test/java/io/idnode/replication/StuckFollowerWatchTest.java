package io.idnode.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The leader's view of two followers, sampled every 100 ms as the watch does. */
class StuckFollowerWatchTest {
    private static final long STEP = TimeUnit.MILLISECONDS.toNanos(StuckFollowerWatch.PERIOD_MS);

    /** Samples until the detector reports, at most {@code samples} times; returns the sample that reported. */
    private static int firstReport(StuckFollowerWatch.Detector d, long term, int samples, SampleSource source) {
        for (int s = 0; s < samples; s++) {
            long[][] view = source.at(s);
            if (d.observe(term, view[0], view[1], s * STEP)) {
                return s;
            }
        }
        return -1;
    }

    private interface SampleSource {
        long[][] at(int sample);
    }

    @Test
    void aFollowerSwingingAroundAStillMatchIndexIsReportedOnceAfterTheSteadyTime() {
        var d = new StuckFollowerWatch.Detector();
        // Follower 0 follows; follower 1 swings between next 3732 and 3733 at match 3732.
        SampleSource swing = s -> new long[][] {{4000 + s + 1, 3732 + s % 2}, {4000 + s, 3732}};
        int reported = firstReport(d, 5, 100, swing);
        assertThat(reported).isGreaterThanOrEqualTo((int) (StuckFollowerWatch.STEADY_MS / StuckFollowerWatch.PERIOD_MS))
                .isLessThan(40);
        // Started over: not reported again at the next sample.
        long[][] view = swing.at(reported + 1);
        assertThat(d.observe(5, view[0], view[1], (reported + 1) * STEP)).isFalse();
    }

    @Test
    void followersThatProgressLagOrInstallASnapshotAreNotReported() {
        var d = new StuckFollowerWatch.Detector();
        // Follower 0 catches up entry by entry; follower 1 was wiped: next far below a match index that stands.
        assertThat(firstReport(d, 5, 200, s -> new long[][] {{101 + s, 1}, {100 + s, 5000}})).isEqualTo(-1);
        // A follower at next = match for a moment, then moving on, is not stuck.
        var moving = new StuckFollowerWatch.Detector();
        assertThat(firstReport(moving, 5, 200, s -> new long[][] {{s < 5 ? 50 : 60 + s}, {s < 5 ? 50 : 59 + s}}))
                .isEqualTo(-1);
    }

    @Test
    void aNewTermStartsTheCountOver() {
        var d = new StuckFollowerWatch.Detector();
        long[] next = {3732};
        long[] match = {3732};
        for (int s = 0; s < 19; s++) {
            assertThat(d.observe(5, next, match, s * STEP)).isFalse();
        }
        // Another term (a new leadership of this member): counted afresh from here.
        for (int s = 19; s < 38; s++) {
            assertThat(d.observe(6, next, match, s * STEP)).isFalse();
        }
        assertThat(d.observe(6, next, match, 40 * STEP)).isTrue();
    }
}
