package io.idnode.client;

import static io.idnode.client.TestClients.PREFIX;
import static io.idnode.client.TestClients.PREFIX_HANDLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.SignatureAlgorithm;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.TestNode;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SM2 identity, its key in a PKCS#8 PEM file as China's SDK keeps it, administers through the standard
 * challenge (handle-protocol.md §6.2 with the SM3 answer of cn-extensions.md §3.2): every administrative
 * operation, with and without sessions; a wrong SM2 key is refused and writes nothing.
 */
@Timeout(120)
class Sm2IdentityTest {
    private static final CryptoProviders CRYPTO = CryptoProviders.create();
    private static final String SM2_ADMIN = PREFIX + "/SM2-ADMIN";

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)));

    @TempDir
    static Path temp;

    private static HandleClient admin;
    private static Path keyFile;

    @BeforeAll
    static void grantAnSm2Identity() throws Exception {
        admin = TestClients.of(NODE).identity(TestClients.admin(NODE)).build();
        KeyFiles files = new KeyFiles(CRYPTO);
        KeyPair pair = files.generate(SignatureAlgorithm.SM2, new SecureRandom());
        keyFile = temp.resolve("sm2admin.pem");
        files.writePrivateKeyPem(keyFile, pair.getPrivate());
        admin.blocking().create(SM2_ADMIN, List.of(Values.publicKey(300, pair.getPublic())));
        admin.blocking().addValues(PREFIX_HANDLE, List.of(Values.admin(102, "300:" + SM2_ADMIN,
                AdminPermissions.ALL)));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void everyAdministrativeOperationWorksWithAnSm2KeyFile() throws Exception {
        for (boolean sessions : new boolean[] {false, true}) {
            PrivateKeyIdentity sm2 = Identity.fromPemFile("300:" + SM2_ADMIN, keyFile);
            assertThat(sm2.algorithm()).isEqualTo(SignatureAlgorithm.SM2);
            try (HandleClient c = TestClients.of(NODE).sessions(sessions).identity(sm2).build()) {
                String h = PREFIX + "/SM2-MADE-" + sessions;
                c.blocking().create(h, List.of(Values.url(1, "https://example.com/a"),
                        Values.admin(100, "300:" + SM2_ADMIN, AdminPermissions.ALL)));
                c.blocking().addValues(h, List.of(Values.email(2, "line@example.com")));
                c.blocking().modifyValues(h, List.of(Values.url(1, "https://example.com/b")));
                c.blocking().removeValues(h, 2);
                Resolution r = admin.blocking().resolve(h);
                assertThat(r.value(1).orElseThrow().dataAsString()).isEqualTo("https://example.com/b");
                assertThat(r.value(2)).isEmpty();
                c.blocking().delete(h);
                assertThatThrownBy(() -> admin.blocking().resolve(h)).isInstanceOfSatisfying(ResponseException.class,
                        e -> assertThat(e.responseCode()).isEqualTo(ResponseCode.HANDLE_NOT_FOUND));
            }
        }
    }

    @Test
    void aWrongSm2KeyIsRefusedAndNothingIsWritten() throws Exception {
        KeyPair other = new KeyFiles(CRYPTO).generate(SignatureAlgorithm.SM2, new SecureRandom());
        try (HandleClient c = TestClients.of(NODE)
                .identity(Identity.of(Identity.parseReference("300:" + SM2_ADMIN), other.getPrivate())).build()) {
            String h = PREFIX + "/SM2-WRONG";
            assertThatThrownBy(() -> c.blocking().create(h, List.of(Values.url(1, "https://example.com/x"))))
                    .isInstanceOfSatisfying(ResponseException.class,
                            e -> assertThat(e.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_FAILED));
            assertThatThrownBy(() -> admin.blocking().resolve(h)).isInstanceOfSatisfying(ResponseException.class,
                    e -> assertThat(e.responseCode()).isEqualTo(ResponseCode.HANDLE_NOT_FOUND));
        }
    }
}
