package io.idnode.server;

import io.idnode.budget.MemoryBudget;
import io.idnode.cache.CacheSettings;
import io.idnode.cache.CachingRecordStore;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.handler.IdentityHomes;
import io.idnode.handler.Replies;
import io.idnode.handler.RequestHandler;
import io.idnode.handler.UpstreamNodes;
import io.idnode.handler.NodeIdentity;
import io.idnode.handler.PendingChallenges;
import io.idnode.handler.session.SessionSettings;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.SiteInfo;
import io.idnode.node.RequestChain;
import io.idnode.replication.ClusterMember;
import io.idnode.server.ratelimit.RateTable;
import io.idnode.server.ratelimit.SourceLimits;
import io.idnode.server.recursion.RecursionLink;
import io.idnode.server.recursion.RecursionSettings;
import io.idnode.server.recursion.Recursor;
import io.idnode.store.RecordStore;
import io.idnode.store.RocksDbRecordStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: store (RocksDB behind the hot cache), keys, site description, prefix records and the
 * network shell, started in that order and closed in reverse. Prefixes homed at run time (HOME_NA) are kept
 * in {@code DIR/}{@value #HOMED_FILE} and served again after a restart, besides the configured ones.
 */
public final class Node implements AutoCloseable {
    /** Folder of the RocksDB store inside the data folder. */
    public static final String STORE_DIR = "db";
    /** Folder of the key files inside the data folder. */
    public static final String KEYS_DIR = "keys";
    /** File of the prefixes served, one a line, rewritten on every HOME/UNHOME. */
    public static final String HOMED_FILE = "prefixes.txt";
    /** Name of the counter of requests a recursive node sent to other nodes. */
    public static final String RECURSION_UPSTREAM = "idnode.recursion.upstream.requests";

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final RecordStore store;
    private final RocksDbRecordStore rocks;
    private final Path dataDir;
    private ControlSocket control;
    private IdentityHomes homes;
    private Recursor recursor;
    private final NodeServer server;
    private final SiteInfo site;
    private final NodeKeys keys;
    private final List<String> demoHandles;
    private final MeterRegistry meters;
    private NodeMeters nodeMeters;
    // The replicated service's member this node runs, or null for a single node.
    private ClusterMember member;

    private Node(RecordStore store, RocksDbRecordStore rocks, Path dataDir, NodeServer server, SiteInfo site,
            NodeKeys keys, List<String> demoHandles, MeterRegistry meters) {
        this.store = store;
        this.rocks = rocks;
        this.dataDir = dataDir;
        this.server = server;
        this.site = site;
        this.keys = keys;
        this.demoHandles = demoHandles;
        this.meters = meters;
    }

    /**
     * Starts a node with {@code config}; on failure everything opened so far is closed again. A data folder
     * that cannot be used (a file, read-only, a full file system) is refused as an {@link InvalidSettingException}
     * before anything is created. Once serving, the node listens on its {@link ControlSocket} for online backups.
     */
    public static Node start(NodeConfig config) throws IOException, InterruptedException {
        Clock clock = config.clock();
        MemoryBudget challengeMemory = new MemoryBudget("challenge-memory", config.limits().challengeMemoryBytes());
        PendingChallenges challenges = new PendingChallenges(PendingChallenges.DEFAULT_LIFETIME, config.ticker(),
                challengeMemory);
        LimitMeters.budget(config.meters(), challengeMemory);
        LimitMeters.refusals(config.meters(), "challenge-memory-per-source", challenges,
                PendingChallenges::refusedPerSource);
        SessionSettings sessionSettings = config.sessions();
        DataFolder.require(config.dataDir());
        Files.createDirectories(config.dataDir());
        CryptoProviders crypto = CryptoProviders.create();
        HandleKeyCodec keyCodec = new HandleKeyCodec(crypto);
        NodeKeys keys = NodeKeys.loadOrCreate(config.dataDir().resolve(KEYS_DIR), config.keyType(), crypto);
        ClusterMember member = config.cluster().isPresent() ? startMember(config) : null;
        RocksDbRecordStore rocks = member != null ? null : config.store().open(config.dataDir().resolve(STORE_DIR));
        RecordStore store = member != null ? member.store()
                : config.cache().<RecordStore>map(settings -> new CachingRecordStore(rocks, settings)).orElse(rocks);
        NodeServer server = null;
        IdentityHomes homes = null;
        Recursor recursor = null;
        try {
            server = NodeServer.bind(config);
            SiteInfo described = SitePublisher.describe(keyCodec, config.advertiseAddress(), server.port(),
                    server.httpPort(), keys.node().getPublic(), 1);
            if (member != null && member.service().servers() > 1) {
                // a site of several servers, one per shard: clients hash each handle to its server (§7.2)
                described = MemberSite.sharded(keyCodec, member.service(), member.self(), keys.node().getPublic());
            }
            if (member != null) {
                described = MemberSite.flags(described, member.self(), member.cluster());
            }
            SiteInfo site = SitePublisher.publish(config.dataDir(), described);
            if (member == null) {
                PrefixRecords.ensure(keyCodec, store, config.prefixes(), site, keys.admin().getPublic(),
                        clock.millis());
            } else {
                MemberSite.publishWhenReplicated(member, () -> PrefixRecords.ensure(keyCodec, store,
                        config.prefixes(), site, MemberSite.siteIndex(member), keys.admin().getPublic(),
                        clock.millis()));
            }
            List<String> demo = config.demo()
                    ? DemoData.ensure(store, config.prefixes().get(0), clock.millis())
                    : List.of();
            NodeIdentity identity = new NodeIdentity(site, keys.node().getPrivate(), keys.node().getPublic());
            Path homed = config.dataDir().resolve(HOMED_FILE);
            ServedPrefixes served = new ServedPrefixes(servedPrefixes(config, homed), list -> saveHomed(homed, list));
            homes = identityHomes(config);
            RequestChain.Builder chain = RequestChain.builder(store, served, identity, crypto).clock(clock)
                    .identityHomes(homes)
                    .nodeAdmins(config.admins()).pendingChallenges(challenges).sessionSettings(sessionSettings)
                    .signaturePolicy(config.signaturePolicy(), null)
                    .auditLog(new Slf4jAuditLog(config.auditRefusalsPerSecond(), config.ticker(), config.meters()));
            if (member != null && member.service().servers() > 1) {
                chain.shard(member.self().server() - 1);
            }
            recursor = recursor(config);
            if (recursor != null) {
                chain.recursion(recursionLink(config, recursor, served, new Replies(identity, clock)));
            }
            server.serve(chain.build());
            Node node = new Node(store, rocks, config.dataDir(), server, site, keys, demo, config.meters());
            node.nodeMeters = NodeMeters.bind(config.meters(), store, rocks);

            node.homes = homes;
            node.recursor = recursor;
            node.member = member;
            node.listenForControl();
            return node;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            if (server != null) {
                server.close();
            }
            if (homes != null) {
                homes.close();
            }
            if (recursor != null) {
                recursor.close();
            }
            store.close();
            if (member != null) {
                member.close();
            }
            throw e;
        }
    }

    /**
     * Where identities kept on other nodes are checked: with {@code --root}, the client SDK's implementation
     * (found through {@link ServiceLoader}, so the SDK must be on the class path); without, nowhere.
     */
    private static IdentityHomes identityHomes(NodeConfig config) {
        if (config.roots().isEmpty()) {
            return IdentityHomes.NONE;
        }
        IdentityHomes.Factory factory = ServiceLoader.load(IdentityHomes.Factory.class).findFirst()
                .orElseThrow(() -> new InvalidSettingException("root", "needs the client SDK (client-sdk's jar) on"
                        + " the class path, to ask the top-level node"));
        return factory.open(config.roots());
    }

    /**
     * The resolver of a recursive node ({@code --recursive}), asking other nodes through the client SDK's
     * {@link UpstreamNodes} (found through {@link ServiceLoader}); null for a node that is not one. Its upstream
     * requests are counted in the meter {@value #RECURSION_UPSTREAM}.
     */
    private static Recursor recursor(NodeConfig config) {
        if (config.recursion().isEmpty()) {
            return null;
        }
        RecursionSettings settings = config.recursion().orElseThrow();
        UpstreamNodes.Factory factory = ServiceLoader.load(UpstreamNodes.Factory.class).findFirst()
                .orElseThrow(() -> new InvalidSettingException("recursive", "needs the client SDK (client-sdk's jar)"
                        + " on the class path, to ask other nodes"));
        Recursor recursor = new Recursor(settings, factory.open(settings.roots()), config.ticker(), config.clock());
        FunctionCounter.builder(RECURSION_UPSTREAM, recursor, Recursor::upstreamRequests)
                .description("Requests a recursive node sent to other nodes").register(config.meters());
        return recursor;
    }

    /** The recursion link of {@code recursor}: its misses budgeted per source network as {@code --recursion-rate} says. */
    private static UnaryOperator<RequestHandler> recursionLink(NodeConfig config, Recursor recursor,
            ServedPrefixes served, Replies replies) {
        SourceLimits limits = new SourceLimits(config.sourceLimits(), config.ticker(), config.meters());
        RateTable budget = new RateTable(config.sourceLimits().tableSize(),
                config.recursion().orElseThrow().ratePerSource(), 1, config.ticker());
        return next -> new RecursionLink(recursor, served, replies, limits, budget, next);
    }

    /** Starts this node's member of its replicated service; its replica lives where a single node's store does. */
    private static ClusterMember startMember(NodeConfig config) throws IOException {
        return ClusterMember.start(config.cluster().orElseThrow(), config.clusterMember(), config.dataDir(),
                config.dataDir().resolve(STORE_DIR), ClusterMember.replicaOpener(config.store().blockCacheBytes()),
                replica -> config.cache().<RecordStore>map(settings -> new CachingRecordStore(replica, settings))
                        .orElse(replica), config.replication(), config.clusterJoin());
    }

    private static List<String> servedPrefixes(NodeConfig config, Path homed) throws IOException {
        List<String> all = new ArrayList<>(config.prefixes());
        if (Files.exists(homed)) {
            for (String line : Files.readAllLines(homed)) {
                String p = line.strip();
                if (!p.isEmpty() && all.stream().noneMatch(p::equalsIgnoreCase)) {
                    all.add(p);
                }
            }
        }
        return all;
    }

    private static void saveHomed(Path file, List<String> prefixes) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, prefixes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot save homed prefixes to " + file, e);
        }
    }

    private void listenForControl() {
        try {
            control = ControlSocket.open(dataDir, target -> {
                backup(target);
                return "backup of " + dataDir.toAbsolutePath() + " in " + target;
            });
        } catch (IOException e) {
            // e.g. a data folder path too long for a UNIX socket: the node serves, backups need it stopped
            LOG.warn("no control socket {} ({}): online backup is not available", ControlSocket.path(dataDir),
                    e.toString());
        }
    }

    /**
     * Writes a backup of this node into {@code target}, a folder that must not exist yet, while it serves: a
     * checkpoint of the store holding every write acknowledged before the call, and the keys and site files.
     */
    public void backup(Path target) throws IOException {
        NodeBackup.write(member != null ? member.replica() : rocks, dataDir, target);
    }

    /** The bound port, UDP and TCP (the configured one, or the free one picked for port 0). */
    public int port() {
        return server.port();
    }

    /** The bound HTTP port, or -1 when the node serves no HTTP ({@code --no-http}). */
    public int httpPort() {
        return server.httpPort();
    }

    /** The bound HTTPS port, or -1 when the node serves no HTTPS. */
    public int httpsPort() {
        return server.httpsPort();
    }

    /** The site description as published. */
    public SiteInfo site() {
        return site;
    }

    /** The node's signing key and the administrator's key. */
    public NodeKeys keys() {
        return keys;
    }

    /** The node's store, behind the hot cache when there is one. */
    public RecordStore store() {
        return store;
    }

    /** Handles of the demo records (empty without {@code --demo}). */
    public List<String> demoHandles() {
        return demoHandles;
    }

    /** The replicated service's member this node runs, if it is one. */
    public java.util.Optional<ClusterMember> member() {
        return java.util.Optional.ofNullable(member);
    }

    /** The node's meters (see {@link NodeConfig#meters()}). */
    public MeterRegistry meters() {
        return meters;
    }

    /**
     * Why the node cannot take requests now (store closed, a socket not bound), or null if it can: what
     * {@code /readyz} reports.
     */
    public String notReady() {
        if (member != null) {
            return server.notReady();
        }
        if (!rocks.isOpen()) {
            return "store closed";
        }
        return server.notReady();
    }

    /** Whether the network shell runs on native epoll rather than NIO. */
    public boolean usesEpoll() {
        return server.usesEpoll();
    }

    /** Path of the site description in wire form. */
    public static Path siteFile(Path dataDir) {
        return dataDir.resolve(SitePublisher.SITE_BIN);
    }

    /**
     * Stops gracefully: stops taking requests and control requests, waits for those in progress (at most
     * {@link NodeServer#DRAIN_TIMEOUT}), then closes the store.
     */
    @Override
    public void close() {
        LOG.info("stopping: no new requests; answering those in progress");
        try {
            if (control != null) {
                control.close();
            }
            server.close();
        } finally {
            try {
                if (nodeMeters != null) {
                    nodeMeters.close();
                }
                if (homes != null) {
                    homes.close();
                }
                if (recursor != null) {
                    recursor.close();
                }
            } finally {
                store.close();
                if (member != null) {
                    try {
                        member.close();
                    } catch (IOException e) {
                        LOG.warn("closing the replication member failed: {}", e.toString());
                    }
                }
            }
        }
        LOG.info("stopped");
    }
}
