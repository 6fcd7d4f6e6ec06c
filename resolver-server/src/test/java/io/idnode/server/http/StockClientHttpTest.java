package io.idnode.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.server.StockClients;
import io.idnode.server.TestNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.HandleValue;
import net.handle.hdllib.Interface;
import net.handle.hdllib.ResolutionRequest;
import net.handle.hdllib.ResolutionResponse;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stock CNRI client with HTTP as its only protocol (handle-protocol.md §1.5, §7.3): it finds the node's HTTP
 * interface in the published site and resolves through native messages over HTTP.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StockClientHttpTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true));

    @TempDir
    static Path temp;

    private static HandleResolver httpOnly(String name) throws Exception {
        return StockClients.resolver(NODE.dataDir(), temp.resolve(name), Interface.SP_HDL_HTTP);
    }

    @Test
    void theSiteAdvertisesTheHttpInterface() throws Exception {
        assertThat(StockClients.site(NODE.dataDir()).servers[0].interfaces)
                .anyMatch(i -> i.protocol == Interface.SP_HDL_HTTP && i.port == NODE.node().httpPort());
    }

    @Test
    void resolvesAProductOverHttpOnly() throws Exception {
        HandleValue[] values = httpOnly("resolve").resolveHandle("88.100.1/PUMP-2026-000123", null, null);
        assertThat(Arrays.stream(values).map(HandleValue::getTypeAsString))
                .contains("URL", "DESC", "PRODUCT_DATA", "HS_ADMIN");
        assertThat(Arrays.stream(values).filter(v -> v.getIndex() == 1).findFirst().orElseThrow().getDataAsString())
                .isEqualTo("https://example.com/products/PUMP-2026-000123");
    }

    @Test
    void aCertifiedResolutionOverHttpIsSignedByTheNodeKey() throws Exception {
        HandleResolver r = httpOnly("certified");
        ResolutionRequest req = new ResolutionRequest(Util.encodeString("88.100.1/VALVE-2026-004711"), null, null,
                null);
        req.certify = true;
        AbstractResponse response = r.processRequest(req);
        assertThat(response).isInstanceOf(ResolutionResponse.class);
        assertThat(response.signature).isNotNull();
        assertThat(response.verifyMessage(NODE.node().keys().node().getPublic())).isTrue();
    }

    @Test
    void anUnknownHandleOverHttpIsNotFound() throws Exception {
        HandleResolver r = httpOnly("missing");
        assertThatThrownBy(() -> r.resolveHandle("88.100.1/NO-SUCH-THING", null, null))
                .isInstanceOf(HandleException.class)
                .satisfies(e -> assertThat(((HandleException) e).getCode()).isEqualTo(HandleException.HANDLE_DOES_NOT_EXIST));
    }
}
