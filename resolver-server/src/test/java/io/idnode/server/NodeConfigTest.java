package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.cache.CacheSettings;
import io.idnode.handler.PendingChallenges;
import io.idnode.handler.session.SessionSettings;
import io.idnode.model.ValueReference;
import io.idnode.server.ratelimit.SourceLimitSettings;
import io.idnode.store.RocksDbRecordStore;
import io.idnode.testing.ManualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The builder refuses nonsense naming the setting and nests the session, cache and store settings; its
 * product is immutable.
 */
class NodeConfigTest {
    static Stream<Arguments> refusals() throws Exception {
        InetAddress wildcard = InetAddress.getByName("0.0.0.0");
        return Stream.of(
                refusal("data", "data must be given, was null", b -> b.dataDir(null)),
                refusal("bind", "bind must be given, was null", b -> b.bindAddress(null)),
                refusal("advertise", "advertise must be an address clients can reach, not the wildcard 0.0.0.0",
                        b -> b.advertiseAddress(wildcard)),
                refusal("port", "port must be 0..65535, was 70000", b -> b.port(70000)),
                refusal("port", "port must be 0..65535, was -1", b -> b.port(-1)),
                refusal("prefix", "prefix needs at least one prefix, e.g. 88.100.1", b -> b.prefixes(List.of())),
                refusal("prefix", "prefix must be like 88.100.1 (no '/'), was ''", b -> b.prefixes(List.of(""))),
                refusal("prefix", "prefix must be like 88.100.1 (no '/'), was '0.NA/88'",
                        b -> b.prefixes(List.of("88", "0.NA/88"))),
                refusal("tcp-idle", "tcp-idle must be positive, was 0 s", b -> b.tcpIdleTimeout(Duration.ZERO)),
                refusal("tcp-idle", "tcp-idle must be positive, was PT-0.5S",
                        b -> b.tcpIdleTimeout(Duration.ofMillis(-500))),
                refusal("threads", "threads must be 0 (one per core) or more, was -1", b -> b.eventLoops(-1)),
                refusal("cache", "cache must be 0 (no cache) or more records, was -1", b -> b.cacheMaxRecords(-1)),
                refusal("block-cache", "block-cache must be 1..1048576 MiB, was 1048577",
                        b -> b.storeBlockCacheMib(1_048_577)),
                refusal("admin", "admin must have an index of 0 or more and a handle, was '300:'",
                        b -> b.admins(List.of(new ValueReference("", 300)))),
                refusal("max-sessions", "max-sessions must be at least 1, was 0", b -> b.maxSessions(0)),
                refusal("session-timeout", "session-timeout must be at least 1 second, was PT0.999S",
                        b -> b.sessionTimeout(Duration.ofMillis(999))),
                refusal("max-sessions-per-source", "max-sessions-per-source must be at least 1, was 0",
                        b -> b.maxSessionsPerSource(0)),
                refusal("challenge-memory", "challenge-memory must be 1..65536 MiB, was 0",
                        b -> b.challengeMemoryMib(0)),
                refusal("queue-memory", "queue-memory must be 1..65536 MiB, was 65537",
                        b -> b.queueMemoryMib(65_537)),
                refusal("queue-wait", "queue-wait must be positive, was 0 ms", b -> b.queueWait(Duration.ZERO)),
                refusal("reassembly-memory", "reassembly-memory must be 1..65536 MiB, was -1",
                        b -> b.reassemblyMemoryMib(-1)),
                refusal("tcp-frame-memory", "tcp-frame-memory must be 1..65536 MiB, was 0",
                        b -> b.tcpFrameMemoryMib(0)),
                refusal("tcp-max-connections", "tcp-max-connections must be at least 1, was 0",
                        b -> b.tcpMaxConnections(0)),
                refusal("tcp-max-connections-per-source", "tcp-max-connections-per-source must be at least 1, was -3",
                        b -> b.tcpMaxConnectionsPerSource(-3)),
                refusal("tcp-request-timeout", "tcp-request-timeout must be at least 1 second, was PT0.5S",
                        b -> b.tcpRequestTimeout(Duration.ofMillis(500))),
                refusal("tcp-session-in-flight", "tcp-session-in-flight must be 8 to 1024, was 7",
                        b -> b.tcpSessionInFlight(7)),
                refusal("tcp-session-in-flight", "tcp-session-in-flight must be 8 to 1024, was 1025",
                        b -> b.tcpSessionInFlight(1025)),
                refusal("udp-max-reply", "udp-max-reply must be at least 512 bytes, was 511", b -> b.udpMaxReply(511)),
                refusal("udp-rate", "udp-rate must be 0 (no limit)..62500000 a second, was -1", b -> b.udpRate(-1)),
                refusal("udp-slip", "udp-slip must be 0 (drop all)..100, was 101", b -> b.udpSlip(101)),
                refusal("signature-rate", "signature-rate must be 0 (no limit)..62500000 a second, was 62500001",
                        b -> b.signatureRate(62_500_001)),
                refusal("ipv4-network-bits", "ipv4-network-bits must be 1..32, was 33", b -> b.ipv4NetworkBits(33)),
                refusal("ipv6-network-bits", "ipv6-network-bits must be 1..64, was 0", b -> b.ipv6NetworkBits(0)),
                refusal("rate-table-size", "rate-table-size must be 16..16777216 entries, was 15",
                        b -> b.rateTableSize(15)),
                refusal("exempt-networks", "exempt-networks must list networks as ADDRESS/BITS, but '10.0.0.0/40'"
                        + " must have 0..32 bits after '/'", b -> b.exemptNetworks(List.of("10.0.0.0/40"))),
                refusal("clock", "clock must be given, was null", b -> b.clock(null)),
                refusal("ticker", "ticker must be given, was null", b -> b.ticker(null)));
    }

