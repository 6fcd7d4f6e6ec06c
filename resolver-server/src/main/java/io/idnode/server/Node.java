package io.idnode.server;

import io.idnode.budget.MemoryBudget;
import io.idnode.cache.CacheSettings;
import io.idnode.cache.CachingRecordStore;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.handler.NodeIdentity;
import io.idnode.handler.PendingChallenges;
import io.idnode.handler.session.SessionSettings;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.SiteInfo;
import io.idnode.node.RequestChain;
import io.idnode.store.RecordStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

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

    private final RecordStore store;
    private final NodeServer server;
    private final SiteInfo site;
    private final NodeKeys keys;
    private final List<String> demoHandles;
    private final MeterRegistry meters;

    private Node(RecordStore store, NodeServer server, SiteInfo site, NodeKeys keys, List<String> demoHandles,
            MeterRegistry meters) {
        this.store = store;
        this.server = server;
        this.site = site;
        this.keys = keys;
        this.demoHandles = demoHandles;
        this.meters = meters;
    }

    /**
     * Starts a node with {@code config}; on failure everything opened so far is closed again. A data folder
     * that is a file is refused as an {@link InvalidSettingException} before anything is created.
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
        if (Files.exists(config.dataDir()) && !Files.isDirectory(config.dataDir())) {
            throw new InvalidSettingException("data", "must be a folder, but " + config.dataDir() + " is a file");
        }
        Files.createDirectories(config.dataDir());
        CryptoProviders crypto = CryptoProviders.create();
        HandleKeyCodec keyCodec = new HandleKeyCodec(crypto);
        NodeKeys keys = NodeKeys.loadOrCreate(config.dataDir().resolve(KEYS_DIR), crypto);
        RecordStore store = openStore(config);
        NodeServer server = null;
        try {
            server = NodeServer.bind(config);
            SiteInfo site = SitePublisher.publish(config.dataDir(), SitePublisher.describe(keyCodec,
                    config.advertiseAddress(), server.port(), keys.node().getPublic(), 1));
            PrefixRecords.ensure(keyCodec, store, config.prefixes(), site, keys.admin().getPublic(), clock.millis());
            List<String> demo = config.demo()
                    ? DemoData.ensure(store, config.prefixes().get(0), clock.millis())
                    : List.of();
            NodeIdentity identity = new NodeIdentity(site, keys.node().getPrivate(), keys.node().getPublic());
            Path homed = config.dataDir().resolve(HOMED_FILE);
            ServedPrefixes served = new ServedPrefixes(servedPrefixes(config, homed), list -> saveHomed(homed, list));
            server.serve(RequestChain.builder(store, served, identity, crypto).clock(clock)
                    .nodeAdmins(config.admins()).pendingChallenges(challenges).sessionSettings(sessionSettings)
                    .auditLog(new Slf4jAuditLog()).build());
            return new Node(store, server, site, keys, demo, config.meters());
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            if (server != null) {
                server.close();
            }
            store.close();
            throw e;
        }
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

    private static RecordStore openStore(NodeConfig config) {
        RecordStore rocks = config.store().open(config.dataDir().resolve(STORE_DIR));
        return config.cache().<RecordStore>map(settings -> new CachingRecordStore(rocks, settings)).orElse(rocks);
    }

    /** The bound port, UDP and TCP (the configured one, or the free one picked for port 0). */
    public int port() {
        return server.port();
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

    /** The node's meters (see {@link NodeConfig#meters()}). */
    public MeterRegistry meters() {
        return meters;
    }

    /** Whether the network shell runs on native epoll rather than NIO. */
    public boolean usesEpoll() {
        return server.usesEpoll();
    }

    /** Path of the site description in wire form. */
    public static Path siteFile(Path dataDir) {
        return dataDir.resolve(SitePublisher.SITE_BIN);
    }

    /** Stops the network shell, then closes the store. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            store.close();
        }
    }
}
