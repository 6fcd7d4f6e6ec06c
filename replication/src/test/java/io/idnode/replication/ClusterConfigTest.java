package io.idnode.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The cluster file: members read with their roles, and each mistake refused naming the key to fix. */
class ClusterConfigTest {

    private static Properties valid() {
        Properties p = new Properties();
        p.setProperty("cluster.name", "svc");
        p.setProperty("member.a.address", "127.0.0.1");
        p.setProperty("member.a.port", "2641");
        p.setProperty("member.a.raft-port", "9871");
        p.setProperty("member.dr.address", "127.0.0.1");
        p.setProperty("member.dr.port", "2642");
        p.setProperty("member.dr.raft-port", "9872");
        p.setProperty("member.dr.role", "listener");
        return p;
    }

    @Test
    void readsMembersAndRoles() {
        ClusterConfig c = ClusterConfig.parse(valid(), "f");
        assertThat(c.name()).isEqualTo("svc");
        assertThat(c.members()).extracting(ClusterConfig.Member::id).containsExactly("a", "dr");
        assertThat(c.member("a").listener()).isFalse();
        assertThat(c.member("dr").listener()).isTrue();
        assertThat(c.member("a").raftAddress()).isEqualTo("127.0.0.1:9871");
        assertThat(ClusterMember.group(c).getPeers()).hasSize(2);
        assertThat(ClusterMember.group(c).getGroupId()).isEqualTo(ClusterMember.group(ClusterConfig.parse(valid(),
                "again")).getGroupId());
    }

    @Test
    void refusesMistakesNamingTheKey() {
        Properties noName = valid();
        noName.remove("cluster.name");
        assertThatThrownBy(() -> ClusterConfig.parse(noName, "f")).hasMessageContaining("cluster.name");
        Properties badPort = valid();
        badPort.setProperty("member.a.port", "70000");
        assertThatThrownBy(() -> ClusterConfig.parse(badPort, "f")).hasMessageContaining("member.a.port");
        Properties typo = valid();
        typo.setProperty("member.a.raftport", "1");
        assertThatThrownBy(() -> ClusterConfig.parse(typo, "f")).hasMessageContaining("member.a.raftport");
        Properties clash = valid();
        clash.setProperty("member.dr.port", "9871");
        assertThatThrownBy(() -> ClusterConfig.parse(clash, "f")).hasMessageContaining("127.0.0.1:9871");
        Properties onlyListeners = valid();
        onlyListeners.setProperty("member.a.role", "listener");
        assertThatThrownBy(() -> ClusterConfig.parse(onlyListeners, "f")).hasMessageContaining("voters");
        assertThatThrownBy(() -> ClusterConfig.parse(valid(), "f").member("zz")).hasMessageContaining("a, dr");
    }

    /** Two sites (east, west) of two servers each: four members, server i of every site in group i. */
    private static Properties sharded() {
        Properties p = new Properties();
        p.setProperty("cluster.name", "svc");
        int port = 2641;
        for (String site : new String[] {"east", "west"}) {
            for (int server = 1; server <= 2; server++) {
                String id = site.charAt(0) + String.valueOf(server);
                p.setProperty("member." + id + ".address", "127.0.0.1");
                p.setProperty("member." + id + ".port", String.valueOf(port++));
                p.setProperty("member." + id + ".raft-port", String.valueOf(port + 1000));
                p.setProperty("member." + id + ".server", String.valueOf(server));
                p.setProperty("member." + id + ".site", site);
            }
        }
        return p;
    }

    @Test
    void readsServersAndSitesOneGroupPerServer() {
        ClusterConfig c = ClusterConfig.parse(sharded(), "f");
        assertThat(c.servers()).isEqualTo(2);
        assertThat(c.shard(1).members()).extracting(ClusterConfig.Member::id).containsExactly("e1", "w1");
        assertThat(c.shard(2).members()).extracting(ClusterConfig.Member::id).containsExactly("e2", "w2");
        assertThat(c.site("west")).extracting(ClusterConfig.Member::id).containsExactly("w1", "w2");
        assertThat(ClusterMember.group(c.shard(1)).getGroupId())
                .isNotEqualTo(ClusterMember.group(c.shard(2)).getGroupId());
        assertThat(ClusterMember.group(c.shard(2)).getPeers().stream().map(p -> p.getId().toString()).toList())
                .containsExactlyInAnyOrder("e2", "w2");
        // server 1 keeps the group id of a single-shard service of the same name
        assertThat(ClusterMember.group(c.shard(1)).getGroupId()).isEqualTo(ClusterMember.group(
                ClusterConfig.parse(valid(), "f")).getGroupId());
        assertThatThrownBy(() -> ClusterMember.group(c)).hasMessageContaining("shard");
        // a single-shard file: one server, each member a site of its own, its server 1 is the whole file
        ClusterConfig single = ClusterConfig.parse(valid(), "f");
        assertThat(single.servers()).isEqualTo(1);
        assertThat(single.shard(1)).isEqualTo(single);
        assertThat(single.member("a").site()).isEqualTo("a");
    }

    @Test
    void refusesShardMistakesNamingWhatToFix() {
        Properties missing = sharded();
        missing.setProperty("member.w2.site", "east");
        assertThatThrownBy(() -> ClusterConfig.parse(missing, "f")).hasMessageContaining("site east has two members"
                + " of server 2");
        Properties gap = sharded();
        gap.setProperty("member.e2.server", "3");
        gap.setProperty("member.w2.server", "3");
        assertThatThrownBy(() -> ClusterConfig.parse(gap, "f")).hasMessageContaining("server 2 has no voter");
        Properties incomplete = sharded();
        incomplete.setProperty("member.x1.address", "127.0.0.1");
        incomplete.setProperty("member.x1.port", "3000");
        incomplete.setProperty("member.x1.raft-port", "3001");
        incomplete.setProperty("member.x1.site", "north");
        assertThatThrownBy(() -> ClusterConfig.parse(incomplete, "f"))
                .hasMessageContaining("site north has no member of server 2");
        Properties roles = sharded();
        roles.setProperty("member.w2.role", "listener");
        assertThatThrownBy(() -> ClusterConfig.parse(roles, "f")).hasMessageContaining("site west differ");
        Properties badServer = sharded();
        badServer.setProperty("member.e1.server", "zero");
        assertThatThrownBy(() -> ClusterConfig.parse(badServer, "f")).hasMessageContaining("member.e1.server");
        Properties badSite = sharded();
        badSite.setProperty("member.e1.site", "a b");
        assertThatThrownBy(() -> ClusterConfig.parse(badSite, "f")).hasMessageContaining("member.e1.site");
    }
}
