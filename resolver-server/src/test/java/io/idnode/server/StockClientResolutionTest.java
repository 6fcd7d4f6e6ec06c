package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.handle.hdllib.AbstractMessage;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.Common;
import net.handle.hdllib.Encoder;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.ResolutionRequest;
import net.handle.hdllib.ResolutionResponse;
import net.handle.hdllib.SiteInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stock CNRI client resolves against a real node over UDP and over TCP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StockClientResolutionTest {
    static final String PREFIX = "88.100.1";
    static final String PRODUCT = PREFIX + "/PROD-0001";
    static final String BIG = PREFIX + "/BIG-RECORD";

    @TempDir
    static Path temp;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)).demo(true));

    Node node;

    @BeforeAll
    void seedRecords() {
        node = NODE.node();
        int ts = 1_700_000_000;
        node.store().put(HandleRecord.of(PRODUCT, List.of(
                HandleValue.builder(1, "URL").data("https://example.com/products/PROD-0001").timestamp(ts).build(),
                HandleValue.builder(2, "EMAIL").data("admin@example.com").timestamp(ts).build(),
                HandleValue.builder(3, "URL.alt").data("https://mirror.example.com/PROD-0001").timestamp(ts).build(),
                HandleValue.builder(4, "SECRET_NOTE").data("admins only")
                        .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).timestamp(ts).build(),
                PrefixRecords.adminValue("0.NA/" + PREFIX, ts))));
        List<HandleValue> many = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            many.add(HandleValue.builder(i, "DESC").data("component " + i + " of the assembly, with a long text")
                    .timestamp(ts).build());
        }
        node.store().put(HandleRecord.of(BIG, many));
    }

    HandleResolver resolver(int protocol) throws Exception {
        return StockClients.resolver(NODE.dataDir(), temp.resolve("client-" + protocol), protocol);
    }

    static List<String> types(net.handle.hdllib.HandleValue[] values) {
        return Arrays.stream(values).map(net.handle.hdllib.HandleValue::getTypeAsString).toList();
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void resolvesAllPublicValues(int protocol) throws Exception {
        net.handle.hdllib.HandleValue[] values = resolver(protocol).resolveHandle(PRODUCT, null, null);
        assertThat(types(values)).containsExactly("URL", "EMAIL", "URL.alt", "HS_ADMIN");
        assertThat(values[0].getDataAsString()).isEqualTo("https://example.com/products/PROD-0001");
        assertThat(values[0].getTimestamp()).isEqualTo(1_700_000_000);
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void filtersByTypeCaseInsensitivelyWithSubtypeQueries(int protocol) throws Exception {
        HandleResolver r = resolver(protocol);
        assertThat(types(r.resolveHandle(PRODUCT, new String[] {"email"}, null))).containsExactly("EMAIL");
        assertThat(types(r.resolveHandle(PRODUCT, new String[] {"URL"}, null))).containsExactly("URL");
        assertThat(types(r.resolveHandle(PRODUCT, new String[] {"URL."}, null))).containsExactly("URL", "URL.alt");
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void filtersByIndexAsUnionWithTypes(int protocol) throws Exception {
        HandleResolver r = resolver(protocol);
        net.handle.hdllib.HandleValue[] byIndex = r.resolveHandle(PRODUCT, null, new int[] {2, 100});
        assertThat(Arrays.stream(byIndex).mapToInt(net.handle.hdllib.HandleValue::getIndex)).containsExactly(2, 100);
        net.handle.hdllib.HandleValue[] union = r.resolveHandle(PRODUCT, new String[] {"URL"}, new int[] {2});
        assertThat(types(union)).containsExactly("URL", "EMAIL");
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void matchesHandlesCaseInsensitively(int protocol) throws Exception {
        net.handle.hdllib.HandleValue[] values = resolver(protocol).resolveHandle("88.100.1/prod-0001", new String[] {"URL"}, null);
        assertThat(values).hasSize(1);
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void unknownHandleIsNotFound(int protocol) throws Exception {
        HandleResolver r = resolver(protocol);
        assertThatThrownBy(() -> r.resolveHandle(PREFIX + "/NO-SUCH-THING", null, null))
                .isInstanceOf(HandleException.class)
                .satisfies(e -> assertThat(((HandleException) e).getCode()).isEqualTo(HandleException.HANDLE_DOES_NOT_EXIST));
        AbstractResponse raw = r.processRequest(new ResolutionRequest(Util.encodeString(PREFIX + "/NO-SUCH-THING"),
                null, null, null));
        assertThat(raw.responseCode).isEqualTo(AbstractMessage.RC_HANDLE_NOT_FOUND);
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void unknownTypeIsValuesNotFound(int protocol) throws Exception {
        HandleResolver r = resolver(protocol);
        AbstractResponse raw = r.processRequest(new ResolutionRequest(Util.encodeString(PRODUCT),
                new byte[][] {Util.encodeString("NO_SUCH_TYPE")}, null, null));
        assertThat(raw.responseCode).isEqualTo(AbstractMessage.RC_VALUES_NOT_FOUND);
        assertThat(r.resolveHandle(PRODUCT, new String[] {"NO_SUCH_TYPE"}, null)).isEmpty();
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void neverServesRestrictedValuesWithoutAuthentication(int protocol) throws Exception {
        HandleResolver r = resolver(protocol);
        AbstractResponse raw = r.processRequest(new ResolutionRequest(Util.encodeString(PRODUCT), null,
                new int[] {4}, null));
        assertThat(raw.responseCode).isEqualTo(AbstractMessage.RC_VALUES_NOT_FOUND);
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void certifiedReplyIsSignedAndVerifiedByTheClient(int protocol) throws Exception {
        HandleResolver r = resolver(protocol);
        ResolutionRequest req = new ResolutionRequest(Util.encodeString(PRODUCT), null, null, null);
        req.certify = true;
        AbstractResponse resp = r.processRequest(req);
        assertThat(resp.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        // The library throws MISSING_OR_INVALID_SIGNATURE unless the signature verifies with the site key.
        assertThat(resp.signature).isNotNull().isNotEmpty();
        assertThat(resp.certify).isTrue();
        assertThat(((ResolutionResponse) resp).values.length).isEqualTo(4);
    }

    @Test
    void recordLargerThanOneDatagramResolvesOverUdp() throws Exception {
        net.handle.hdllib.HandleValue[] values = resolver(Interface.SP_HDL_UDP).resolveHandle(BIG, null, null);
        assertThat(values).hasSize(40);
        assertThat(values[39].getDataAsString()).isEqualTo("component 40 of the assembly, with a long text");
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void prefixRecordCarriesSiteAdminAndKey(int protocol) throws Exception {
        net.handle.hdllib.HandleValue[] values = resolver(protocol).resolveHandle("0.NA/" + PREFIX, null, null);
        assertThat(types(values)).containsExactlyInAnyOrder("HS_SITE", "HS_ADMIN", "HS_PUBKEY");
        net.handle.hdllib.HandleValue siteValue = Arrays.stream(values)
                .filter(v -> v.getTypeAsString().equals("HS_SITE")).findFirst().orElseThrow();
        SiteInfo site = Encoder.decodeSiteInfoRecord(siteValue.getData(), 0);
        assertThat(site.isPrimary).isTrue();
        assertThat(site.servers[0].interfaces).extracting(i -> i.port).containsOnly(node.port(), node.httpPort());
        assertThat(site.servers[0].getPublicKey()).isEqualTo(node.keys().node().getPublic());
        net.handle.hdllib.HandleValue key = Arrays.stream(values)
                .filter(v -> v.getTypeAsString().equals("HS_PUBKEY")).findFirst().orElseThrow();
        assertThat(key.getIndex()).isEqualTo(300);
        assertThat(Util.getPublicKeyFromBytes(key.getData(), 0)).isEqualTo(node.keys().admin().getPublic());
    }

    @Test
    void demoIdentifiersResolve() throws Exception {
        assertThat(node.demoHandles()).contains(PREFIX + "/PUMP-2026-000123");
        net.handle.hdllib.HandleValue[] values = resolver(Interface.SP_HDL_UDP)
                .resolveHandle(PREFIX + "/PUMP-2026-000123", new String[] {"URL"}, null);
        assertThat(values[0].getDataAsString()).isEqualTo("https://example.com/products/PUMP-2026-000123");
    }

    @Test
    void prefixNotHomedHereIsServerNotResponsible() throws Exception {
        SiteInfo site = StockClients.site(NODE.dataDir());
        HandleResolver r = resolver(Interface.SP_HDL_TCP);
        AbstractResponse resp = r.sendRequestToSite(new ResolutionRequest(Util.encodeString("99.999/OTHER"), null,
                null, null), site);
        assertThat(resp.responseCode).isEqualTo(AbstractMessage.RC_SERVER_NOT_RESP);
    }

    @Test
    void siteInfoFileMatchesWhatTheNodeServes() throws Exception {
        SiteInfo site = StockClients.site(NODE.dataDir());
        assertThat(site.majorProtocolVersion).isEqualTo((byte) 2);
        assertThat(site.minorProtocolVersion).isEqualTo((byte) 11);
        assertThat(new String(site.servers[0].getAddressString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .contains("127.0.0.1");
        assertThat(Common.MAX_UDP_DATA_SIZE).isEqualTo(492);
    }
}
