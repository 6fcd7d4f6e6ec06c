package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static io.idnode.client.TestClients.PREFIX_HANDLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.ValueCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.server.StockClients;
import io.idnode.server.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.AdminRecord;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.Encoder;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.PublicKeyAuthenticationInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records written with the SDK read back byte for byte with the stock CNRI client
 * ({@code net.handle:handle-client:9.3.1}, configured as handle-protocol.md §7.3 prescribes), and records
 * written with the stock client read back identically with the SDK.
 */
class StockClientInteropTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)));

    @TempDir
    static Path temp;

    static HandleResolver stock;
    static HandleClient sdk;

    @BeforeAll
    static void clients() throws Exception {
        // The stock client keeps its default session tracker, as a CNRI tool administering would.
        stock = StockClients.resolver(NODE.dataDir(), temp.resolve("stock"), true, Interface.SP_HDL_TCP);
        sdk = TestClients.of(NODE).identity(TestClients.admin(NODE)).build();
    }

    @org.junit.jupiter.api.AfterAll
    static void close() {
        sdk.close();
    }

    private static List<byte[]> encodings(net.handle.hdllib.HandleValue[] values) {
        return Arrays.stream(values).sorted(Comparator.comparingInt(net.handle.hdllib.HandleValue::getIndex))
                .map(Encoder::encodeHandleValue).toList();
    }

    private static List<byte[]> encodings(List<HandleValue> values) {
        return values.stream().sorted(Comparator.comparingInt(HandleValue::index)).map(ValueCodec::encode).toList();
    }

    @Test
    void recordsWrittenWithTheSdkReadBackByteForByteWithTheStockClient() throws Exception {
        String h = PREFIX + "/INTEROP-SDK";
        List<HandleValue> sent = List.of(
                Values.url(1, "https://example.com/products/PUMP-2026-000124"),
                Values.email(2, "quality@example.com"),
                Values.json(3, "PRODUCT_DATA", "{\"model\":\"P-200\",\"serial\":\"000124\",\"made\":\"2026-01-31\"}"),
                Values.text(4, "DESC", "Kreiselpumpe P-200 — 2,2 kW").toBuilder().ttl(HandleValue.TTL_ABSOLUTE,
                        2_000_000_000).build(),
                Values.valueList(200, List.of(new ValueReference(PREFIX_HANDLE, 300))),
                Values.admin(100, ADMIN, AdminPermissions.ALL));
        sdk.blocking().create(h, sent);

        net.handle.hdllib.HandleValue[] read = stock.resolveHandle(h, null, null);
        List<HandleValue> sdkRead = sdk.blocking().resolve(h).values();
        assertThat(encodings(read)).usingElementComparator(Arrays::compare).containsExactlyElementsOf(encodings(sdkRead));
        // What the stock client read is what was sent, but for the timestamps the node stamps.
        assertThat(read).hasSize(sent.size());
        for (net.handle.hdllib.HandleValue v : read) {
            HandleValue mine = sent.stream().filter(s -> s.index() == v.getIndex()).findFirst().orElseThrow();
            HandleValue theirs = ValueCodec.decode(Encoder.encodeHandleValue(v));
            assertThat(theirs.withTimestamp(0)).isEqualTo(mine.withTimestamp(0));
            assertThat(v.getTimestamp()).isPositive();
        }
    }

    @Test
    void recordsWrittenWithTheStockClientReadBackIdenticallyWithTheSdk() throws Exception {
        String h = PREFIX + "/INTEROP-STOCK";
        PrivateKey key = new KeyFiles(CryptoProviders.create()).readPrivateKeyPem(
                NODE.dataDir().resolve("keys").resolve("admin.pem"));
        PublicKeyAuthenticationInfo auth = new PublicKeyAuthenticationInfo(Util.encodeString(PREFIX_HANDLE), 300, key);
        net.handle.hdllib.HandleValue secret = new net.handle.hdllib.HandleValue(5, "HS_SECKEY",
                "stock-secret".getBytes(StandardCharsets.UTF_8));
        secret.setAnyoneCanRead(false);
        net.handle.hdllib.HandleValue[] values = {
            new net.handle.hdllib.HandleValue(1, "URL", "https://example.com/products/VALVE-9"),
            new net.handle.hdllib.HandleValue(2, "EMAIL", "line-2@example.com"),
            secret,
            new net.handle.hdllib.HandleValue(100, Util.encodeString("HS_ADMIN"), Encoder.encodeAdminRecord(
                    new AdminRecord(Util.encodeString(PREFIX_HANDLE), 300, true, true, true, true, true, true, true,
                            true, true, true, true, true))),
        };
        AbstractResponse r = stock.processRequest(new CreateHandleRequest(Util.encodeString(h), values, auth));
        assertThat(r.responseCode).isEqualTo(AbstractResponse.RC_SUCCESS);

        Resolution publicRead = sdk.blocking().resolve(h);
        assertThat(encodings(publicRead.values())).usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(encodings(stock.resolveHandle(h, null, null)));
        // With its restricted value, as the administrator.
        Resolution all = sdk.blocking().resolve(ResolveRequest.of(h).withPublicOnly(false));
        assertThat(all.values()).hasSize(4);
        HandleValue seckey = all.value(5).orElseThrow();
        assertThat(seckey.dataAsString()).isEqualTo("stock-secret");
        assertThat(seckey.isPublicReadable()).isFalse();
        assertThat(seckey.permissions() & ValuePermissions.ADMIN_READ).isNotZero();
        for (net.handle.hdllib.HandleValue v : values) {
            HandleValue read = all.value(v.getIndex()).orElseThrow();
            assertThat(read.withTimestamp(0)).isEqualTo(ValueCodec.decode(Encoder.encodeHandleValue(v)).withTimestamp(0));
        }
    }
}
