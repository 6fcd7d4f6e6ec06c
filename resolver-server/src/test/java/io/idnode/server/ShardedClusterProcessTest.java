package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.store.RocksDbRecordStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.handle.hdllib.AbstractMessage;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.ErrorResponse;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.PublicKeyAuthenticationInfo;
import net.handle.hdllib.ResolutionRequest;
import net.handle.hdllib.ResolutionResponse;
import net.handle.hdllib.SiteInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service of two servers (shards) per site on loopback, one member process per server of each site (server
 * <i>i</i> of every site forms Raft group <i>i</i>), driven by the stock client configured with the HS_SITEs the
 * members generate (handle-protocol.md §7.2, §7.3): it creates and resolves handles, hashing each to its server
 * by itself; a server asked for a handle of the other answers 301; each handle lives only in the stores of its
 * server's members; {@code cluster status} reports each group. Two sites by default (four processes, each
 * group a pair: the machine has two cores), {@code -Didnode.shards.sites=3} for three members per group.
 */
class ShardedClusterProcessTest {
    private static final String PREFIX = "88.100.2";
    private static final String PREFIX_HANDLE = "0.NA/" + PREFIX;
    private static final int SERVERS = 2;
    private static final int SITES = Integer.getInteger("idnode.shards.sites", 2);
    private static final int HANDLES = 16;
    /** Small JVMs that start fast, as in the single-shard process test. */
    private static final List<String> JVM = List.of("-Xmx160m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-XX:-UsePerfData");
    /** Bound of one member's start, from its JVM to having joined its group, on a machine loaded 15-30. */
    private static final Duration START = Duration.ofSeconds(180);

    @TempDir
    Path temp;

    private final Map<String, NodeProcess> members = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private Path clusterFile;

    @Test
    @Timeout(value = 480, unit = TimeUnit.SECONDS)
    void stockClientCreatesAndResolvesAcrossShardsEachHandleOnlyOnItsOwn() throws Exception {
        try {
            run();
        } catch (Exception | AssertionError e) {
            members.forEach((id, m) -> {
                List<String> lines = m.lines();
                System.out.println("---- member " + id + " (last 100 lines)");
                lines.subList(Math.max(0, lines.size() - 100), lines.size()).forEach(System.out::println);
            });
            throw e;
        } finally {
            members.values().forEach(NodeProcess::close);
        }
    }

