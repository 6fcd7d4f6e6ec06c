package io.idnode.replication;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a replicated member.
 *
 * @param writeTimeout how long a write may wait for a majority before it fails (answered 2, ERROR)
 * @param electionTimeout the least time without a leader's heartbeat before a follower stands for election
 *     (Ratis waits between this and twice this)
 * @param snapshotEvery applied entries between snapshots; the log is purged behind each snapshot
 * @param logSegmentBytes size of a Raft log segment file; only whole segments behind a snapshot are purged
 */
public record ReplicationSettings(Duration writeTimeout, Duration electionTimeout, long snapshotEvery,
        long logSegmentBytes) {
    /** Defaults: writes fail after 5 s without a majority, elections after 1-2 s, a snapshot every 20000 entries. */
    public static final ReplicationSettings DEFAULTS = new ReplicationSettings(Duration.ofSeconds(5),
            Duration.ofMillis(1000), 20_000, 8L << 20);

    public ReplicationSettings {
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(electionTimeout, "electionTimeout");
        if (writeTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("writeTimeout must be at least 100 ms, got " + writeTimeout);
        }
        if (electionTimeout.toMillis() < 50) {
            throw new IllegalArgumentException("electionTimeout must be at least 50 ms, got " + electionTimeout);
        }
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshotEvery must be at least 1, got " + snapshotEvery);
        }
        if (logSegmentBytes < 1024) {
            throw new IllegalArgumentException("logSegmentBytes must be at least 1024, got " + logSegmentBytes);
        }
    }
}