    static Arguments refusal(String setting, String message, Consumer<NodeConfig.Builder> call) {
        return Arguments.of(setting, message, call);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void eachSetterRefusesNonsenseNamingTheSetting(String setting, String message, Consumer<NodeConfig.Builder> call) {
        NodeConfig.Builder builder = NodeConfig.builder();

        assertThatThrownBy(() -> call.accept(builder)).isInstanceOfSatisfying(InvalidSettingException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void anAdministratorIsParsedFromIndexAndHandle() {
        assertThat(NodeConfig.parseAdmin("300:0.NA/88.100.1")).isEqualTo(new ValueReference("0.NA/88.100.1", 300));
        assertThat(NodeConfig.parseAdmin("0:88.100.1/OPS:A")).isEqualTo(new ValueReference("88.100.1/OPS:A", 0));
        assertThatThrownBy(() -> NodeConfig.parseAdmin("300:")).hasMessage(
                "admin must be INDEX:HANDLE, e.g. 300:0.NA/88.100.1, was '300:'");
    }

    @Test
    void theProductDoesNotChangeWithTheBuilderOrTheListsItWasGiven() {
        List<String> prefixes = new ArrayList<>(List.of("77.1"));
        List<ValueReference> admins = new ArrayList<>(List.of(new ValueReference("0.NA/77.1", 300)));
        NodeConfig.Builder builder = NodeConfig.builder().prefixes(prefixes).admins(admins).port(7000);
        NodeConfig config = builder.build();

        prefixes.add("77.2");
        admins.clear();
        builder.port(7001).prefixes(List.of("77.3"));

        assertThat(config.port()).isEqualTo(7000);
        assertThat(config.prefixes()).containsExactly("77.1");
        assertThat(config.admins()).containsExactly(new ValueReference("0.NA/77.1", 300));
        assertThatThrownBy(() -> config.prefixes().add("77.4")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sessionCacheAndStoreSettingsAreNestedWithTheNodesTime() {
        ManualClock clock = new ManualClock(1_000);
        Ticker ticker = () -> 42;

        NodeConfig config = NodeConfig.builder().maxSessions(5).maxSessionsPerSource(2)
                .sessionTimeout(Duration.ofMinutes(10)).cacheMaxRecords(300).storeBlockCacheMib(8).clock(clock)
                .ticker(ticker).build();

        assertThat(config.sessions()).isEqualTo(new SessionSettings(5, 2, Duration.ofMinutes(10)));
        CacheSettings cache = config.cache().orElseThrow();
        assertThat(cache.maximumSize()).isEqualTo(300);
        assertThat(cache.clock()).isSameAs(clock);
        assertThat(cache.ticker()).isSameAs(ticker);
        assertThat(config.store()).isEqualTo(new StoreSettings(8L << 20));
        assertThat(config.clock()).isSameAs(clock);
        assertThat(config.ticker()).isSameAs(ticker);
    }

    @Test
    void sourceLimitsAreNestedFromTheDefaultsAndTheSetters() {
        SourceLimitSettings defaults = NodeConfig.builder().build().sourceLimits();
        assertThat(defaults).isEqualTo(new SourceLimitSettings(512, 100, 2, 20, 24, 56, 65536, defaults.exempt()));
        assertThat(defaults.exempt().networks()).containsExactly("127.0.0.0/8", "::1/128");

        SourceLimitSettings set = NodeConfig.builder().udpMaxReply(1400).udpRate(0).udpSlip(1).signatureRate(7)
                .ipv4NetworkBits(32).ipv6NetworkBits(64).rateTableSize(16).exemptNetworks(List.of()).build()
                .sourceLimits();
        assertThat(set).isEqualTo(new SourceLimitSettings(1400, 0, 1, 7, 32, 64, 16, set.exempt()));
        assertThat(set.exempt().networks()).isEmpty();
    }

    @Test
    void aCacheOfNoRecordsIsNoCache() {
        assertThat(NodeConfig.builder().cacheMaxRecords(0).build().cache()).isEmpty();
    }

    @Test
    void theAdvertisedAddressIsTheBoundOneUnlessThatIsAWildcard() throws Exception {
        InetAddress wildcard = InetAddress.getByName("0.0.0.0");
        InetAddress other = InetAddress.getByName("127.0.0.2");

        assertThat(NodeConfig.builder().bindAddress(other).build().advertiseAddress()).isEqualTo(other);
        assertThat(NodeConfig.builder().bindAddress(wildcard).build().advertiseAddress())
                .isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(NodeConfig.builder().bindAddress(wildcard).advertiseAddress(other).build().advertiseAddress())
                .isEqualTo(other);
    }

    /** The core keeps its own defaults for embedders; a node left to its defaults file must match them. */
    @Test
    void theNodesDefaultsAgreeWithTheLibraryDefaultsOfTheCore() {
        NodeConfig defaults = NodeConfig.builder().build();

        assertThat(defaults.sessions()).isEqualTo(SessionSettings.DEFAULT);
        assertThat(defaults.cache().orElseThrow().maximumSize()).isEqualTo(CacheSettings.DEFAULT_MAXIMUM_SIZE);
        assertThat(defaults.store().blockCacheBytes()).isEqualTo(RocksDbRecordStore.DEFAULT_BLOCK_CACHE_BYTES);
        assertThat(defaults.limits().challengeMemoryBytes()).isEqualTo(PendingChallenges.DEFAULT_MEMORY);
    }

    @Test
    void limitsAreNestedInBytesAndDurations() {
        NodeConfig config = NodeConfig.builder().challengeMemoryMib(1).queueMemoryMib(2)
                .queueWait(Duration.ofMillis(1500)).reassemblyMemoryMib(3).tcpFrameMemoryMib(4).tcpMaxConnections(50)
                .tcpMaxConnectionsPerSource(5).tcpRequestTimeout(Duration.ofSeconds(7)).build();

        assertThat(config.limits()).isEqualTo(new LimitSettings(1L << 20, 2L << 20, Duration.ofMillis(1500),
                3L << 20, 4L << 20, 50, 5, Duration.ofSeconds(7)));
    }
}
