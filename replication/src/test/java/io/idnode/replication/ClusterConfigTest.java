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
}
