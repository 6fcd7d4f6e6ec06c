package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.AdminValueCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.store.InMemoryRecordStore;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node creates on first start for its administrator, and how it repairs a prefix record. */
class BootstrapTest {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);
    private static final HandleKeyCodec KEY_CODEC = new HandleKeyCodec(CryptoFixtures.PROVIDERS);

    @TempDir
    Path temp;

    @Test
    void firstStartCreatesTheAdministratorIdentity() throws Exception {
        Path data = temp.resolve("data");
        NodeConfig config = TestNode.config(data).prefixes(List.of("88.100.1")).eventLoops(1).cacheMaxRecords(0)
                .build();
        try (Node node = Node.start(config)) {
            Path pem = data.resolve("keys").resolve("admin.pem");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pem))).isEqualTo("rw-------");
            assertThat(KEY_FILES.readPrivateKeyPem(pem).getAlgorithm()).isEqualTo("RSA");
            HandleRecord prefix = node.store().get("0.NA/88.100.1");
            AdminValue admin = AdminValueCodec.decode(prefix.value(PrefixRecords.ADMIN_INDEX).data());
            assertThat(admin).isEqualTo(new AdminValue(AdminValue.ALL, "0.NA/88.100.1", 300));
            HandleValue key = prefix.value(PrefixRecords.ADMIN_KEY_INDEX);
            assertThat(key.type()).isEqualTo("HS_PUBKEY");
            assertThat(KEY_CODEC.decodePublicKey(key.data())).isEqualTo(node.keys().admin().getPublic());
            assertThat(((java.security.interfaces.RSAKey) node.keys().admin().getPublic()).getModulus().bitLength())
                    .isEqualTo(2048);
        }
    }

    @Test
    void missingAdministratorValuesAreAddedAndChangedOnesKept() {
        KeyPair admin = KEY_FILES.generateRsa(new SecureRandom());
        SiteInfo site = SitePublisher.describe(KEY_CODEC, InetAddress.getLoopbackAddress(), 2641, admin.getPublic(),
                1);
        InMemoryRecordStore store = new InMemoryRecordStore();
        store.put(HandleRecord.of("0.NA/88.100.1", List.of(HandleValue.builder(7, "DESC").data("imported").build())));
        HandleValue rotated = HandleValue.builder(PrefixRecords.ADMIN_KEY_INDEX, "HS_PUBKEY").data(
                KEY_CODEC.encodePublicKey(KEY_FILES.generateRsa(new SecureRandom()).getPublic())).build();
        store.put(HandleRecord.of("0.NA/77.1", List.of(rotated)));

        PrefixRecords.ensure(KEY_CODEC, store, List.of("88.100.1", "77.1"), site, admin.getPublic(), 1_000_000L);

        HandleRecord imported = store.get("0.NA/88.100.1");
        assertThat(imported.values()).extracting(HandleValue::index).containsExactlyInAnyOrder(1, 7, 100, 300);
        assertThat(imported.value(300).data()).isEqualTo(KEY_CODEC.encodePublicKey(admin.getPublic()));
        HandleRecord kept = store.get("0.NA/77.1");
        assertThat(kept.value(300).data()).isEqualTo(rotated.data());
        assertThat(kept.value(100)).isNotNull();
    }
}
