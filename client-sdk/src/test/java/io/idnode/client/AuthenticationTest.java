package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static io.idnode.client.TestClients.PREFIX_HANDLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.ValueReference;
import io.idnode.server.TestNode;
import io.idnode.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Identities of every kind (handle-protocol.md §6.2): an RSA key (the node's administrator), a DSA key and a
 * secret key, each granted on the prefix by an HS_ADMIN value, administering in a session and without one; and
 * a session that expires on the node is set up again and authenticated again without the caller noticing (the
 * node's time, shared with the client, moved by hand).
 */
class AuthenticationTest {
    static final ManualClock TIME = new ManualClock(Instant.parse("2026-06-01T08:00:00Z"));
    static final String DSA_ID = PREFIX + "/ID-DSA";
    static final String SEC_ID = PREFIX + "/ID-SEC";
    static final byte[] SECRET = "line 4 controller".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)).clock(TIME).ticker(TIME)
            .sessionTimeout(Duration.ofMinutes(10)));

    static HandleClient admin;
    static KeyPair dsa;

    @BeforeAll
    static void identities() throws Exception {
        admin = TestClients.of(NODE).clock(TIME).identity(TestClients.admin(NODE)).build();
        KeyPairGenerator g = KeyPairGenerator.getInstance("DSA");
        g.initialize(2048);
        dsa = g.generateKeyPair();
        BlockingHandleClient c = admin.blocking();
        c.create(DSA_ID, List.of(Values.publicKey(300, dsa.getPublic()), Values.admin(100, ADMIN, AdminPermissions.ALL)));
        c.create(SEC_ID, List.of(Values.secretKey(301, SECRET), Values.admin(100, ADMIN, AdminPermissions.ALL)));
        c.addValues(PREFIX_HANDLE, List.of(Values.admin(110, "300:" + DSA_ID, AdminPermissions.ALL),
                Values.admin(111, "301:" + SEC_ID, AdminPermissions.ALL)));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aDsaKeyIdentityAdministers(boolean sessions) throws Exception {
        Identity id = Identity.of(new ValueReference(DSA_ID, 300), dsa.getPrivate());
        administerAs(id, sessions, "DSA-" + sessions);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSecretKeyIdentityAdministers(boolean sessions) throws Exception {
        Identity id = Identity.of(new ValueReference(SEC_ID, 301), SECRET);
        administerAs(id, sessions, "SEC-" + sessions);
    }

    private static void administerAs(Identity id, boolean sessions, String name) throws Exception {
        try (HandleClient c = TestClients.of(NODE).clock(TIME).identity(id).sessions(sessions).build()) {
            String h = PREFIX + "/BY-" + name;
            c.blocking().create(h, List.of(Values.url(1, "https://example.com/" + name),
                    Values.admin(100, id.reference(), AdminPermissions.ALL)));
            c.blocking().modifyValues(h, List.of(Values.url(1, "https://example.com/" + name + "/2")));
            assertThat(admin.blocking().resolve(h).firstText("URL")).contains("https://example.com/" + name + "/2");
        }
    }

    @Test
    void anExpiredSessionIsSetUpAndAuthenticatedAgain() throws Exception {
        BlockingHandleClient c = admin.blocking();
        c.create(PREFIX + "/BEFORE-EXPIRY", List.of(Values.url(1, "https://example.com/before")));
        TIME.advance(Duration.ofMinutes(11)); // past the node's longest session life
        c.create(PREFIX + "/AFTER-EXPIRY", List.of(Values.url(1, "https://example.com/after"),
                Values.admin(100, ADMIN, AdminPermissions.ALL)));
        c.addValues(PREFIX + "/AFTER-EXPIRY", List.of(Values.email(2, "after@example.com")));
        assertThat(c.resolve(PREFIX + "/AFTER-EXPIRY").firstText("EMAIL")).contains("after@example.com");
    }
}
