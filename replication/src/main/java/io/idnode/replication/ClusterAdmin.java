package io.idnode.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.proto.RaftProtos.LogInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

/**
 * Administration of a running replicated group through Ratis' client API, the members' Raft addresses taken
 * from the cluster file: {@link #status()} asks every member for its role and log indexes (group info);
 * {@link #add}, {@link #remove} and {@link #promote} change the membership by Raft reconfiguration (joint
 * consensus, compared against the configuration read just before, so two operators cannot overwrite each
 * other's change); {@link #transferLeader} and {@link #snapshot} wrap the admin and snapshot calls. A refusal
 * (member unknown, nothing to do) and a failure (no quorum, a member unreachable) are {@link AdminException}s
 * whose message says what to fix.
 */
public final class ClusterAdmin implements AutoCloseable {
    /** Longest wait for one member's answer to a status question: a stopped machine must not stall status. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final long RETRY_SLEEP_MILLIS = 200;

    private final ClusterConfig cluster;
    private final RaftGroup group;
    private final Duration timeout;
    private final RaftClient probe;
    private final RaftClient admin;

    /** Why a command was refused ({@link #refused()}: nothing was tried) or failed (it was tried). */
    public static final class AdminException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean refused;

        AdminException(boolean refused, String message) {
            super(message);
            this.refused = refused;
        }

