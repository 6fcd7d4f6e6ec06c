package io.idnode.client;

import io.idnode.server.TestNode;
import java.io.IOException;

/** Clients of a {@link TestNode}: pointed at it by address, administering as its bootstrap administrator. */
final class TestClients {
    static final String PREFIX = "88.100.1";
    static final String PREFIX_HANDLE = "0.NA/" + PREFIX;
    static final String ADMIN = "300:" + PREFIX_HANDLE;

    private TestClients() {
    }

    /** A builder for a client of {@code node}, by its address. */
    static HandleClient.Builder of(TestNode node) {
        return HandleClient.builder().node("127.0.0.1:" + node.port());
    }

    /** The node's administrator {@code 300:0.NA/88.100.1}, with the key the node made on first start. */
    static PrivateKeyIdentity admin(TestNode node) throws IOException {
        return Identity.fromPemFile(ADMIN, node.dataDir().resolve("keys").resolve("admin.pem"));
    }
}
