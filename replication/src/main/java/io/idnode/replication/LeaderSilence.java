package io.idnode.replication;

import java.io.IOException;
import java.util.concurrent.Executors;
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
final class LeaderSilence implements AutoCloseable {
    static final long PERIOD_MS = 100;

    private final RaftServer server;
    private final RaftGroupId groupId;
    private final ScheduledExecutorService timer;
    private volatile long lastLeader = System.nanoTime();

    LeaderSilence(RaftServer server, RaftGroupId groupId) {
        this.server = server;
        this.groupId = groupId;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raft-leader-silence");
            t.setDaemon(true);
            return t;
        });
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

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
