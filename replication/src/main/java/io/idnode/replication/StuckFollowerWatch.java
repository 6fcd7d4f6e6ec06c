package io.idnode.replication;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, finds a follower that Ratis 3.2.0 can no longer bring up to date, and steps the leader down.
 *
 * <p>A new leader's first message to each follower is a heartbeat whose previous entry is the leader's last
 * entry from before its term. A follower that holds that entry and, after it, entries of an earlier leader that
 * were never committed (a member that led alone while the majority was stopped keeps such a tail) answers with
 * success and its own next index; the leader takes that as matched, and from then on offers the follower only
 * entries after the tail, which it refuses, and the index the leader falls back to, which it refuses too: the
 * follower's next index swings between two values for as long as that leader leads (RATIS-2605). The sign is
 * unmistakable: a follower whose next index equals its match index (a follower that refused the entry the leader
 * believes it holds) while its match index stands still. A leader that steps down leaves the follower to the
 * next leader, whose last entry, of its own term, the follower does not hold, so the two find their common entry
 * the usual way and the tail is cut.
 */
final class StuckFollowerWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StuckFollowerWatch.class);
    static final long PERIOD_MS = 100;
    /** Sightings of next index = match index, at one match index, before the leader steps down. */
    static final int SIGHTINGS = 3;
    /** How long the match index must have stood still before the leader steps down. */
    static final long STEADY_MS = 2_000;

    private final RaftServer server;
    private final RaftGroupId groupId;
    private final Detector detector = new Detector();

    /** Watches {@code server}'s division of {@code groupId} on {@code timer}, until the timer is shut down. */
    StuckFollowerWatch(RaftServer server, RaftGroupId groupId, ScheduledExecutorService timer) {
        this.server = server;
        this.groupId = groupId;
        timer.scheduleWithFixedDelay(this::check, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            DivisionInfo info = server.getDivision(groupId).getInfo();
            if (!info.isLeader()) {
                detector.reset();
                return;
            }
            long[] nextNow = info.getFollowerNextIndices();
            long[] matchNow = info.getFollowerMatchIndices();
            if (detector.observe(info.getCurrentTerm(), nextNow, matchNow, System.nanoTime())) {
                LOG.warn("a follower refuses the entries this leader believes it holds (next index {}, match index {}"
                        + " unchanged for {} ms; RATIS-2605): stepping down so that the next leader brings it up"
                        + " to date", Arrays.toString(nextNow), Arrays.toString(matchNow), STEADY_MS);
                server.transferLeadershipAsync(new TransferLeadershipRequest(ClientId.randomId(), server.getId(),
                        groupId, 0, null, 5_000)).whenComplete((reply, error) -> {
                            if (error != null || !reply.isSuccess()) {
                                LOG.warn("stepping down failed: {}", error != null ? error : reply.getException());
                            }
                        });
            }
        } catch (IOException | RuntimeException e) {
            detector.reset(); // not running (yet, or any more): nothing to watch
        }
    }

    /** The leader's view of its followers, sample by sample. */
    static final class Detector {
        private long term = -1;
        private long[] match = new long[0];
        private int[] seen = new int[0];
        private long[] since = new long[0];

        void reset() {
            term = -1;
        }

        /**
         * Takes one sample of the leader's view of its followers at {@code now} (nanoseconds) in term {@code
         * leaderTerm}; returns whether a follower is stuck (and starts over, so that it is reported once).
         */
        boolean observe(long leaderTerm, long[] nextNow, long[] matchNow, long now) {
            if (leaderTerm != term || matchNow.length != match.length || nextNow.length != matchNow.length) {
                term = leaderTerm;
                match = matchNow.clone();
                seen = new int[matchNow.length];
                since = new long[matchNow.length];
                Arrays.fill(since, now);
                return false;
            }
            for (int k = 0; k < matchNow.length; k++) {
                if (matchNow[k] != match[k]) {
                    match[k] = matchNow[k];
                    seen[k] = 0;
                    since[k] = now;
                    continue;
                }
                if (matchNow[k] >= 0 && nextNow[k] == matchNow[k]) {
                    seen[k]++;
                }
                if (seen[k] >= SIGHTINGS && now - since[k] >= TimeUnit.MILLISECONDS.toNanos(STEADY_MS)) {
                    term = -1;
                    return true;
                }
            }
            return false;
        }
    }
}
