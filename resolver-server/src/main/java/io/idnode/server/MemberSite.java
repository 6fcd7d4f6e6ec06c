package io.idnode.server;

import io.idnode.model.SiteInfo;
import io.idnode.replication.ClusterConfig;
import io.idnode.replication.ClusterMember;
import io.idnode.store.StoreException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HS_SITE of a member of a replicated service (handle-protocol.md §5.3, §7.2): each member is a site of
 * one server holding a full copy. Voters are primary sites (any of them takes administration, forwarding it
 * to the Raft leader), multi-primary when there are several; listeners (disaster-recovery copies) are
 * secondary. Member {@code k} of the cluster file (from 0) keeps its HS_SITE at index {@code 1 + k} of each
 * prefix record, so the record lists every site and stock clients fail over between them.
 */
final class MemberSite {
    private static final Logger LOG = LoggerFactory.getLogger(MemberSite.class);
    /** Pause between attempts to publish while the group has no leader or another member's write overtook. */
    private static final long RETRY_MILLIS = 1000;
    /** Attempts before giving up (the member keeps serving; a restart publishes again). */
    private static final int ATTEMPTS = 600;
    /** Start of the line logged once the member has joined its group and applied its log. */
    static final String JOINED = "joined its group:";

    private MemberSite() {
    }

    /** {@code site} with the primary and multi-primary flags of {@code self} in {@code cluster}. */
    static SiteInfo flags(SiteInfo site, ClusterConfig.Member self, ClusterConfig cluster) {
        long voters = cluster.members().stream().filter(m -> !m.listener()).count();
        return new SiteInfo(site.dataFormatVersion(), site.protocolMajor(), site.protocolMinor(),
                site.serialNumber(), !self.listener(), !self.listener() && voters > 1, site.hashOption(),
                site.hashFilter(), site.attributes(), site.servers());
    }

    /**
     * Logs {@value #JOINED} once a read index succeeds at {@code member} (it has a leader that a majority
     * follows and has applied the log as far as the group had committed it): the signal that the member serves
     * current records, retried while the group has no leader.
     */
    static void announceJoined(ClusterMember member) throws InterruptedException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                long applied = member.store().readIndex().get();
                LOG.info("{} {} the log applied through index {}", member, JOINED, applied);
                return;
            } catch (ExecutionException e) {
                LOG.info("{} has no read index yet (attempt {}): {}", member, attempt, e.getCause().getMessage());
            }
            Thread.sleep(RETRY_MILLIS / 5);
        }
    }

    /** Index of the member's HS_SITE in the prefix records. */
    static int siteIndex(ClusterMember member) {
        return PrefixRecords.SITE_INDEX + member.cluster().members().indexOf(member.self());
    }

    /**
     * Runs {@code publish} (a replicated write of the prefix records) on a thread of its own until it succeeds:
     * at start the group may have no leader yet, and members starting together overtake each other's writes.
     */
    static void publishWhenReplicated(ClusterMember member, Runnable publish) {
        Thread t = new Thread(() -> {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    publish.run();
                    LOG.info("site of {} published in the prefix records", member);
                    announceJoined(member);
                    return;
                } catch (StoreException e) {
                    LOG.info("site of {} not published yet (attempt {}): {}", member, attempt, e.getMessage());
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            LOG.warn("site of {} not published after {} attempts; it is published again on restart", member, ATTEMPTS);
        }, "publish-site");
        t.setDaemon(true);
        t.start();
    }
}