    private void run() throws Exception {
        writeClusterFile();
        // Every member shares the node and administrator keys: a site's HS_SITE lists the node key for each of
        // its servers, and every server checks the administrator against its own copy of the prefix record.
        NodeKeys.loadOrCreate(data(id(0, 1)).resolve(Node.KEYS_DIR), CryptoFixtures.PROVIDERS);
        for (String id : ids()) {
            if (!id.equals(id(0, 1))) {
                ClusterProcesses.copyKeys(data(id(0, 1)), data(id));
            }
        }
        long t0 = System.nanoTime();
        for (String id : ids()) {
            members.put(id, start(id)); // in parallel: each JVM starts on its own
        }
        for (String id : ids()) {
            members.get(id).awaitLine(MemberSite.JOINED, 0, START);
        }
        System.out.printf("%d members joined their groups %d ms after their start%n", members.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

        // Each site's HS_SITE lists its servers in the order of their numbers, hashed by the whole handle; every
        // member of a site describes it alike.
        SiteInfo[] sites = new SiteInfo[SITES];
        for (int s = 0; s < SITES; s++) {
            sites[s] = StockClients.site(data(id(s, 1)));
            assertThat(sites[s].servers).hasSize(SERVERS);
            assertThat(sites[s].hashOption).isEqualTo(SiteInfo.HASH_TYPE_BY_ALL);
            assertThat(sites[s].isPrimary).isTrue();
            for (int i = 0; i < SERVERS; i++) {
                assertThat(sites[s].servers[i].interfaces[0].port).isEqualTo(ports.get(id(s, i + 1)));
                SiteInfo same = StockClients.site(data(id(s, i + 1)));
                assertThat(same.servers[i].interfaces[0].port).isEqualTo(ports.get(id(s, i + 1)));
                assertThat(same.servers).hasSize(SERVERS);
            }
        }
        HandleResolver resolver = StockClients.service(sites, temp.resolve("client"));
        // Every server keeps a copy of the prefix record, listing every site.
        for (SiteInfo site : sites) {
            for (int i = 0; i < SERVERS; i++) {
                int server = i;
                awaitTrue(SITES + " HS_SITE values in " + PREFIX_HANDLE + " at server " + (i + 1) + " of "
                        + site.servers[i].interfaces[0].port, Duration.ofSeconds(90),
                        () -> siteValues(resolver, site, server) == SITES);
            }
        }

        PrivateKey admin = new KeyFiles(CryptoFixtures.PROVIDERS).readPrivateKeyPem(data(id(0, 1))
                .resolve(Node.KEYS_DIR).resolve("admin.pem"));
        PublicKeyAuthenticationInfo auth = new PublicKeyAuthenticationInfo(Util.encodeString(PREFIX_HANDLE), 300,
                admin);
        // The stock client finds the service from the prefix record and sends each create to its server.
        Map<String, Integer> shardOf = new LinkedHashMap<>();
        for (int k = 0; k < HANDLES; k++) {
            String h = PREFIX + "/SHARD-" + k;
            AbstractResponse r = resolver.processRequest(create(h, url(h), auth));
            assertThat(r.responseCode).as("create " + h).isEqualTo(AbstractMessage.RC_SUCCESS);
            shardOf.put(h, sites[0].determineServerNum(Util.encodeString(h)));
        }
        assertThat(new HashSet<>(shardOf.values())).as("servers the handles hash to").containsExactlyInAnyOrder(0, 1);
        for (String h : shardOf.keySet()) {
            net.handle.hdllib.HandleValue[] values = resolver.resolveHandle(h, new String[] {"URL"}, null);
            assertThat(values).hasSize(1);
            assertThat(values[0].getDataAsString()).isEqualTo(url(h));
        }
        // Asked directly, each site's own server answers (AT: every member of the group has it); the other
        // server answers 301.
        for (var e : shardOf.entrySet()) {
            for (SiteInfo site : sites) {
                AbstractResponse own = resolution(resolver, site, e.getValue(), e.getKey());
                assertThat(own.responseCode).as(e.getKey() + " at its server").isEqualTo(AbstractMessage.RC_SUCCESS);
                assertThat(((ResolutionResponse) own).getHandleValues()[0].getDataAsString()).isEqualTo(url(e.getKey()));
                AbstractResponse other = resolution(resolver, site, 1 - e.getValue(), e.getKey());
                assertThat(other.responseCode).as(e.getKey() + " at the other server")
                        .isEqualTo(AbstractMessage.RC_SERVER_NOT_RESP);
                assertThat(Util.decodeString(((ErrorResponse) other).message)).contains("server " + (e.getValue() + 1));
            }
        }
        // A create sent to the wrong server is refused there and made nowhere.
        String misplaced = shardOf.entrySet().stream().filter(e -> e.getValue() == 0).findFirst().orElseThrow()
                .getKey() + "-X";
        int misplacedShard = sites[0].determineServerNum(Util.encodeString(misplaced));
        AbstractResponse refused = resolver.sendRequestToServer(create(misplaced, url(misplaced), auth), sites[0],
                sites[0].servers[1 - misplacedShard]);
        assertThat(refused.responseCode).isEqualTo(AbstractMessage.RC_SERVER_NOT_RESP);

        // cluster status reports each group: its leader and its members, the members of one server.
        CommandRun status = CommandRun.run("cluster", "status", "--cluster", clusterFile.toString(), "--json",
                "--timeout", "30");
        assertThat(status.exit()).as(status.err()).isZero();
        JsonNode groups = new ObjectMapper().readTree(status.out());
        assertThat(groups.isArray()).isTrue();
        assertThat(groups).hasSize(SERVERS);
        Set<String> groupIds = new HashSet<>();
        for (int i = 0; i < SERVERS; i++) {
            JsonNode g = groups.get(i);
            assertThat(g.get("server").asInt()).isEqualTo(i + 1);
            groupIds.add(g.get("group").asText());
            List<String> ids = new ArrayList<>();
            g.get("members").forEach(m -> ids.add(m.get("id").asText()));
            List<String> expected = new ArrayList<>();
            for (int s = 0; s < SITES; s++) {
                expected.add(id(s, i + 1));
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(expected).contains(g.get("leader").asText());
        }
        assertThat(groupIds).hasSize(SERVERS);
        CommandRun text = CommandRun.run("cluster", "status", "--cluster", clusterFile.toString(), "--server", "2",
                "--timeout", "30");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("server 2: leader").doesNotContain("server 1:");

        for (NodeProcess m : members.values()) {
            NodeProcess.Run end = m.stop();
            assertThat(end.exit()).isEqualTo(143); // SIGTERM, after the graceful stop
        }
        // Each handle is in the stores of its server's members only; every store has the prefix record.
        for (String id : ids()) {
            int server = server(id);
            try (RocksDbRecordStore store = RocksDbRecordStore.open(data(id).resolve(Node.STORE_DIR))) {
                assertThat(store.get(PREFIX_HANDLE)).as("prefix record at " + id).isNotNull();
                for (var e : shardOf.entrySet()) {
                    if (e.getValue() == server - 1) {
                        assertThat(store.get(e.getKey())).as(e.getKey() + " at " + id).isNotNull();
                    } else {
                        assertThat(store.get(e.getKey())).as(e.getKey() + " at " + id).isNull();
                    }
                }
                assertThat(store.get(misplaced)).isNull();
            }
        }
    }

    /** The number of HS_SITE values of the prefix record at server {@code server} of {@code site} (0: none). */
    private static volatile String lastSeen = "nothing yet";

    private static int siteValues(HandleResolver resolver, SiteInfo site, int server) {
        try {
            ResolutionRequest req = new ResolutionRequest(Util.encodeString(PREFIX_HANDLE),
                    new byte[][] {Util.encodeString("HS_SITE")}, null, null);
            AbstractResponse r = resolver.sendRequestToServer(req, site, site.servers[server]);
            if (r instanceof ResolutionResponse res) {
                List<Integer> indexes = new ArrayList<>();
                for (net.handle.hdllib.HandleValue v : res.getHandleValues()) {
                    indexes.add(v.getIndex());
                }
                lastSeen = "HS_SITE at indexes " + indexes;
                return indexes.size();
            }
            lastSeen = "answered " + r;
            return 0;
        } catch (HandleException e) {
            lastSeen = e.toString();
            return 0;
        }
    }

    /** An authoritative resolution of {@code handle} sent to server {@code server} (0-based) of {@code site}. */
    private static AbstractResponse resolution(HandleResolver resolver, SiteInfo site, int server, String handle)
            throws HandleException {
        ResolutionRequest req = new ResolutionRequest(Util.encodeString(handle), null, null, null);
        req.authoritative = true;
        return resolver.sendRequestToServer(req, site, site.servers[server]);
    }

    private static CreateHandleRequest create(String handle, String url, PublicKeyAuthenticationInfo auth) {
        return new CreateHandleRequest(Util.encodeString(handle),
                new net.handle.hdllib.HandleValue[] {new net.handle.hdllib.HandleValue(1, "URL", url)}, auth);
    }

    private static String url(String handle) {
        return "https://example.com/" + handle;
    }

    /** Member id of server {@code server} (1-based) of site {@code site} (0-based): a1, a2, b1, ... */
    private static String id(int site, int server) {
        return (char) ('a' + site) + String.valueOf(server);
    }

    private static int server(String id) {
        return Integer.parseInt(id.substring(1));
    }

    private static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < SITES; s++) {
            for (int i = 1; i <= SERVERS; i++) {
                ids.add(id(s, i));
            }
        }
        return ids;
    }

