package io.idnode.replication;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * How long a member has gone without a leader: it looks every 100 ms whether the member knows one (itself
 * included), and a follower's leader that went silent counts from its last message. Ratis keeps that time only
 * for a candidate; a member whose lone leadership ended and that is waiting as a follower shows no leader and no
 * time. Thread-safe.
 */
final class LeaderSilence {
    static final long PERIOD_MS = 100;

    private final RaftServer server;
    private final RaftGroupId groupId;
    private volatile long lastLeader = System.nanoTime();

    /** Looks at {@code server}'s division of {@code groupId} on {@code timer}, until the timer is shut down. */
    LeaderSilence(RaftServer server, RaftGroupId groupId, ScheduledExecutorService timer) {
        this.server = server;
        this.groupId = groupId;
        timer.scheduleWithFixedDelay(this::look, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void look() {
        try {
            if (server.getDivision(groupId).getInfo().getLeaderId() != null) {
                lastLeader = System.nanoTime();
            }
        } catch (IOException | RuntimeException e) {
            // not running (yet, or any more): no leader known
        }
    }

    /** Milliseconds since this member last knew a leader that was talking to it (0 for a leader). */
    long millis() {
        long none = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastLeader);
        DivisionInfo info;
        try {
            info = server.getDivision(groupId).getInfo();
        } catch (IOException | RuntimeException e) {
            return none;
        }
        if (info.isLeader()) {
            return 0;
        }
        RoleInfoProto role = info.getRoleInfoProto();
        if (info.getLeaderId() != null && role.hasFollowerInfo()) {
            // A leader known but perhaps silent: since its last message.
            return Math.max(none, role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs());
        }
        return none;
    }
}
