package io.idnode.node;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.handler.NodeIdentity;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.store.RecordStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;

/**
 * The node the tests of the request chain run: a primary site of protocol 2.11 with serial 1 and one server
 * on 127.0.0.1:2641 (TCP for everything, UDP for queries, handle-protocol.md §5.3), homing {@value #PREFIX}.
 */
public final class NodeFixtures {
    /** The prefix the test node homes. */
    public static final String PREFIX = "88.100.1";

    private NodeFixtures() {
    }

    /** The site description of the test node, whose server signs with the private half of {@code key}. */
    public static SiteInfo site(PublicKey key) {
        byte[] loopback = new byte[16];
        loopback[12] = 127;
        loopback[15] = 1;
        ServerInfo server = new ServerInfo(1, loopback, new HandleKeyCodec(CryptoFixtures.PROVIDERS).encodePublicKey(key), List.of(
                new ServiceInterface(ServiceInterface.ADMIN_AND_QUERY, ServiceInterface.TCP, 2641),
                new ServiceInterface(ServiceInterface.QUERY, ServiceInterface.UDP, 2641)));
        return new SiteInfo(1, 2, 11, 1, true, false, SiteInfo.HASH_BY_HANDLE, "", List.of(), List.of(server));
    }

    /** The test node's identity with the given signing key pair. */
    public static NodeIdentity identity(PrivateKey signingKey, PublicKey publicKey) {
        return new NodeIdentity(site(publicKey), signingKey, publicKey);
    }

    /**
     * A chain of the test node over {@code store}, homing {@value #PREFIX}, with the shared test providers; set
     * the rest, then build.
     */
    public static RequestChain.Builder chain(RecordStore store, PrivateKey signingKey, PublicKey publicKey) {
        return RequestChain.builder(store, new ServedPrefixes(List.of(PREFIX)), identity(signingKey, publicKey),
                CryptoFixtures.PROVIDERS);
    }
}
