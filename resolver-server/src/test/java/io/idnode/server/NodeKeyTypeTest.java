package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.handle.hdllib.AbstractMessage;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.ResolutionRequest;
import net.handle.hdllib.ResolutionResponse;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The node key types of {@code --key-type}: each is made at first start, published in the node's HS_SITE and
 * signs certified replies; the stock client 9.3.1 verifies those of the types it accepts (handle-protocol.md
 * §2.3, §5.4) over UDP.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeKeyTypeTest {
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = NodeKeyType.class, names = {"RSA", "DSA"})
    void stockClientVerifiesCertifiedUdpRepliesSignedWithTheNodeKey(NodeKeyType type) throws Exception {
        Path data = temp.resolve("data");
        try (Node node = Node.start(TestNode.config(data).keyType(type).demo(true).build())) {
            assertThat(SignatureAlgorithm.forKey(node.keys().node().getPrivate())).isEqualTo(type.algorithm());
            assertThat(StockClients.site(data).servers[0].getPublicKey()).isEqualTo(node.keys().node().getPublic());
            HandleResolver r = StockClients.resolver(data, temp.resolve("client"), Interface.SP_HDL_UDP);
            ResolutionRequest req = new ResolutionRequest(Util.encodeString(node.demoHandles().get(0)), null, null,
                    null);
            req.certify = true;
            AbstractResponse resp = r.processRequest(req);
            // The library verifies the signature against the site's key and throws if it does not verify.
            assertThat(resp.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
            assertThat(resp.signature).isNotEmpty();
            assertThat(((ResolutionResponse) resp).values).isNotEmpty();
        }
    }

    @Test
    void stockClientCannotVerifyAP256NodeKeyButResolvesUnsigned() throws Exception {
        Path data = temp.resolve("data");
        try (Node node = Node.start(TestNode.config(data).keyType(NodeKeyType.EC).demo(true).build())) {
            assertThat(SignatureAlgorithm.forKey(node.keys().node().getPrivate()))
                    .isEqualTo(SignatureAlgorithm.ECDSA_P256);
            // HS_SITE holds the key as untyped PEM: the library keeps the bytes but cannot read them (§5.4).
            assertThatThrownBy(() -> StockClients.site(data).servers[0].getPublicKey())
                    .isInstanceOf(HandleException.class);
            HandleResolver r = StockClients.resolver(data, temp.resolve("client"), Interface.SP_HDL_UDP);
            String handle = node.demoHandles().get(0);
            assertThat(r.resolveHandle(handle, null, null)).isNotEmpty();
            ResolutionRequest req = new ResolutionRequest(Util.encodeString(handle), null, null, null);
            req.certify = true;
            assertThatThrownBy(() -> r.processRequest(req)).isInstanceOf(HandleException.class);
        }
    }

    @Test
    void aKeyOfAnotherTypeOnDiskIsRefusedAndKept() throws Exception {
        Path data = temp.resolve("data");
        try (Node node = Node.start(TestNode.config(data).keyType(NodeKeyType.DSA).build())) {
            assertThat(node.keys().node().getPrivate().getAlgorithm()).isEqualTo("DSA");
        }
        Path keyFile = data.resolve(Node.KEYS_DIR).resolve(NodeKeys.NODE_KEY);
        byte[] before = Files.readAllBytes(keyFile);

        assertThatThrownBy(() -> Node.start(TestNode.config(data).keyType(NodeKeyType.RSA).build()))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo("key-type");
                    assertThat(e.problem()).contains("is rsa", "holds a DSA key", "--key-type dsa");
                });
        assertThat(Files.readAllBytes(keyFile)).isEqualTo(before);
        try (Node again = Node.start(TestNode.config(data).keyType(NodeKeyType.DSA).build())) {
            assertThat(again.keys().node().getPrivate().getAlgorithm()).isEqualTo("DSA");
        }
    }

    @Test
    void keyTypeNamesParseInAnyCaseAndOthersAreRefusedWithTheList() {
        assertThat(NodeKeyType.parse("DSA")).isEqualTo(NodeKeyType.DSA);
        assertThat(NodeKeyType.parse("rsa")).isEqualTo(NodeKeyType.RSA);
        assertThatThrownBy(() -> NodeKeyType.parse("rsa4096")).isInstanceOfSatisfying(InvalidSettingException.class,
                e -> assertThat(e.problem()).contains("must be one of rsa, dsa, ec", "'rsa4096'"));
    }

    @Test
    void anRsaNodeIsTheDefault() throws Exception {
        assertThat(NodeConfig.builder().build().keyType()).isEqualTo(NodeKeyType.RSA);
        NodeKeys keys = NodeKeys.loadOrCreate(temp.resolve("keys"), CryptoProviders.create());
        assertThat(keys.node().getPrivate().getAlgorithm()).isEqualTo("RSA");
    }
}