    private NodeProcess start(String id) throws IOException {
        return NodeProcess.start(temp, JVM, "serve", "--data", data(id).toString(), "--cluster",
                clusterFile.toString(), "--member", id, "--prefix", PREFIX, "--threads", "1", "--http-port", "0",
                "--cache", "1000", "--block-cache", "8");
    }

    private Path data(String id) {
        return temp.resolve("member-" + id);
    }

    private void writeClusterFile() throws IOException {
        StringBuilder b = new StringBuilder("cluster.name = test-shards-" + PREFIX + "\n");
        for (String id : ids()) {
            int port = freePort();
            ports.put(id, port);
            b.append("member.").append(id).append(".address = 127.0.0.1\n")
                    .append("member.").append(id).append(".port = ").append(port).append('\n')
                    .append("member.").append(id).append(".raft-port = ").append(freePort()).append('\n')
                    .append("member.").append(id).append(".server = ").append(server(id)).append('\n')
                    .append("member.").append(id).append(".site = site-").append(id.charAt(0)).append('\n');
        }
        clusterFile = temp.resolve("cluster.properties");
        Files.writeString(clusterFile, b);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitTrue(String what, Duration bound, BooleanSupplier condition)
            throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what + " (last seen: " + lastSeen + ")")
                    .isLessThan(end);
            Thread.sleep(200);
        }
    }
}
