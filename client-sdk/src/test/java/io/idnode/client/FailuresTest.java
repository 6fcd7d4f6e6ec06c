package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static io.idnode.client.TestClients.PREFIX_HANDLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.ValueReference;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.TestNode;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when something is wrong: a wrong key, an identity without permission, an unknown prefix, a
 * missing identity, a node that is not there, a reply not signed by the key the site publishes. Each is one
 * exception with the response code and a message saying what to fix, and nothing is written.
 */
class FailuresTest {
    static final CryptoProviders CRYPTO = CryptoProviders.create();
    static final String NOBODY = PREFIX + "/NOBODY";

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)));

    @TempDir
    static Path temp;

    static HandleClient admin;
    static KeyPair nobodyKey;

    @BeforeAll
    static void identities() throws Exception {
        admin = TestClients.of(NODE).identity(TestClients.admin(NODE)).build();
        nobodyKey = new KeyFiles(CRYPTO).generateRsa(new SecureRandom());
        // An identity the node knows, with no permission on the prefix.
        admin.blocking().create(NOBODY, List.of(Values.publicKey(300, nobodyKey.getPublic()),
                Values.admin(100, ADMIN, AdminPermissions.ALL)));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static void assertNotWritten(String handle) throws Exception {
        assertThatThrownBy(() -> admin.blocking().resolve(handle)).isInstanceOfSatisfying(ResponseException.class,
                e -> assertThat(e.responseCode().code()).isIn(100, 301));
    }

    @Test
    void aWrongKeyIsRefusedAndNothingIsWritten() throws Exception {
        KeyPair other = new KeyFiles(CRYPTO).generateRsa(new SecureRandom());
        for (boolean sessions : new boolean[] {true, false}) {
            try (HandleClient c = TestClients.of(NODE).sessions(sessions)
                    .identity(Identity.of(Identity.parseReference(ADMIN), other.getPrivate())).build()) {
                String h = PREFIX + "/WRONG-KEY-" + sessions;
                assertThatThrownBy(() -> c.blocking().create(h, List.of(Values.url(1, "https://example.com/x"))))
                        .isInstanceOfSatisfying(ResponseException.class, e -> {
                            assertThat(e.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_FAILED);
                            assertThat(e).hasMessageContaining("authentication of " + ADMIN + " failed")
                                    .hasMessageContaining("check the key file");
                        });
                assertNotWritten(h);
            }
        }
    }

    @Test
    void anIdentityWithoutPermissionIsRefusedAndNothingIsWritten() throws Exception {
        try (HandleClient c = TestClients.of(NODE)
                .identity(Identity.of(new ValueReference(NOBODY, 300), nobodyKey.getPrivate())).build()) {
            String h = PREFIX + "/NOT-ALLOWED";
            assertThatThrownBy(() -> c.blocking().create(h, List.of(Values.url(1, "https://example.com/x"))))
                    .isInstanceOfSatisfying(ResponseException.class, e -> {
                        assertThat(e.responseCode()).isEqualTo(ResponseCode.INVALID_ADMIN);
                        assertThat(e).hasMessageContaining("300:" + NOBODY + " lacks the permission")
                                .hasMessageContaining("HS_ADMIN value on " + h)
                                .hasMessageContaining(PREFIX_HANDLE);
                    });
            assertNotWritten(h);
            // The same identity may change its own record, where it is an administrator... it is not: refused too.
            assertThatThrownBy(() -> c.blocking().addValues(NOBODY, List.of(Values.email(2, "x@example.com"))))
                    .isInstanceOfSatisfying(ResponseException.class,
                            e -> assertThat(e.responseCode()).isEqualTo(ResponseCode.INVALID_ADMIN));
        }
    }

    @Test
    void anUnknownPrefixIsNamedAndNothingIsWritten() throws Exception {
        String h = "88.100.9/UNKNOWN";
        assertThatThrownBy(() -> admin.blocking().create(h, List.of(Values.url(1, "https://example.com/x"))))
                .isInstanceOfSatisfying(ResponseException.class, e -> {
                    assertThat(e.responseCode()).isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
                    assertThat(e).hasMessageContaining("prefix 88.100.9 is unknown")
                            .hasMessageContaining("point the client at a node that serves it");
                });
        try (HandleClient direct = TestClients.of(NODE).identity(TestClients.admin(NODE)).prefixLookup(false).build()) {
            assertThatThrownBy(() -> direct.blocking().create(h, List.of(Values.url(1, "https://example.com/x"))))
                    .isInstanceOfSatisfying(ResponseException.class, e -> {
                        assertThat(e.responseCode()).isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
                        assertThat(e).hasMessageContaining("prefix 88.100.9 is not served at 127.0.0.1:" + NODE.port());
                    });
        }
        assertNotWritten(h);
    }

    @Test
    void administrationWithoutAnIdentityAsksForOne() throws Exception {
        try (HandleClient anonymous = TestClients.of(NODE).build()) {
            String h = PREFIX + "/ANONYMOUS";
            assertThatThrownBy(() -> anonymous.blocking().create(h, List.of(Values.url(1, "https://example.com/x"))))
                    .isInstanceOfSatisfying(ResponseException.class, e -> {
                        assertThat(e.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
                        assertThat(e).hasMessageContaining("give the client an identity");
                    });
            assertNotWritten(h);
        }
    }

    @Test
    void aNodeThatIsNotThereIsNamedWithTheCause() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (HandleClient c = HandleClient.builder().node("127.0.0.1:" + port).udp(false)
                .operationTimeout(Duration.ofMillis(300)).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .build()) {
            assertThatThrownBy(() -> c.blocking().resolve(PREFIX + "/X"))
                    .isInstanceOfSatisfying(AllServersFailedException.class, e -> {
                        assertThat(e).hasMessageContaining("node unreachable at 127.0.0.1:" + port)
                                .hasMessageContaining("connection refused");
                        assertThat(e.failures()).singleElement().satisfies(f -> {
                            assertThat(f.server()).isEqualTo(new InetSocketAddress("127.0.0.1", port));
                            assertThat(f.cause()).hasRootCauseInstanceOf(ConnectException.class);
                        });
                    });
        }
    }

    @Test
    void aReplyNotSignedByTheSitesKeyIsNotBelieved() throws Exception {
        SiteInfo real = admin.blocking().siteInfo();
        KeyPair stranger = new KeyFiles(CRYPTO).generateRsa(new SecureRandom());
        ServerInfo s = real.servers().get(0);
        ServerInfo forged = new ServerInfo(s.serverId(), s.address(),
                new HandleKeyCodec(CRYPTO).encodePublicKey(stranger.getPublic()), s.interfaces());
        SiteInfo site = new SiteInfo(real.dataFormatVersion(), real.protocolMajor(), real.protocolMinor(),
                real.serialNumber(), real.primary(), real.multiPrimary(), real.hashOption(), real.hashFilter(),
                real.attributes(), List.of(forged));
        try (HandleClient c = HandleClient.builder().site(site).prefixLookup(false).build()) {
            assertThatThrownBy(() -> c.blocking().resolve(ResolveRequest.of(NOBODY).withCertified(true)))
                    .isInstanceOfSatisfying(InvalidReplyException.class,
                            e -> assertThat(e).hasMessageContaining("is not signed by the key its site publishes"));
            assertThat(c.blocking().resolve(NOBODY).values()).extracting(HandleValue::index).contains(300);
        }
    }

    @Test
    void aNodeThatNeverAnswersTimesOutAndOperationsPastTheLimitAreRefusedAtOnce() throws Exception {
        // A socket that takes connections (into its backlog) and never answers.
        try (ServerSocket silent = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
                HandleClient c = HandleClient.builder()
                        .site(Endpoint.provisionalSite(new InetSocketAddress("127.0.0.1", silent.getLocalPort())))
                        .udp(false).maxInFlight(1).operationTimeout(Duration.ofMillis(300)).build()) {
            CompletableFuture<Resolution> first = c.resolve(NOBODY);
            CompletableFuture<Resolution> second = c.resolve(NOBODY);
            assertThatThrownBy(second::get).hasCauseInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("maxInFlight");
            assertThatThrownBy(first::get).cause().isInstanceOf(HandleTimeoutException.class)
                    .hasMessageContaining("resolution of " + NOBODY + ": no reply within 300 ms");
        }
    }

    @Test
    void closingTheClientEndsWhatIsInFlight() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            HandleClient c = HandleClient.builder()
                    .site(Endpoint.provisionalSite(new InetSocketAddress("127.0.0.1", silent.getLocalPort())))
                    .prefixLookup(false).udp(false).build();
            CompletableFuture<Resolution> pending = c.resolve(NOBODY);
            c.close();
            assertThatThrownBy(() -> pending.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("the client is closed");
            assertThatThrownBy(() -> c.resolve(NOBODY).get()).hasMessageContaining("the client is closed");
        }
    }
}
