package io.idnode.server;

import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueTypes;
import io.idnode.replication.ClusterConfig;
import io.idnode.replication.ClusterMember;
import io.idnode.store.RecordStore;
import io.idnode.store.StoreException;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HS_SITE of a member of a replicated service (handle-protocol.md §5.3, §7.2): each member is a site of
 * one server holding a full copy. Voters are primary sites (any of them takes administration, forwarding it
 * to the Raft leader), multi-primary when there are several; listeners (disaster-recovery copies) are
 * secondary. Each member publishes its own HS_SITE into every prefix record, marked with the attribute
 * {@value #MEMBER_ATTRIBUTE} = its id, once it is in the group's configuration; the leader keeps the values
 * following the membership: it drops the site of a removed member and sets the flags of a promoted one. So
 * the prefix record lists every site and stock clients fail over between them. In a service of several servers
 * (shards) each group keeps its own copy of the prefix records, and each member publishes there the HS_SITE of
 * its whole site ({@link #sharded}), so whichever server a client asks lists every site with all its servers.
 */
final class MemberSite {
    /** Site attribute naming the member whose site an HS_SITE value is. */
    static final String MEMBER_ATTRIBUTE = "idnode-member";

    private static final Logger LOG = LoggerFactory.getLogger(MemberSite.class);
    /** Pause between rounds: publishing while the group has no leader, then following the membership. */
    private static final long ROUND_MILLIS = 1000;
    /** Prefix records read per round (0.NA/...). */
    private static final int MAX_PREFIXES = 10_000;
    /** Read-index attempts before the joined line is given up (the member keeps serving). */
    private static final int JOIN_ATTEMPTS = 600;
    /** Start of the line logged once the member has joined its group and applied its log. */
    static final String JOINED = "joined its group:";

    private MemberSite() {
    }

    /**
     * The site of {@code self} in a service of several servers (handle-protocol.md §5.3, §7.2): one server per
     * member of its site, in the order of their server numbers (the position a client's hash picks), each with
     * its address and Handle port from the cluster file (TCP admin+query, UDP query) and {@code signingKey}, the
     * node key the members share; hashed by the whole handle. Every member of the site describes it alike.
     */
    static SiteInfo sharded(HandleKeyCodec keys, ClusterConfig service, ClusterConfig.Member self,
            PublicKey signingKey) {
        List<SiteInfo.ServerInfo> servers = new ArrayList<>();
        SiteInfo own = null;
        for (ClusterConfig.Member m : service.site(self.site())) {
            SiteInfo one = SitePublisher.describe(keys, m.address(), m.port(), signingKey, 1);
            SiteInfo.ServerInfo s = one.servers().get(0);
            servers.add(new SiteInfo.ServerInfo(m.server(), s.address(), s.publicKey(), s.interfaces()));
            if (m.equals(self)) {
                own = one;
            }
        }
        SiteInfo base = java.util.Objects.requireNonNull(own, "member not in its own site");
        return new SiteInfo(base.dataFormatVersion(), base.protocolMajor(), base.protocolMinor(),
                base.serialNumber(), base.primary(), base.multiPrimary(), SiteInfo.HASH_BY_HANDLE, "",
                base.attributes(), servers);
    }

    /** {@code site} with the primary and multi-primary flags of {@code self} in {@code cluster}, and its id. */
    static SiteInfo flags(SiteInfo site, ClusterConfig.Member self, ClusterConfig cluster) {
        long voters = cluster.members().stream().filter(m -> !m.listener()).count();
        List<SiteInfo.Attribute> attributes = new ArrayList<>();
        for (SiteInfo.Attribute a : site.attributes()) {
            if (!a.name().equals(MEMBER_ATTRIBUTE)) {
                attributes.add(a);
            }
        }
        attributes.add(new SiteInfo.Attribute(MEMBER_ATTRIBUTE, self.id()));
        return with(site, !self.listener(), !self.listener() && voters > 1, attributes);
    }

    private static SiteInfo with(SiteInfo site, boolean primary, boolean multiPrimary,
            List<SiteInfo.Attribute> attributes) {
        return new SiteInfo(site.dataFormatVersion(), site.protocolMajor(), site.protocolMinor(),
                site.serialNumber(), primary, multiPrimary, site.hashOption(), site.hashFilter(), attributes,
                site.servers());
    }

    /**
     * Logs {@value #JOINED} once a read index succeeds at {@code member} (it has a leader that a majority
     * follows and has applied the log as far as the group had committed it): the signal that the member serves
     * current records, retried while the group has no leader.
     */
    static void announceJoined(ClusterMember member) throws InterruptedException {
        for (int attempt = 1; attempt <= JOIN_ATTEMPTS; attempt++) {
            try {
                long applied = member.store().readIndex().get();
                LOG.info("{} {} the log applied through index {}", member, JOINED, applied);
                return;
            } catch (ExecutionException e) {
                LOG.info("{} has no read index yet (attempt {}): {}", member, attempt, e.getCause().getMessage());
            }
            Thread.sleep(ROUND_MILLIS / 5);
        }
    }

    /**
     * Index of the member's HS_SITE in the prefix records: where its site is already, else {@code 1 + k} (k: its
     * place in the cluster file) unless another member's site is there, else the lowest index no member's site
     * takes. So a member keeps its index when the cluster file changes.
     */
    static int siteIndex(ClusterMember member) {
        String self = member.self().id();
        Set<Integer> taken = new HashSet<>();
        for (HandleRecord r : prefixRecords(member.store())) {
            for (HandleValue v : r.values()) {
                Optional<String> owner = owner(v);
                if (owner.isPresent() && owner.get().equals(self)) {
                    return v.index();
                }
                owner.ifPresent(o -> taken.add(v.index()));
            }
        }
        int preferred = PrefixRecords.SITE_INDEX + member.cluster().members().indexOf(member.self());
        if (!taken.contains(preferred)) {
            return preferred;
        }
        for (int i = PrefixRecords.SITE_INDEX; i < PrefixRecords.ADMIN_INDEX; i++) {
            if (!taken.contains(i)) {
                return i;
            }
        }
        return preferred;
    }

    /**
     * Runs {@code publish} (a replicated write of the prefix records) on a thread of its own once the member is
     * in the group's configuration, until it succeeds (at start the group may have no leader yet, and members
     * starting together overtake each other's writes); then, every second, publishes again if the member's site
     * went missing and, on the leader, makes the HS_SITE values follow the membership ({@link #follow}).
     */
    static void publishWhenReplicated(ClusterMember member, Runnable publish) {
        Thread t = new Thread(() -> {
            boolean published = false;
            while (true) {
                try {
                    if (inConfiguration(member)) {
                        if (!published || !hasOwnSite(member)) {
                            publish.run();
                            LOG.info("site of {} published in the prefix records", member);
                            if (!published) {
                                announceJoined(member);
                            }
                            published = true;
                        }
                        if (leads(member)) {
                            follow(member);
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (StoreException | IOException e) {
                    LOG.debug("site of {} not published or followed yet: {}", member, e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warn("site of {}: {}", member, e.toString());
                }
                if (member.server().getLifeCycleState().isClosingOrClosed()) {
                    return;
                }
                try {
                    Thread.sleep(ROUND_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "member-site");
        t.setDaemon(true);
        t.start();
    }

    /**
     * On the leader: drops the HS_SITE values of members no longer in the group's configuration and gives the
     * others the flags of their place in it (a voter is primary, multi-primary with other voters; a listener
     * is neither). Values without the member attribute (written by an operator) are left alone. Does nothing
     * while a membership change is under way.
     */
    static void follow(ClusterMember member) throws IOException {
        RaftConfiguration conf = member.server().getDivision(member.group().getGroupId()).getRaftConf();
        if (!conf.getPreviousPeers(RaftPeerRole.FOLLOWER).isEmpty()
                || !conf.getPreviousPeers(RaftPeerRole.LISTENER).isEmpty()) {
            return;
        }
        Set<String> voters = ids(conf, RaftPeerRole.FOLLOWER);
        Set<String> listeners = ids(conf, RaftPeerRole.LISTENER);
        RecordStore store = member.store();
        List<RecordStore.RecordWrite> writes = new ArrayList<>();
        for (HandleRecord r : prefixRecords(store)) {
            List<HandleValue> values = new ArrayList<>();
            boolean changed = false;
            for (HandleValue v : r.values()) {
                Optional<String> owner = owner(v);
                if (owner.isEmpty()) {
                    values.add(v);
                    continue;
                }
                String id = owner.get();
                if (!voters.contains(id) && !listeners.contains(id)) {
                    changed = true;
                    LOG.info("site of removed member {} dropped from {}", id, r.handle());
                    continue;
                }
                SiteInfo site = decode(v).orElseThrow();
                boolean primary = voters.contains(id);
                boolean multiPrimary = primary && voters.size() > 1;
                if (site.primary() == primary && site.multiPrimary() == multiPrimary) {
                    values.add(v);
                    continue;
                }
                changed = true;
                LOG.info("site of member {} in {} is now {}", id, r.handle(), primary ? "primary" : "secondary");
                values.add(v.toBuilder().data(SiteInfoCodec.encode(with(site, primary, multiPrimary,
                        site.attributes()))).build());
            }
            if (changed) {
                RecordMetadata m = r.metadata();
                writes.add(RecordStore.RecordWrite.put(new HandleRecord(r.handle(), values, new RecordMetadata(
                        m.createdMillis(), System.currentTimeMillis(), "node", m.version() + 1))));
            }
        }
        if (!writes.isEmpty()) {
            store.write(writes);
        }
    }

    private static Set<String> ids(RaftConfiguration conf, RaftPeerRole role) {
        Set<String> ids = new HashSet<>();
        conf.getCurrentPeers(role).forEach(p -> ids.add(p.getId().toString()));
        return ids;
    }

    /** Whether the member is in the group's configuration as its log has it (not merely in its start group). */
    private static boolean inConfiguration(ClusterMember member) throws IOException {
        RaftServer.Division d = member.server().getDivision(member.group().getGroupId());
        RaftConfiguration conf = d.getRaftConf();
        return conf.getLogEntryIndex() >= 0 && d.getInfo().getLeaderId() != null
                && conf.getPeer(d.getId(), RaftPeerRole.FOLLOWER, RaftPeerRole.LISTENER) != null;
    }

    private static boolean leads(ClusterMember member) throws IOException {
        return member.server().getDivision(member.group().getGroupId()).getInfo().isLeader();
    }

    private static boolean hasOwnSite(ClusterMember member) {
        List<HandleRecord> records = prefixRecords(member.store());
        String self = member.self().id();
        return !records.isEmpty() && records.stream().allMatch(r -> r.values().stream()
                .anyMatch(v -> owner(v).filter(self::equals).isPresent()));
    }

    /** The prefix records ({@code 0.NA/...}) the member's replica holds. */
    private static List<HandleRecord> prefixRecords(RecordStore store) {
        List<HandleRecord> records = new ArrayList<>();
        for (String h : store.list("0.NA", null, MAX_PREFIXES)) {
            HandleRecord r = store.get(h);
            if (r != null) {
                records.add(r);
            }
        }
        return records;
    }

    /** The member an HS_SITE value belongs to (its {@value #MEMBER_ATTRIBUTE} attribute), if it is one. */
    static Optional<String> owner(HandleValue v) {
        if (!v.hasType(ValueTypes.HS_SITE)) {
            return Optional.empty();
        }
        return decode(v).flatMap(s -> s.attributes().stream().filter(a -> a.name().equals(MEMBER_ATTRIBUTE))
                .map(SiteInfo.Attribute::value).findFirst());
    }

    private static Optional<SiteInfo> decode(HandleValue v) {
        try {
            return Optional.of(SiteInfoCodec.decode(v.data()));
        } catch (CodecException e) {
            return Optional.empty();
        }
    }
}
