package io.idnode.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.model.SiteInfo;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.Node;
import io.idnode.server.NodeConfig;
import io.idnode.server.StockClients;
import io.idnode.server.TestNode;
import io.idnode.server.recursion.RecursionSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A recursive node (README "The tree of nodes") in front of a tree of three nodes on loopback: the top-level node
 * homes {@code 88} and delegates {@code 88.100} to the secondary, which delegates {@code 88.100.1} to the enterprise
 * node. The recursive node knows only the top and answers any identifier in one round trip, from the answers and
 * referrals it keeps by their TTLs, its clock a ticker the test moves by hand. Its requests to other nodes are
 * counted by its meter. Further nodes make a referral loop and an upstream that never answers.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RecursiveNodeTest {
    /** TTL of the delegation values on the parents, seconds. */
    static final int DELEGATION_TTL = 600;
    /** TTL of the product identifier's value, seconds. */
    static final int ANSWER_TTL = 10;

    static Path temp;
    static Node top;
    static Node secondary;
    static Node enterprise;
    static Node movedEnterprise;
    static Node recursive;
    static final ManualTicker TICKER = new ManualTicker();
    static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();
    static final List<AutoCloseable> OTHERS = new ArrayList<>();

    /** A ticker moved by hand. */
    static final class ManualTicker implements Ticker {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    @BeforeAll
    static void startTheTreeAndTheRecursiveNode() throws Exception {
        temp = Files.createTempDirectory("idnode-recursive");
        top = Node.start(TestNode.config(temp.resolve("top")).prefixes(List.of("88")).build());
        secondary = Node.start(TestNode.config(temp.resolve("secondary")).prefixes(List.of("88.100")).build());
        enterprise = Node.start(TestNode.config(temp.resolve("enterprise")).prefixes(List.of("88.100.1")).build());
        movedEnterprise = Node.start(TestNode.config(temp.resolve("moved")).prefixes(List.of("88.100.1")).build());
        try (HandleClient admin = adminOf(top, "0.NA/88")) {
            admin.create("0.NA/88.100", delegation(secondary, "0.NA/88")).join();
        }
        try (HandleClient admin = adminOf(secondary, "0.NA/88.100")) {
            admin.create("0.NA/88.100.1", delegation(enterprise, "0.NA/88.100")).join();
        }
        for (Node n : new Node[] {enterprise, movedEnterprise}) {
            try (HandleClient admin = adminOf(n, "0.NA/88.100.1")) {
                admin.create("88.100.1/PUMP-1", List.of(ttl(Values.url(1, n == enterprise
                        ? "https://example.com/pump-1" : "https://example.com/pump-1-moved"), ANSWER_TTL))).join();
            }
        }
        recursive = Node.start(TestNode.config(temp.resolve("recursive")).prefixes(List.of("99"))
                .rootSites(List.of(top.site())).recursive(true).ticker(TICKER).meters(METERS).build());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable c : OTHERS) {
            c.close();
        }
        for (Node n : new Node[] {recursive, movedEnterprise, enterprise, secondary, top}) {
            if (n != null) {
                n.close();
            }
        }
        try (Stream<Path> paths = Files.walk(temp)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static HandleValue ttl(HandleValue v, int seconds) {
        return v.toBuilder().ttl(HandleValue.TTL_RELATIVE, seconds).build();
    }

    static HandleValue site(int index, String type, Node node) {
        return ttl(Values.bytes(index, type, SiteInfoCodec.encode(node.site())), DELEGATION_TTL);
    }

    /**
     * The values of a parent's delegation record for {@code child}: its site as HS_SITE and HS_SITE.PREFIX, and the
     * parent's administrator {@code 300:parentPrefixHandle} as the record's.
     */
    static List<HandleValue> delegation(Node child, String parentPrefixHandle) {
        return List.of(site(1, ValueTypes.HS_SITE, child), site(2, ValueTypes.HS_SITE_PREFIX, child),
                Values.admin(100, "300:" + parentPrefixHandle, AdminValue.ALL));
    }

    static HandleClient adminOf(Node node, String prefixHandle) {
        return HandleClient.builder().node("127.0.0.1:" + node.port()).identity(Identity.of(
                new ValueReference(prefixHandle, 300), node.keys().admin().getPrivate())).build();
    }

    /** A client that sends everything to {@code node} itself, over UDP (or TCP only). */
    static HandleClient clientOf(Node node, boolean udp) {
        return HandleClient.builder().node("127.0.0.1:" + node.port()).prefixLookup(false).udp(udp)
                .operationTimeout(Duration.ofSeconds(30)).build();
    }

    static long upstream() {
        return (long) METERS.get(Node.RECURSION_UPSTREAM).functionCounter().count();
    }

    /** Moves the recursive node's clock past every TTL it keeps: it starts cold. */
    static void forgetEverything() {
        TICKER.advance(Duration.ofDays(2));
    }

    static List<String> urls(Resolution r) {
        return r.values().stream().filter(v -> v.type().equals("URL")).map(HandleValue::dataAsString).toList();
    }

    @Test
    void anEnterpriseIdentifierResolvesInOneRoundTripThreeUpstreamRequestsColdNoneHot() {
        forgetEverything();
        try (HandleClient client = clientOf(recursive, true)) {
            long before = upstream();
            assertThat(urls(client.resolve("88.100.1/PUMP-1").join())).containsExactly("https://example.com/pump-1");
            long cold = upstream() - before;
            assertThat(cold).isBetween(1L, 3L);
            assertThat(urls(client.resolve("88.100.1/pump-1").join())).containsExactly("https://example.com/pump-1");
            assertThat(upstream() - before).isEqualTo(cold);
        }
    }

    @Test
    void aNotFoundAnswerIsKeptForTheNegativeTtl() {
        forgetEverything();
        try (HandleClient client = clientOf(recursive, true)) {
            long before = upstream();
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> client.resolve("88.100.1/NO-SUCH-PUMP").join()).cause()
                        .isInstanceOfSatisfying(ResponseException.class, e -> assertThat(e.responseCode())
                                .isEqualTo(ResponseCode.HANDLE_NOT_FOUND));
            }
            long asked = upstream() - before;
            assertThat(asked).isBetween(1L, 3L);
            TICKER.advance(Duration.ofSeconds(31)); // the default negative TTL is 30 s
            assertThatThrownBy(() -> client.resolve("88.100.1/NO-SUCH-PUMP").join()).cause()
                    .isInstanceOf(ResponseException.class);
            assertThat(upstream() - before).isEqualTo(asked + 1);
        }
    }

    @Test
    void whatTheNodeHoldsItselfIsNeverAskedOfOthers() {
        try (HandleClient client = clientOf(recursive, true)) {
            long before = upstream();
            assertThat(client.resolve("0.NA/99").join().values()).extracting(HandleValue::type)
                    .contains(ValueTypes.HS_SITE);
            assertThatThrownBy(() -> client.resolve("99/NOTHING").join()).cause()
                    .isInstanceOfSatisfying(ResponseException.class, e -> assertThat(e.responseCode())
                            .isEqualTo(ResponseCode.HANDLE_NOT_FOUND));
            assertThat(upstream()).isEqualTo(before);
        }
    }

    @Test
    void theChineseSdksGlobalResolutionOverTcpFindsTheEnterpriseNode() throws Exception {
        forgetEverything();
        try (HandleClient client = clientOf(recursive, false)) {
            // cn-extensions.md §6.1: the bare prefix with [HS_SITE], then prefix/suffix at its first TCP interface.
            Resolution prefix = client.resolve(ResolveRequest.of("88.100.1").withTypes(ValueTypes.HS_SITE)).join();
            assertThat(prefix.values()).isNotEmpty();
            SiteInfo site = SiteInfoCodec.decode(prefix.values().get(0).data());
            int port = site.servers().get(0).interfaces().stream().filter(i -> i.protocol() == 1).findFirst()
                    .orElseThrow().port();
            assertThat(port).isEqualTo(enterprise.port());
            try (HandleClient there = HandleClient.builder().node("127.0.0.1:" + port).prefixLookup(false)
                    .udp(false).build()) {
                assertThat(urls(there.resolve("88.100.1/PUMP-1").join()))
                        .containsExactly("https://example.com/pump-1");
            }
        }
    }

    @Test
    void theStockClientResolvesThroughTheRecursiveNode() throws Exception {
        forgetEverything();
        HandleResolver resolver = StockClients.resolver(StockClients.site(temp.resolve("recursive")),
                temp.resolve("stock-config"), false, Interface.SP_HDL_UDP, Interface.SP_HDL_TCP);
        long before = upstream();
        AbstractResponse reply = resolver.sendRequestToSite(new net.handle.hdllib.ResolutionRequest(
                Util.encodeString("88.100.1/PUMP-1"), null, null, null), StockClients.site(temp.resolve("recursive")));
        assertThat(reply.responseCode).isEqualTo(1);
        net.handle.hdllib.HandleValue[] values = ((net.handle.hdllib.ResolutionResponse) reply).getHandleValues();
        assertThat(Arrays.stream(values).map(net.handle.hdllib.HandleValue::getDataAsString))
                .contains("https://example.com/pump-1");
        assertThat(upstream() - before).isBetween(1L, 3L);
    }

    @Test
    void aDelegationChangedOnTheParentIsSeenAfterItsTtlAndNotBefore() throws Exception {
        forgetEverything();
        try (HandleClient client = clientOf(recursive, true);
                HandleClient parent = adminOf(secondary, "0.NA/88.100")) {
            assertThat(urls(client.resolve("88.100.1/PUMP-1").join())).containsExactly("https://example.com/pump-1");
            parent.modifyValues("0.NA/88.100.1", delegation(movedEnterprise, "0.NA/88.100")).join();
            try {
                // The answer's own TTL is over, the delegation's not: the node asks the enterprise node it knows.
                TICKER.advance(Duration.ofSeconds(ANSWER_TTL + 50));
                assertThat(urls(client.resolve("88.100.1/PUMP-1").join()))
                        .containsExactly("https://example.com/pump-1");
                TICKER.advance(Duration.ofSeconds(DELEGATION_TTL));
                assertThat(urls(client.resolve("88.100.1/PUMP-1").join()))
                        .containsExactly("https://example.com/pump-1-moved");
            } finally {
                parent.modifyValues("0.NA/88.100.1", delegation(enterprise, "0.NA/88.100")).join();
                forgetEverything();
            }
        }
    }

    @Test
    void aReferralLoopEndsWithAnErrorWithinTheLimitAndBothNodesKeepAnswering() throws Exception {
        Node a = Node.start(TestNode.config(temp.resolve("loop-a")).prefixes(List.of("66")).build());
        OTHERS.add(a);
        Node b = Node.start(TestNode.config(temp.resolve("loop-b")).prefixes(List.of("66.1")).build());
        OTHERS.add(b);
        // A delegates the prefixes under 66.1 to B, and B, in its own prefix record, back to A.
        try (HandleClient admin = adminOf(a, "0.NA/66")) {
            admin.create("0.NA/66.1", List.of(site(2, ValueTypes.HS_SITE_PREFIX, b))).join();
        }
        try (HandleClient admin = adminOf(b, "0.NA/66.1")) {
            admin.addValues("0.NA/66.1", List.of(site(2, ValueTypes.HS_SITE_PREFIX, a))).join();
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Node loopy = Node.start(TestNode.config(temp.resolve("loop-recursive")).prefixes(List.of("98"))
                .rootSites(List.of(a.site())).recursive(true).meters(meters).build());
        OTHERS.add(loopy);
        try (HandleClient client = clientOf(loopy, true)) {
            for (String handle : List.of("0.NA/66.1.2", "66.1.2/X")) {
                assertThatThrownBy(() -> client.resolve(handle).join()).as(handle).cause()
                        .isInstanceOfSatisfying(ResponseException.class, e -> assertThat(e.responseCode())
                                .isEqualTo(ResponseCode.RECURSION_COUNT_TOO_HIGH));
            }
            assertThat(meters.get(Node.RECURSION_UPSTREAM).functionCounter().count())
                    .isLessThanOrEqualTo(2.0 * RecursionSettings.MAX_HOPS);
            // Both nodes keep answering, and the recursive node resolves what is reachable.
            assertThat(client.resolve("0.NA/66").join().values()).isNotEmpty();
        }
        for (Node n : new Node[] {a, b}) {
            try (HandleClient direct = clientOf(n, true)) {
                assertThat(direct.resolve(n == a ? "0.NA/66" : "0.NA/66.1").join().values()).isNotEmpty();
            }
        }
    }

    @Test
    void anUpstreamThatNeverAnswersGives602AndOneThatCannotBeReached601() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket silentTcp = new ServerSocket(0, 50, loopback);
                DatagramSocket silentUdp = new DatagramSocket(new InetSocketAddress(loopback,
                        silentTcp.getLocalPort()))) {
            // Connections are taken by the kernel's backlog, never accepted; datagrams are never read.
            SiteInfo silent = Endpoint.provisionalSite(new InetSocketAddress(loopback, silentTcp.getLocalPort()));
            Node waiting = Node.start(TestNode.config(temp.resolve("silent-recursive")).prefixes(List.of("97"))
                    .rootSites(List.of(silent)).recursive(true).recursionTimeout(Duration.ofMillis(1500)).build());
            OTHERS.add(waiting);
            try (HandleClient client = clientOf(waiting, false)) {
                assertThatThrownBy(() -> client.resolve("88.100.1/PUMP-1").join()).cause()
                        .isInstanceOfSatisfying(ResponseException.class, e -> assertThat(e.responseCode())
                                .isEqualTo(ResponseCode.CLIENT_TIME_OUT));
                assertThat(client.resolve("0.NA/97").join().values()).isNotEmpty();
            }
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            closedPort = s.getLocalPort();
        }
        SiteInfo gone = Endpoint.provisionalSite(new InetSocketAddress(loopback, closedPort));
        NodeConfig.Builder cfg = TestNode.config(temp.resolve("gone-recursive")).prefixes(List.of("96"))
                .rootSites(List.of(gone)).recursive(true).recursionTimeout(Duration.ofSeconds(10));
        Node failing = Node.start(cfg.build());
        OTHERS.add(failing);
        try (HandleClient client = clientOf(failing, false)) {
            assertThatThrownBy(() -> client.resolve("88.100.1/PUMP-1").join()).cause()
                    .isInstanceOfSatisfying(ResponseException.class, e -> assertThat(e.responseCode())
                            .isEqualTo(ResponseCode.CLIENT_CHANNEL_ERROR));
        }
    }

    @Test
    void aSourceBeyondItsRecursionBudgetIsAnsweredBusyAndKeptAnswersStillFlow() throws Exception {
        ManualTicker ticker = new ManualTicker();
        Node limited = Node.start(TestNode.config(temp.resolve("limited-recursive")).prefixes(List.of("95"))
                .rootSites(List.of(top.site())).recursive(true).recursionRate(2).exemptNetworks(List.of())
                .ticker(ticker).build());
        OTHERS.add(limited);
        try (HandleClient client = HandleClient.builder().node("127.0.0.1:" + limited.port()).prefixLookup(false)
                .udp(false).operationTimeout(Duration.ofSeconds(2)).build()) {
            assertThat(urls(client.resolve("88.100.1/PUMP-1").join())).containsExactly("https://example.com/pump-1");
            assertThatThrownBy(() -> client.resolve("88.100.1/NOT-1").join()).cause()
                    .isInstanceOfSatisfying(ResponseException.class, e -> assertThat(e.responseCode())
                            .isEqualTo(ResponseCode.HANDLE_NOT_FOUND));
            // 3 (too busy) is a failure of that server to the SDK, which tries again until its time is up.
            assertThatThrownBy(() -> client.resolve("88.100.1/NOT-2").join()).cause()
                    .isInstanceOf(AllServersFailedException.class).hasMessageContaining("SERVER_TOO_BUSY(3)")
                    .hasMessageContaining("recursion budget");
            // A kept answer costs other nodes nothing: it is still given.
            assertThat(urls(client.resolve("88.100.1/PUMP-1").join())).containsExactly("https://example.com/pump-1");
            ticker.advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> client.resolve("88.100.1/NOT-2").join()).cause()
                    .isInstanceOfSatisfying(ResponseException.class, e -> assertThat(e.responseCode())
                            .isEqualTo(ResponseCode.HANDLE_NOT_FOUND));
        }
    }
}
