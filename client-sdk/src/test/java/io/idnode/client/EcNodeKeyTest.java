package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static io.idnode.client.TestClients.PREFIX_HANDLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.model.ValueReference;
import io.idnode.server.NodeKeyType;
import io.idnode.server.TestNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node whose key is ECDSA P-256 ({@code --key-type ec}), which the stock client cannot verify: the SDK
 * verifies its signed replies (handle-protocol.md §2.3), certified resolutions and the session setup alike.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
class EcNodeKeyTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)).keyType(NodeKeyType.EC)
            .admins(List.of(new ValueReference(PREFIX_HANDLE, 300))));

    @Test
    void certifiedRepliesSignedWithAP256KeyVerifyOverUdpAndTcpAndInSessions() throws Exception {
        assertThat(SignatureAlgorithm.forKey(NODE.node().keys().node().getPublic()))
                .isEqualTo(SignatureAlgorithm.ECDSA_P256);
        String h = PREFIX + "/EC-SIGNED";
        // Administration runs in a session, whose setup reply the node signs with its key.
        try (HandleClient admin = TestClients.of(NODE).identity(TestClients.admin(NODE)).build()) {
            admin.blocking().create(h, List.of(Values.url(1, "https://example.com/ec"),
                    Values.admin(100, ADMIN, AdminPermissions.ALL)));
        }
        for (boolean udp : new boolean[] {true, false}) {
            try (HandleClient c = HandleClient.builder().siteFile(NODE.dataDir().resolve("siteinfo.bin")).udp(udp)
                    .build()) {
                Resolution r = c.blocking().resolve(ResolveRequest.of(h).withCertified(true));
                assertThat(r.certified()).as("udp %s", udp).isTrue();
                assertThat(r.firstText("URL")).contains("https://example.com/ec");
            }
        }
    }
}
