package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;
import io.idnode.protocol.Requests;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.handle.hdllib.AdminRecord;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.Encoder;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.HandleValue;
import net.handle.hdllib.Interface;
import net.handle.hdllib.PublicKeyAuthenticationInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One address cannot fill the session table: its setups beyond its quota are answered 3, and a stock client
 * with default settings (sessions on) on another address still administers.
 */
class SessionFloodTest {
    static final ValueReference ADMIN = new ValueReference("0.NA/88.100.1", 300);

    @TempDir
    static Path temp;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).maxSessions(8)
            .maxSessionsPerSource(4));

    /** A session setup as the stock client sends it: Diffie-Hellman with a fresh 1024-bit key. */
    static Message setup(int requestId) throws Exception {
        KeyPairGenerator dh = KeyPairGenerator.getInstance("DH");
        dh.initialize(1024);
        byte[] key = new HandleKeyCodec(CryptoFixtures.PROVIDERS).encodePublicKey(dh.generateKeyPair().getPublic());
        return Requests.madeAt(Instant.now()).withRequestId(requestId).sessionSetup(ADMIN, 86_400, key);
    }

    @Test
    void setupsFromOneAddressStopAtItsQuotaAndAStockClientElsewhereStillAdministers() throws Exception {
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            codes.add(RawClient.overTcp(RawClient.loopback(2), NODE.port(), setup(i)).responseCode().code());
        }

        assertThat(codes).containsExactly(1, 1, 1, 1, 3, 3, 3);
        assertThat(NODE.node().meters().get(LimitMeters.REFUSALS).tag("reason", "max-sessions-per-source")
                .functionCounter().count()).isEqualTo(3);
        assertThat(NODE.node().meters().get("idnode.sessions").gauge().value()).isEqualTo(4);

        PrivateKey key = new KeyFiles(CryptoFixtures.PROVIDERS).readPrivateKeyPem(
                NODE.dataDir().resolve("keys").resolve("admin.pem"));
        HandleResolver stock = StockClients.resolver(NODE.dataDir(), temp.resolve("client"), true,
                Interface.SP_HDL_TCP);
        AdminRecord all = new AdminRecord(Util.encodeString(ADMIN.handle()), ADMIN.index(),
                true, true, true, true, true, true, true, true, true, true, true, true);
        HandleValue[] values = {new HandleValue(1, "URL", "https://example.com/after-the-flood"),
            new HandleValue(100, Util.encodeString("HS_ADMIN"), Encoder.encodeAdminRecord(all))};
        CreateHandleRequest create = new CreateHandleRequest(Util.encodeString("88.100.1/AFTER-FLOOD"), values,
                new PublicKeyAuthenticationInfo(Util.encodeString(ADMIN.handle()), ADMIN.index(), key));

        assertThat(stock.processRequest(create).responseCode).isEqualTo(1);
        assertThat(NODE.node().meters().get("idnode.sessions").gauge().value()).isEqualTo(5);
    }
}
