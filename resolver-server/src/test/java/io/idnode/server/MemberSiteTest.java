package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.SiteInfoCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueTypes;
import io.idnode.replication.ClusterAdmin;
import io.idnode.replication.ClusterConfig;
import io.idnode.replication.ClusterStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Member nodes in this JVM (real Ratis, RocksDB, sockets on loopback): the prefix record lists one HS_SITE per
 * member of the group's configuration, with its primary and multi-primary flags; a member added at run time
 * appears once the group has taken it (not when its node starts), and a removed member's site is dropped.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MemberSiteTest {
    private static final String PREFIX_HANDLE = "0.NA/88.100.1";

    @TempDir
    Path temp;

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final StringBuilder file = new StringBuilder("cluster.name = site-test\n");
    private Path clusterFile;

    @AfterEach
    void stop() {
        nodes.values().forEach(Node::close);
    }

    private void declare(String id, boolean listener) throws IOException {
        file.append("member.").append(id).append(".address = 127.0.0.1\nmember.").append(id).append(".port = ")
                .append(freePort()).append("\nmember.").append(id).append(".raft-port = ").append(freePort())
                .append('\n');
        if (listener) {
            file.append("member.").append(id).append(".role = listener\n");
        }
        clusterFile = temp.resolve("cluster.properties");
        Files.writeString(clusterFile, file);
    }

    private void start(String id) throws Exception {
        start(id, false);
    }

    private void start(String id, boolean join) throws Exception {
        Path data = temp.resolve(id);
        // The members share the node and administrator keys.
        Path keys = temp.resolve("shared-keys");
        if (!Files.exists(keys)) {
            NodeKeys.loadOrCreate(keys, CryptoFixtures.PROVIDERS);
        }
        Files.createDirectories(data.resolve(Node.KEYS_DIR));
        try (Stream<Path> s = Files.list(keys)) {
            for (Path p : s.toList()) {
                Files.copy(p, data.resolve(Node.KEYS_DIR).resolve(p.getFileName()));
            }
        }
        nodes.put(id, Node.start(TestNode.config(data).cluster(clusterFile, id).clusterJoin(join).build()));
    }

    /** The members whose HS_SITE values member {@code on} holds in the prefix record, with their flags. */
    private Map<String, String> sites(String on) {
        Map<String, String> sites = new TreeMap<>();
        HandleRecord r = nodes.get(on).store().get(PREFIX_HANDLE);
        if (r == null) {
            return sites;
        }
        for (HandleValue v : r.values()) {
            if (v.hasType(ValueTypes.HS_SITE)) {
                try {
                    SiteInfo s = SiteInfoCodec.decode(v.data());
                    String owner = s.attributes().stream().filter(a -> a.name().equals(MemberSite.MEMBER_ATTRIBUTE))
                            .map(SiteInfo.Attribute::value).findFirst().orElse("?");
                    sites.put(owner, (s.primary() ? "primary" : "secondary") + (s.multiPrimary() ? ",multi" : ""));
                } catch (io.idnode.codec.CodecException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return sites;
    }

    private Set<String> owners(String on) {
        return new TreeSet<>(sites(on).keySet());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theSitesFollowTheMembership() throws Exception {
        for (String id : new String[] {"a", "b", "c"}) {
            declare(id, false);
        }
        declare("dr", true);
        for (String id : new String[] {"a", "b", "c", "dr"}) {
            start(id);
        }
        await("four sites on every member", () -> nodes.keySet().stream().allMatch(id -> owners(id).equals(
                Set.of("a", "b", "c", "dr"))));
        assertThat(sites("b")).containsEntry("a", "primary,multi").containsEntry("c", "primary,multi")
                .containsEntry("dr", "secondary");

        // A new member's node runs before the group takes it; its site appears only once it is added.
        declare("d", false);
        start("d", true);
        try (ClusterAdmin admin = new ClusterAdmin(ClusterConfig.read(clusterFile), Duration.ofSeconds(60))) {
            Thread.sleep(3000);
            assertThat(owners("a")).doesNotContain("d");
            admin.add("d");
            await("d's site listed", () -> owners("a").contains("d") && owners("d").contains("d"));

            // The disaster-recovery site is promoted: its site becomes primary.
            admin.promote("dr");
            await("dr primary", () -> "primary,multi".equals(sites("a").get("dr")));

            // c's machine dies and is removed: its site goes.
            nodes.remove("c").close();
            // c may have led the group: removing is a reconfiguration, which needs the leader elected after it.
            await("a leader other than c, with a majority", () -> {
                ClusterStatus status = admin.status();
                return status.quorum() && status.leader().filter(l -> !l.equals("c")).isPresent();
            });
            admin.remove("c");
            await("c's site dropped", () -> owners("a").equals(Set.of("a", "b", "d", "dr"))
                    && owners("d").equals(Set.of("a", "b", "d", "dr")));
        }
        // Each site has its own index.
        HandleRecord r = nodes.get("a").store().get(PREFIX_HANDLE);
        assertThat(r.values().stream().filter(v -> v.hasType(ValueTypes.HS_SITE)).map(HandleValue::index)
                .distinct().count()).isEqualTo(4);
    }
}
