package io.idnode.replication;

import java.util.List;
import java.util.Optional;

/**
 * What {@link ClusterAdmin#status()} found by asking every member of a replicated group: who leads, in which
 * term, how far each member has committed and applied the log, and how far it lags behind the leader.
 *
 * @param group the Raft group's id (derived from the cluster's name)
 * @param leader the member that answered as leader, if any answered so
 * @param term the leader's term, or the highest term a member reported when there is no leader
 * @param quorum whether a majority of the voters in the group's configuration answered
 * @param members every member of the cluster file, then any other peer of the group's configuration
 */
public record ClusterStatus(String group, Optional<String> leader, long term, boolean quorum, List<Member> members) {
    public ClusterStatus {
        members = List.copyOf(members);
    }

    /** How a member stands in the group's configuration. */
    public enum Membership {
        /** It votes (a primary site). */
        VOTER,
        /** It follows without voting (a disaster-recovery site). */
        LISTENER,
        /** It is in the cluster file but not (yet, or any more) in the group's configuration. */
        OUTSIDE
    }

    /**
     * One member as it answered, or why it did not.
     *
     * @param id the member's id
     * @param raftAddress where its Raft server listens
     * @param membership its place in the group's configuration (as the leader, or else any member, sees it)
     * @param role the Raft role it reported (LEADER, FOLLOWER, CANDIDATE, LISTENER), empty if it did not answer
     * @param commitIndex the last log index it knows committed, -1 if it did not answer
     * @param appliedIndex the last log index it applied to its store, -1 if it did not answer
     * @param snapshotIndex the log index of its newest snapshot, -1 if none or it did not answer
     * @param lag log entries the leader has committed that this member has not applied; -1 when unknown
     * @param error why it did not answer ({@code unreachable at ADDRESS: ...}), empty if it did
     */
    public record Member(String id, String raftAddress, Membership membership, Optional<String> role,
            long commitIndex, long appliedIndex, long snapshotIndex, long lag, Optional<String> error) {
        /** Whether it answered. */
        public boolean reachable() {
            return error.isEmpty();
        }
    }

    /** The member {@code id}, if it is listed. */
    public Optional<Member> member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
