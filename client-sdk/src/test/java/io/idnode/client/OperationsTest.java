package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static io.idnode.client.TestClients.PREFIX_HANDLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.codec.ValueCodec;
import io.idnode.codec.ValueListCodec;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every operation of the client against a real node on loopback, as the node's administrator in a session
 * (handle-protocol.md §3.1, §4, §6.5): each change checked by resolving afterwards.
 */
class OperationsTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX))
            .admins(List.of(new ValueReference(PREFIX_HANDLE, 300))));

    static HandleClient client;
    static BlockingHandleClient c;

    @BeforeAll
    static void connect() throws Exception {
        client = TestClients.of(NODE).identity(TestClients.admin(NODE)).build();
        c = client.blocking();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static List<HandleValue> product(String url) {
        return List.of(Values.url(1, url), Values.json(2, "PRODUCT_DATA", "{ \"model\": \"P-200\", \"batch\": 7 }"),
                Values.admin(100, ADMIN, AdminPermissions.ALL));
    }

    @Test
    void createsResolvesAndDeletes() throws Exception {
        String h = PREFIX + "/OPS-1";
        assertThat(c.create(h, product("https://example.com/1"))).isEqualTo(new CreateResult(h, true));

        Resolution r = c.resolve(h);
        assertThat(r.handle()).isEqualTo(h);
        assertThat(r.firstText("URL")).contains("https://example.com/1");
        assertThat(r.firstText("PRODUCT_DATA")).contains("{\"model\":\"P-200\",\"batch\":7}");
        assertThat(r.values()).extracting(HandleValue::index).containsExactlyInAnyOrder(1, 2, 100);
        assertThat(r.certified()).isFalse();

        c.delete(h);
        assertThatThrownBy(() -> c.resolve(h)).isInstanceOfSatisfying(ResponseException.class, e -> {
            assertThat(e.responseCode()).isEqualTo(ResponseCode.HANDLE_NOT_FOUND);
            assertThat(e.handle()).isEqualTo(h);
            assertThat(e).hasMessageContaining(h + " does not exist");
        });
    }

    @Test
    void anExistingHandleFailsOrCountsAsDoneOrIsReplacedAsAsked() throws Exception {
        String h = PREFIX + "/OPS-EXISTS";
        c.create(h, product("https://example.com/a"));

        assertThatThrownBy(() -> c.create(h, product("https://example.com/a")))
                .isInstanceOfSatisfying(ResponseException.class, e -> {
                    assertThat(e.responseCode()).isEqualTo(ResponseCode.HANDLE_ALREADY_EXISTS);
                    assertThat(e).hasMessageContaining("exists already").hasMessageContaining("IfExists.OVERWRITE");
                });
        CreateRequest same = CreateRequest.of(h, product("https://example.com/a")).withIfExists(IfExists.ACCEPT_IDENTICAL);
        assertThat(c.create(same)).isEqualTo(new CreateResult(h, false));

        CreateRequest other = CreateRequest.of(h, product("https://example.com/b")).withIfExists(IfExists.ACCEPT_IDENTICAL);
        assertThatThrownBy(() -> c.create(other)).isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.responseCode()).isEqualTo(ResponseCode.HANDLE_ALREADY_EXISTS);
            assertThat(e.existing()).extracting(HandleValue::dataAsString).contains("https://example.com/a");
        });
        assertThat(c.resolve(h).firstText("URL")).contains("https://example.com/a");

        List<HandleValue> replacement = List.of(Values.url(5, "https://example.com/c"),
                Values.admin(100, ADMIN, AdminPermissions.ALL));
        assertThat(c.create(CreateRequest.of(h, replacement).withIfExists(IfExists.OVERWRITE)))
                .isEqualTo(new CreateResult(h, true));
        assertThat(c.resolve(h).values()).extracting(HandleValue::index).containsExactlyInAnyOrder(5, 100);
    }

    @Test
    void theNodeMintsASuffix() throws Exception {
        CreateResult made = c.create(CreateRequest.minting(PREFIX, product("https://example.com/minted")));
        assertThat(made.created()).isTrue();
        assertThat(made.handle()).startsWith(PREFIX + "/").hasSizeGreaterThan(PREFIX.length() + 1);
        assertThat(c.resolve(made.handle()).firstText("URL")).contains("https://example.com/minted");
    }

    @Test
    void addsModifiesAndRemovesValues() throws Exception {
        String h = PREFIX + "/OPS-VALUES";
        c.create(h, product("https://example.com/v"));

        c.addValues(h, List.of(Values.email(3, "line-4@example.com"), Values.text(4, "DESC", "pump")));
        c.modifyValues(h, List.of(Values.url(1, "https://example.com/v2")));
        c.removeValues(h, 4);

        Resolution r = c.resolve(h);
        assertThat(r.values()).extracting(HandleValue::index).containsExactlyInAnyOrder(1, 2, 3, 100);
        assertThat(r.firstText("URL")).contains("https://example.com/v2");
        assertThat(r.firstText("EMAIL")).contains("line-4@example.com");

        assertThatThrownBy(() -> c.addValues(h, List.of(Values.email(3, "other@example.com"))))
                .isInstanceOfSatisfying(ResponseException.class,
                        e -> assertThat(e.responseCode()).isEqualTo(ResponseCode.VALUE_ALREADY_EXISTS));
        assertThatThrownBy(() -> c.removeValues(h, 77)).isInstanceOfSatisfying(ResponseException.class,
                e -> assertThat(e.responseCode()).isEqualTo(ResponseCode.VALUES_NOT_FOUND));
    }

    @Test
    void resolutionFiltersByTypeAndIndexAndCertifies() throws Exception {
        String h = PREFIX + "/OPS-FILTER";
        c.create(h, List.of(Values.url(1, "https://example.com/f"), Values.text(2, "URL.ALT", "https://alt"),
                Values.email(3, "f@example.com"), Values.admin(100, ADMIN, AdminPermissions.ALL)));

        assertThat(c.resolve(ResolveRequest.of(h).withTypes("URL")).values()).extracting(HandleValue::index)
                .containsExactly(1);
        assertThat(c.resolve(ResolveRequest.of(h).withTypes("URL.")).values()).extracting(HandleValue::index)
                .containsExactlyInAnyOrder(1, 2);
        assertThat(c.resolve(ResolveRequest.of(h).withTypes("EMAIL").withIndexes(1)).values())
                .extracting(HandleValue::index).containsExactlyInAnyOrder(1, 3);
        assertThat(c.resolve(ResolveRequest.of(h).withTypes("NONE")).values()).isEmpty();

        Resolution certified = c.resolve(ResolveRequest.of(h).withCertified(true).withAuthoritative(true));
        assertThat(certified.certified()).isTrue();
        assertThat(certified.values()).hasSize(4);
    }

    @Test
    void restrictedValuesAreReadOnlyAsTheIdentity() throws Exception {
        String h = PREFIX + "/OPS-SECRET";
        byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
        c.create(h, List.of(Values.url(1, "https://example.com/s"), Values.secretKey(2, secret),
                Values.admin(100, ADMIN, AdminPermissions.ALL)));

        assertThat(c.resolve(h).values()).extracting(HandleValue::index).containsExactlyInAnyOrder(1, 100);
        Resolution all = c.resolve(ResolveRequest.of(h).withPublicOnly(false));
        assertThat(all.values()).extracting(HandleValue::index).containsExactlyInAnyOrder(1, 2, 100);
        HandleValue seckey = all.value(2).orElseThrow();
        assertThat(seckey.data()).isEqualTo(secret);
        assertThat(seckey.permissions()).isEqualTo(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE);
    }

    @Test
    void listsTheHandlesOfAPrefixPageByPage() throws Exception {
        String sub = PREFIX + "/LIST-";
        List<Registration> items = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            items.add(Registration.of(sub + i, Values.url(1, "https://example.com/l/" + i)));
        }
        BatchSummary done = client.register(items.iterator(), BatchOptions.defaults().withMaxInFlight(16))
                .completion().get();
        assertThat(done.created()).isEqualTo(120);

        List<Integer> pageSizes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        long n = client.listHandles(PREFIX, page -> {
            pageSizes.add(page.size());
            seen.addAll(page);
        }).get();
        assertThat(n).isEqualTo(seen.size());
        assertThat(pageSizes).allMatch(s -> s <= 50);
        assertThat(pageSizes.size()).isGreaterThanOrEqualTo(3);
        assertThat(seen).containsAll(items.stream().map(Registration::handle).toList()).doesNotHaveDuplicates();
        assertThat(c.listHandles(PREFIX_HANDLE)).containsExactlyInAnyOrderElementsOf(seen);
    }

    @Test
    void homesAndUnhomesAPrefix() throws Exception {
        c.home("88.100.7");
        assertThat(c.listHomedPrefixes()).contains(PREFIX, "88.100.7");
        c.unhome("0.NA/88.100.7");
        assertThat(c.listHomedPrefixes()).contains(PREFIX).doesNotContain("88.100.7");
    }

    @Test
    void siteInfoIsTheNodesSiteFile() throws Exception {
        byte[] bin = Files.readAllBytes(NODE.dataDir().resolve("siteinfo.bin"));
        assertThat(SiteInfoCodec.encode(c.siteInfo())).isEqualTo(bin);
        assertThat(SiteInfoCodec.encode(client.siteInfo(new java.net.InetSocketAddress("127.0.0.1", NODE.port()))
                .get())).isEqualTo(bin);
    }

    @Test
    void aClientFromTheSiteFilesReachesTheNode() throws Exception {
        String h = PREFIX + "/OPS-SITEFILE";
        c.create(h, product("https://example.com/site"));
        for (String file : List.of("siteinfo.bin", "siteinfo.json")) {
            try (HandleClient fromFile = HandleClient.builder().siteFile(NODE.dataDir().resolve(file)).build()) {
                Resolution r = fromFile.blocking().resolve(ResolveRequest.of(h).withCertified(true));
                assertThat(r.firstText("URL")).as(file).contains("https://example.com/site");
            }
        }
    }

    @Test
    void administersWithoutSessionsAnsweringEveryChallenge() throws Exception {
        try (HandleClient plain = TestClients.of(NODE).identity(TestClients.admin(NODE)).sessions(false).build()) {
            String h = PREFIX + "/OPS-NOSESSION";
            plain.blocking().create(h, product("https://example.com/ns"));
            plain.blocking().addValues(h, List.of(Values.email(3, "ns@example.com")));
            assertThat(plain.blocking().resolve(h).firstText("EMAIL")).contains("ns@example.com");
        }
    }

    @Test
    void valueBuildersEncodeTheProtocolsFormats() throws Exception {
        ValueReference member = new ValueReference(PREFIX + "/OPERATOR", 300);
        HandleValue vlist = Values.valueList(200, List.of(member));
        assertThat(ValueListCodec.decode(vlist.data())).containsExactly(member);
        HandleValue admin = Values.admin(100, "0:" + PREFIX + "/OPERATOR", AdminPermissions.RECORD_OWNER);
        assertThat(AdminValueCodec.decode(admin.data())).isEqualTo(new AdminValue(0x7F3, PREFIX + "/OPERATOR", 0));
        assertThat(ValueCodec.encode(Values.url(1, "u"))).isEqualTo(ValueCodec.encode(
                HandleValue.builder(1, "URL").data("u").build()));
        assertThatThrownBy(() -> Values.json(2, "PRODUCT_DATA", "{\"model\": }"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON").hasMessageContaining("line 1");
        assertThatThrownBy(() -> Values.admin(100, "OPERATOR", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INDEX:HANDLE");
    }

    @Test
    void manyCreatesAtOnceShareOneSession() throws Exception {
        List<java.util.concurrent.CompletableFuture<CreateResult>> all = IntStream.range(0, 200)
                .mapToObj(i -> client.create(PREFIX + "/OPS-MANY-" + i, List.of(Values.url(1, "https://e/" + i))))
                .toList();
        for (var f : all) {
            assertThat(f.get().created()).isTrue();
        }
        assertThat(NODE.node().store().get(PREFIX + "/OPS-MANY-199").value(1).dataAsString()).isEqualTo("https://e/199");
    }
}
