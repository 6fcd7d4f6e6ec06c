package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.SiteInfoCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.replication.ClusterConfig;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Properties;
import net.handle.hdllib.Encoder;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HS_SITE of a site of several servers (handle-protocol.md §5.3, §7.2), from the cluster file alone: one
 * server per shard in server order with its address, port and the shared node key, hashed by the whole handle,
 * described alike by every member of the site; the stock client decodes it and hashes handles to the same
 * positions as the node.
 */
class ShardedSiteTest {
    private static final HandleKeyCodec KEYS = new HandleKeyCodec(CryptoFixtures.PROVIDERS);

    @TempDir
    Path temp;

    private static ClusterConfig cluster() {
        Properties p = new Properties();
        p.setProperty("cluster.name", "svc");
        String[][] members = {{"a1", "a", "1", "10.0.0.11", "2641"}, {"a2", "a", "2", "10.0.0.12", "2642"},
            {"b1", "b", "1", "10.0.1.11", "2643"}, {"b2", "b", "2", "10.0.1.12", "2644"}};
        int raft = 9871;
        for (String[] m : members) {
            p.setProperty("member." + m[0] + ".site", m[1]);
            p.setProperty("member." + m[0] + ".server", m[2]);
            p.setProperty("member." + m[0] + ".address", m[3]);
            p.setProperty("member." + m[0] + ".port", m[4]);
            p.setProperty("member." + m[0] + ".raft-port", String.valueOf(raft++));
        }
        return ClusterConfig.parse(p, "test");
    }

    @Test
    void listsEveryServerOfTheSiteInServerOrderAlikeAtEachMember() throws Exception {
        ClusterConfig c = cluster();
        PublicKey key = NodeKeys.loadOrCreate(temp.resolve("keys"), CryptoFixtures.PROVIDERS).node().getPublic();
        SiteInfo site = MemberSite.sharded(KEYS, c, c.member("b2"), key);
        assertThat(site.hashOption()).isEqualTo(SiteInfo.HASH_BY_HANDLE);
        assertThat(site.servers()).hasSize(2);
        assertThat(site.servers()).extracting(SiteInfo.ServerInfo::serverId).containsExactly(1, 2);
        assertThat(site.servers().get(0).address()).endsWith(10, 0, 1, 11);
        assertThat(site.servers().get(1).address()).endsWith(10, 0, 1, 12);
        assertThat(site.servers().get(0).interfaces()).containsExactly(
                new ServiceInterface(ServiceInterface.ADMIN_AND_QUERY, ServiceInterface.TCP, 2643),
                new ServiceInterface(ServiceInterface.QUERY, ServiceInterface.UDP, 2643));
        assertThat(site.servers().get(1).interfaces().get(0).port()).isEqualTo(2644);
        assertThat(site.servers().get(1).publicKey()).isEqualTo(KEYS.encodePublicKey(key));
        // the other member of site b describes it byte for byte alike; a member of site a its own site
        assertThat(SiteInfoCodec.encode(MemberSite.sharded(KEYS, c, c.member("b1"), key)))
                .isEqualTo(SiteInfoCodec.encode(site));
        assertThat(MemberSite.sharded(KEYS, c, c.member("a2"), key).servers().get(0).interfaces().get(0).port())
                .isEqualTo(2641);

        // the stock client reads it and hashes each handle to the server the node's own hash names
        net.handle.hdllib.SiteInfo stock = Encoder.decodeSiteInfoRecord(SiteInfoCodec.encode(site), 0);
        assertThat(stock.servers).hasSize(2);
        int[] seen = new int[2];
        for (int i = 0; i < 200; i++) {
            String h = "88.100.1/PUMP-" + i;
            int position = site.serverIndexFor(h);
            assertThat(stock.determineServerNum(Util.encodeString(h))).as(h).isEqualTo(position);
            seen[position]++;
        }
        assertThat(seen[0]).isPositive();
        assertThat(seen[1]).isPositive();
    }
}
