package io.idnode.replication;

import io.idnode.store.RecordStore;
import io.idnode.store.RocksDbRecordStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * One member of a replicated group, running: its Raft server (on the member's Raft port), the
 * {@link RecordStateMachine} over its RocksDB replica in {@code DATA/db}, the Raft log and snapshots in
 * {@code DATA/raft}, and the {@link ReplicatedRecordStore} the node serves from. Closing stops them in reverse.
 */
public final class ClusterMember implements AutoCloseable {
    /** Folder of the Raft log and snapshots inside the data folder. */
    public static final String RAFT_DIR = "raft";

    private final ClusterConfig service;
    private final ClusterConfig cluster;
    private final ClusterConfig.Member self;
    private final RaftGroup group;
    private final RaftServer server;
    private final RecordStateMachine machine;
    private final ReplicatedRecordStore store;
    // Runs the member's watches of its Raft server: StuckFollowerWatch and LeaderSilence.
    private final ScheduledExecutorService watches;

    private ClusterMember(ClusterConfig service, ClusterConfig cluster, ClusterConfig.Member self, RaftGroup group,
            RaftServer server, RecordStateMachine machine, ReplicatedRecordStore store,
            ScheduledExecutorService watches) {
        this.service = service;
        this.cluster = cluster;
        this.self = self;
        this.group = group;
        this.server = server;
        this.machine = machine;
        this.store = store;
        this.watches = watches;
    }

    /**
     * How a member opens its replica: RocksDB with {@code blockCacheBytes} of block cache, neither syncing nor
     * keeping RocksDB's own write-ahead log, since the replica is rebuilt from the newest snapshot and the Raft
     * log whenever the member starts ({@link RecordStateMachine}).
     */
    public static Function<Path, RocksDbRecordStore> replicaOpener(long blockCacheBytes) {
        return dir -> RocksDbRecordStore.builder(dir).blockCacheBytes(blockCacheBytes).syncWrites(false)
                .writeAheadLog(false).open();
    }

    /**
     * Starts member {@code memberId} of {@code cluster} with its data in {@code dataDir} (its replica in
     * {@code dbDir}), opening the replica with {@code opener} and serving reads through {@code cache} (the hot
     * cache over the replica, or the replica itself).
     */
    public static ClusterMember start(ClusterConfig cluster, String memberId, Path dataDir, Path dbDir,
            Function<Path, RocksDbRecordStore> opener, Function<RecordStore, RecordStore> cache,
            ReplicationSettings settings) throws IOException {
        return start(cluster, memberId, dataDir, dbDir, opener, cache, settings, false);
    }

    /**
     * As {@link #start(ClusterConfig, String, Path, Path, Function, Function, ReplicationSettings)}; with
     * {@code join}, a new member of a running group starts outside its configuration (an empty start group) and
     * waits for the leader to add it ({@code idnode cluster add}): started inside, it would stand for election,
     * and the members, not knowing it, would have Ratis shut it down. Once its Raft log holds the group's
     * configuration, {@code join} changes nothing.
     */
    public static ClusterMember start(ClusterConfig cluster, String memberId, Path dataDir, Path dbDir,
            Function<Path, RocksDbRecordStore> opener, Function<RecordStore, RecordStore> cache,
            ReplicationSettings settings, boolean join) throws IOException {
        ClusterConfig.Member self = cluster.member(memberId);
        ClusterConfig shard = cluster.shard(self.server());
        RaftGroup group = group(shard);
        RaftGroup startGroup = join ? RaftGroup.valueOf(group.getGroupId()) : group;
        RaftProperties properties = serverProperties(self, dataDir.resolve(RAFT_DIR).toAbsolutePath(), settings);
        RecordStateMachine machine = new RecordStateMachine(dbDir, opener);
        RecordStore reads = cache.apply(machine.local());
        Runnable invalidate = reads instanceof io.idnode.cache.CachingRecordStore c ? c::invalidateAll : () -> { };
        machine.applyThrough(reads, invalidate);
        RaftServer server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(self.id())).setGroup(startGroup)
                .setStateMachine(machine).setProperties(properties).setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        ScheduledExecutorService watches = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raft-watch-" + self.id());
            t.setDaemon(true);
            return t;
        });
        LeaderSilence silence = new LeaderSilence(server, group.getGroupId(), watches);
        new StuckFollowerWatch(server, group.getGroupId(), watches);
        try {
            server.start();
            ReplicatedRecordStore store = new ReplicatedRecordStore(machine.local(), reads, machine,
                    () -> client(group, settings), settings.writeTimeout(), silence,
                    settings.electionTimeout().multipliedBy(3));
            return new ClusterMember(cluster, shard, self, group, server, machine, store, watches);
        } catch (IOException | RuntimeException | Error e) {
            watches.shutdownNow();
            server.close();
            throw e;
        }
    }

    /**
     * The Raft group of {@code cluster}, whose members are all of one server (a single-shard file, or
     * {@link ClusterConfig#shard}): one peer per member, its id derived from the cluster's name and, past server 1,
     * the server's number (so server 1 keeps the id of a single-shard service).
     */
    public static RaftGroup group(ClusterConfig cluster) {
        List<Integer> servers = cluster.members().stream().map(ClusterConfig.Member::server).distinct().toList();
        if (servers.size() > 1) {
            throw new IllegalArgumentException("cluster " + cluster.name() + " has " + servers.size() + " servers,"
                    + " one Raft group each: take the group of one (ClusterConfig.shard)");
        }
        int server = servers.isEmpty() ? 1 : servers.get(0);
        String key = "idnode-cluster:" + cluster.name() + (server == 1 ? "" : ":server:" + server);
        UUID id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
        List<RaftPeer> peers = cluster.members().stream().map(ClusterMember::peer).toList();
        return RaftGroup.valueOf(RaftGroupId.valueOf(id), peers);
    }

    /** The Raft peer of {@code member}. */
    static RaftPeer peer(ClusterConfig.Member member) {
        return RaftPeer.newBuilder().setId(member.id()).setAddress(member.raftAddress())
                .setStartupRole(member.listener() ? RaftPeerRole.LISTENER : RaftPeerRole.FOLLOWER).build();
    }

    /**
     * A Raft client of {@code group} that gives a write up after the write timeout (no majority: fail fast).
     * Each attempt waits at most one election timeout: Ratis' Netty client does not fail the replies still pending
     * on a connection that closed, so an attempt sent to a leader that died ends only at this timeout, and the
     * retry that finds the new leader cannot start earlier. Retries are safe: the group's retry cache answers a
     * repeated call with the first call's reply.
     */
    static RaftClient client(RaftGroup group, ReplicationSettings settings) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        NettyConfigKeys.Client.setUseEpoll(p, false);
        long attempt = Math.max(100, Math.min(settings.electionTimeout().toMillis(),
                settings.writeTimeout().toMillis() / 2));
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(attempt, TimeUnit.MILLISECONDS));
        long sleep = 100;
        int attempts = (int) Math.max(1, settings.writeTimeout().toMillis() / sleep);
        return RaftClient.newBuilder().setRaftGroup(group).setProperties(p)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
                        TimeDuration.valueOf(sleep, TimeUnit.MILLISECONDS)))
                .build();
    }

    private static RaftProperties serverProperties(ClusterConfig.Member self, Path raftDir,
            ReplicationSettings settings) throws IOException {
        Files.createDirectories(raftDir);
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setHost(p, self.address().getHostAddress());
        NettyConfigKeys.Server.setPort(p, self.raftPort());
        // NIO for the Raft traffic: the shaded native epoll of Ratis' Netty stalls its first use in a node that
        // loads the node's own native transport too, and Raft messages are few.
        NettyConfigKeys.Server.setUseEpoll(p, false);
        NettyConfigKeys.Client.setUseEpoll(p, false);
        RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(settings.electionTimeout().toMillis(),
                TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(settings.electionTimeout().toMillis() * 2,
                TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, settings.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 1);
        // The log is compacted behind each snapshot; a member that lags behind it installs the snapshot.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, Math.max(1,
                settings.snapshotEvery() / 2)));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(settings.logSegmentBytes()));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
        // Read-only requests (the read index of authoritative resolutions, sent to the leader) are answered only
        // once the leader has confirmed with a majority that it still leads.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // With a leader lease the leader answers a read index at once while a majority has acknowledged its
        // messages within the lease (0.9 of the least election timeout), instead of a heartbeat round per read.
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        return p;
    }

    /** The store the node serves from. */
    public ReplicatedRecordStore store() {
        return store;
    }

    /** This member's entry in the cluster file. */
    public ClusterConfig.Member self() {
        return self;
    }

    /** The members of this member's Raft group (its server; the whole file in a single-shard service). */
    public ClusterConfig cluster() {
        return cluster;
    }

    /** The whole cluster file: every site and server of the service. */
    public ClusterConfig service() {
        return service;
    }

    /** The Raft group. */
    public RaftGroup group() {
        return group;
    }

    /** The Raft server, for status and administration. */
    public RaftServer server() {
        return server;
    }

    /** The index of the last log entry this member has applied. */
    public long appliedIndex() {
        return machine.appliedIndex();
    }

    /** The live RocksDB replica now (replaced when a snapshot is installed). */
    public RocksDbRecordStore replica() {
        return machine.local().current();
    }

    /** Stops taking writes, then stops the client and the Raft server (which closes the state machine). */
    @Override
    public void close() throws IOException {
        watches.shutdownNow();
        try {
            store.close();
        } finally {
            server.close();
        }
    }

    /** Compares by identity; {@code toString} names the member. */
    @Override
    public String toString() {
        return "member " + self.id() + " of " + cluster.name() + (service.servers() > 1 ? " (server "
                + self.server() + ")" : "");
    }

}