        /** True when the request itself was wrong (an unknown member, nothing to change): exit code 2. */
        public boolean refused() {
            return refused;
        }
    }

    /**
     * An administrator of the group of {@code cluster} (a single-shard file, or one server's
     * {@link ClusterConfig#shard}); {@code timeout} bounds each change (a new member's catching up included).
     */
    public ClusterAdmin(ClusterConfig cluster, Duration timeout) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.group = ClusterMember.group(cluster);
        Duration probeTimeout = timeout.compareTo(PROBE_TIMEOUT) < 0 ? timeout : PROBE_TIMEOUT;
        this.probe = client(group, probeTimeout, RetryPolicies.noRetry());
        int attempts = (int) Math.max(1, timeout.toMillis() / RETRY_SLEEP_MILLIS);
        this.admin = client(group, timeout, RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
                TimeDuration.valueOf(RETRY_SLEEP_MILLIS, TimeUnit.MILLISECONDS)));
    }

    private static RaftClient client(RaftGroup group, Duration requestTimeout, RetryPolicy retry) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        NettyConfigKeys.Client.setUseEpoll(p, false);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder().setRaftGroup(group).setProperties(p).setRetryPolicy(retry).build();
    }

    /** What one member said about itself, or why it said nothing. */
    private record Answer(String id, String raftAddress, GroupInfoReply reply, String error) {
        boolean leads() {
            return reply != null && reply.getRoleInfoProto().getRole() == RaftPeerRole.LEADER;
        }

        long term() {
            if (reply == null) {
                return -1;
            }
            if (reply.getRoleInfoProto().hasLeaderInfo()) {
                return reply.getRoleInfoProto().getLeaderInfo().getTerm();
            }
            return log(reply).getLastEntry().getTerm();
        }
    }

    /** The group as its members describe it now; members that do not answer are listed with the reason. */
    public ClusterStatus status() {
        Map<String, Answer> answers = new LinkedHashMap<>();
        for (ClusterConfig.Member m : cluster.members()) {
            answers.put(m.id(), ask(m.id(), m.raftAddress()));
        }
        Optional<Answer> leader = leader(answers);
        Optional<Configuration> conf = configuration(answers, leader);
        // Peers of the group's configuration the cluster file does not name (added from another copy of it).
        conf.ifPresent(c -> {
            List<RaftPeer> extra = new ArrayList<>();
            for (RaftPeer p : c.peers()) {
                if (!answers.containsKey(p.getId().toString())) {
                    extra.add(p);
                }
            }
            probe.getClientRpc().addRaftPeers(extra);
            extra.forEach(p -> answers.put(p.getId().toString(), ask(p.getId().toString(), p.getAddress())));
        });
        long leaderCommit = leader.map(a -> log(a.reply()).getCommitted().getIndex()).orElse(-1L);
        List<ClusterStatus.Member> members = new ArrayList<>();
        for (Answer a : answers.values()) {
            ClusterStatus.Membership membership = conf.map(c -> c.membership(a.id()))
                    .orElseGet(() -> fileMembership(a.id()));
            if (a.reply() == null) {
                members.add(new ClusterStatus.Member(a.id(), a.raftAddress(), membership, Optional.empty(), -1, -1,
                        -1, -1, Optional.of(a.error())));
                continue;
            }
            LogInfoProto log = log(a.reply());
            long applied = log.hasApplied() ? log.getApplied().getIndex() : -1;
            long lag = leader.isPresent() && membership != ClusterStatus.Membership.OUTSIDE
                    ? Math.max(0, leaderCommit - applied) : -1;
            members.add(new ClusterStatus.Member(a.id(), a.raftAddress(), membership,
                    Optional.of(a.reply().getRoleInfoProto().getRole().name()),
                    log.hasCommitted() ? log.getCommitted().getIndex() : -1, applied,
                    log.hasLastSnapshot() ? log.getLastSnapshot().getIndex() : -1, lag, Optional.empty()));
        }
        long term = leader.map(Answer::term).orElseGet(() -> answers.values().stream().mapToLong(Answer::term).max()
                .orElse(-1));
        long voters = members.stream().filter(m -> m.membership() == ClusterStatus.Membership.VOTER).count();
        long answering = members.stream().filter(m -> m.membership() == ClusterStatus.Membership.VOTER
                && m.reachable()).count();
        return new ClusterStatus(group.getGroupId().getUuid().toString(), leader.map(Answer::id), term,
                voters > 0 && answering > voters / 2, members);
    }

    /**
     * Adds member {@code id} of the cluster file to the group (as a voter, or a listener if the file says so)
     * once it answers at its Raft address; returns when the group has committed the new configuration, the
     * member having caught up (from a snapshot if the log behind it was purged).
     */
    public void add(String id) throws AdminException {
        ClusterConfig.Member m = fileMember(id, "add");
        Current current = current();
        if (current.has(id)) {
            throw new AdminException(true, "member " + id + " is in the group already (as a " + (current.voter(id)
                    ? "voter" : "listener") + "); nothing to add");
        }
        Answer answer = ask(id, m.raftAddress());
        if (answer.reply() == null) {
            throw new AdminException(false, "member " + id + " does not answer: " + answer.error() + "; start it"
                    + " first (serve --cluster FILE --member " + id + " --join) with a cluster file that names it");
        }
        List<RaftPeer> voters = new ArrayList<>(current.voters());
        List<RaftPeer> listeners = new ArrayList<>(current.listeners());
        (m.listener() ? listeners : voters).add(ClusterMember.peer(m));
        change(current, voters, listeners, "add " + id);
    }

    /**
     * Removes {@code id} from the group (a dead machine's member, or one retired); the remaining voters must
     * keep a majority answering for the change to commit.
     */
    public void remove(String id) throws AdminException {
        Current current = current();
        if (!current.has(id)) {
            throw new AdminException(true, "member " + id + " is not in the group (members: " + current.ids() + ")");
        }
        List<RaftPeer> voters = current.voters().stream().filter(p -> !p.getId().toString().equals(id)).toList();
        if (voters.isEmpty()) {
            throw new AdminException(true, "member " + id + " is the last voter; a group needs one");
        }
        List<RaftPeer> listeners = current.listeners().stream().filter(p -> !p.getId().toString().equals(id))
                .toList();
        change(current, voters, listeners, "remove " + id);
    }

    /** Makes listener {@code id} (a disaster-recovery site) a voter: it counts in elections and commits. */
    public void promote(String id) throws AdminException {
        Current current = current();
        if (!current.has(id)) {
            throw new AdminException(true, "member " + id + " is not in the group (members: " + current.ids() + ")");
        }
        if (current.voter(id)) {
            throw new AdminException(true, "member " + id + " is a voter already; nothing to promote");
        }
        List<RaftPeer> voters = new ArrayList<>(current.voters());
        List<RaftPeer> listeners = new ArrayList<>();
        for (RaftPeer p : current.listeners()) {
            if (p.getId().toString().equals(id)) {
                voters.add(RaftPeer.newBuilder(p).setStartupRole(RaftPeerRole.FOLLOWER).build());
            } else {
                listeners.add(p);
            }
        }
        change(current, voters, listeners, "promote " + id);
    }

    /** Makes voter {@code id} the leader (before maintenance of the leader's machine, say). */
    public void transferLeader(String id) throws AdminException {
        Current current = current();
        if (!current.voter(id)) {
            throw new AdminException(true, "member " + id + " is not a voter of the group (voters: "
                    + current.voters().stream().map(p -> p.getId().toString()).toList() + ")");
        }
        if (current.leader().equals(id)) {
            return;
        }
        try {
            RaftClientReply reply = admin.admin().transferLeadership(RaftPeerId.valueOf(id), timeout.toMillis());
            if (!reply.isSuccess()) {
                throw new AdminException(false, "leadership not transferred to " + id + ": " + reply.getException());
            }
        } catch (IOException e) {
            throw new AdminException(false, "leadership not transferred to " + id + ": " + e.getMessage());
        }
    }

    /**
     * Has member {@code id} (the leader when empty) take a snapshot now, which also lets it purge its log
     * behind it; returns the log index the snapshot holds.
     */
    public long snapshot(Optional<String> id) throws AdminException {
        String target;
        String address;
        if (id.isPresent()) {
            target = id.get();
            ClusterStatus.Member m = status().member(target).orElseThrow(() -> new AdminException(true, "member "
                    + target + " is neither in the cluster file nor in the group"));
            address = m.raftAddress();
        } else {
            target = current().leader();
            address = status().member(target).map(ClusterStatus.Member::raftAddress).orElse(target);
        }
        try {
            RaftClientReply reply = probe.getSnapshotManagementApi(RaftPeerId.valueOf(target)).create(true,
                    timeout.toMillis());
            if (!reply.isSuccess()) {
                throw new AdminException(false, "member " + target + " took no snapshot: " + reply.getException());
            }
            return reply.getLogIndex();
        } catch (IOException e) {
            throw new AdminException(false, "member " + target + " unreachable at " + address + ": " + e.getMessage());
        }
    }

    /**
     * The peers of the group's configuration as a member reported them (its group: voters and listeners, old and
     * new while a change is under way). Ratis 3.2.0 leaves the configuration itself out of a group info reply on
     * the wire ({@code ClientProtoUtils.toGroupInfoReplyProto}), so a peer is a listener when its start-up role
     * says so: every listener of the cluster file and every one {@link #add} adds has it, {@link #promote}
     * clears it.
     */
    private record Configuration(List<RaftPeer> peers) {
        ClusterStatus.Membership membership(String id) {
            return peers.stream().filter(p -> p.getId().toString().equals(id)).findFirst()
                    .map(p -> p.getStartupRole() == RaftPeerRole.LISTENER ? ClusterStatus.Membership.LISTENER
                            : ClusterStatus.Membership.VOTER)
                    .orElse(ClusterStatus.Membership.OUTSIDE);
        }
    }

    /** The group's configuration as its leader holds it now, split into voters and listeners. */
    private record Current(String leader, List<RaftPeer> voters, List<RaftPeer> listeners) {
        boolean voter(String id) {
            return voters.stream().anyMatch(p -> p.getId().toString().equals(id));
        }

        boolean has(String id) {
            return voter(id) || listeners.stream().anyMatch(p -> p.getId().toString().equals(id));
        }

        List<String> ids() {
            List<String> ids = new ArrayList<>();
            voters.forEach(p -> ids.add(p.getId().toString()));
            listeners.forEach(p -> ids.add(p.getId() + " (listener)"));
            return ids;
        }
    }

    /** The leader and its configuration; fails saying who did not answer when no leader does. */
    private Current current() throws AdminException {
        ClusterStatus status = status();
        if (status.leader().isEmpty() || !status.quorum()) {
            String silent = status.members().stream().filter(m -> !m.reachable())
                    .map(m -> m.id() + " " + m.error().orElse("")).collect(Collectors.joining("; "));
            throw new AdminException(false, "no quorum: " + (status.leader().isEmpty() ? "no member leads the group"
                    : "the leader " + status.leader().get() + " cannot reach a majority") + (silent.isEmpty() ? ""
                    : "; not answering: " + silent) + ". Start the stopped members, or fix the addresses in the"
                    + " cluster file");
        }
        String leader = status.leader().get();
        List<RaftPeer> voters = new ArrayList<>();
        List<RaftPeer> listeners = new ArrayList<>();
        Answer a = ask(leader, status.member(leader).map(ClusterStatus.Member::raftAddress).orElse(leader));
        if (!a.leads()) {
            throw new AdminException(false, "the leader changed while asking (" + leader + " " + (a.reply() == null
                    ? a.error() : "is " + a.reply().getRoleInfoProto().getRole()) + "); try again");
        }
        for (RaftPeer p : a.reply().getGroup().getPeers()) {
            ClusterStatus.Membership m = status.member(p.getId().toString()).map(ClusterStatus.Member::membership)
                    .orElse(p.getStartupRole() == RaftPeerRole.LISTENER ? ClusterStatus.Membership.LISTENER
                            : ClusterStatus.Membership.VOTER);
            (m == ClusterStatus.Membership.LISTENER ? listeners : voters).add(p);
        }
        return new Current(leader, voters, listeners);
    }

    private void change(Current current, List<RaftPeer> voters, List<RaftPeer> listeners, String what)
            throws AdminException {
        SetConfigurationRequest.Arguments args = SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(voters).setListenersInNewConf(listeners)
                .setServersInCurrentConf(current.voters()).setListenersInCurrentConf(current.listeners())
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET).build();
        try {
            RaftClientReply reply = admin.admin().setConfiguration(args);
            if (!reply.isSuccess()) {
                throw new AdminException(false, what + " failed: " + reply.getException());
            }
        } catch (IOException e) {
            throw new AdminException(false, what + " failed: " + e.getMessage() + " (no quorum, or the new member"
                    + " did not catch up within " + timeout.toSeconds() + " s; see cluster status)");
        }
    }

    private ClusterConfig.Member fileMember(String id, String command) throws AdminException {
        return cluster.members().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow(() ->
                new AdminException(true, "member " + id + " is not in the cluster file (members: " + cluster.members()
                        .stream().map(ClusterConfig.Member::id).toList() + "); to " + command + " it, add its "
                        + "member." + id + ".address, .port and .raft-port lines first"));
    }

    private Answer ask(String id, String raftAddress) {
        try {
            GroupInfoReply reply = probe.getGroupManagementApi(RaftPeerId.valueOf(id)).info(group.getGroupId());
            if (!reply.isSuccess()) {
                return new Answer(id, raftAddress, null, "answered at " + raftAddress + " with "
                        + reply.getException());
            }
            return new Answer(id, raftAddress, reply, null);
        } catch (IOException | RuntimeException e) {
            return new Answer(id, raftAddress, null, "unreachable at " + raftAddress + " (" + e.getClass()
                    .getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static LogInfoProto log(GroupInfoReply reply) {
        return reply.getLogInfoProto() == null ? LogInfoProto.getDefaultInstance() : reply.getLogInfoProto();
    }

    private static Optional<Answer> leader(Map<String, Answer> answers) {
        return answers.values().stream().filter(Answer::leads).max(Comparator.comparingLong(Answer::term));
    }

    private static Optional<Configuration> configuration(Map<String, Answer> answers, Optional<Answer> leader) {
        Optional<Answer> source = leader.or(() -> answers.values().stream().filter(a -> a.reply() != null)
                .max(Comparator.comparingLong(Answer::term)));
        return source.map(a -> new Configuration(List.copyOf(a.reply().getGroup().getPeers())));
    }

    private ClusterStatus.Membership fileMembership(String id) {
        return cluster.members().stream().filter(m -> m.id().equals(id)).findFirst()
                .map(m -> m.listener() ? ClusterStatus.Membership.LISTENER : ClusterStatus.Membership.VOTER)
                .orElse(ClusterStatus.Membership.OUTSIDE);
    }

    /** Closes the Ratis clients. */
    @Override
    public void close() throws IOException {
        try {
            probe.close();
        } finally {
            admin.close();
        }
    }
}
