package io.idnode.server;

import io.idnode.admin.PendingChallenges;
import io.idnode.cache.CacheSettings;
import io.idnode.cache.CachingRecordStore;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.MessageSigner;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.handler.NodeIdentity;
import io.idnode.handler.ReplyEncoder;
import io.idnode.handler.RequestHandler;
import io.idnode.handler.ServedPrefixes;
import io.idnode.handler.session.SessionLayer;
import io.idnode.handler.session.SessionSettings;
import io.idnode.handler.session.SessionTable;
import io.idnode.model.SiteInfo;
import io.idnode.store.RecordStore;
import io.idnode.store.RocksDbRecordStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
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

    private Node(RecordStore store, NodeServer server, SiteInfo site, NodeKeys keys, List<String> demoHandles) {
        this.store = store;
        this.server = server;
        this.site = site;
        this.keys = keys;
        this.demoHandles = demoHandles;
    }

    /** Starts a node; on failure everything opened so far is closed again. */
    public static Node start(NodeConfig config) throws IOException, InterruptedException {
        return start(config, SessionSettings.DEFAULT);
    }

    /** Starts a node whose session table has the given limits (handle-protocol.md §6.5). */
    public static Node start(NodeConfig config, SessionSettings sessionSettings)
            throws IOException, InterruptedException {
        return start(config, Clock.systemUTC(), sessionSettings);
    }

    static Node start(NodeConfig config, Clock clock) throws IOException, InterruptedException {
        return start(config, clock, new PendingChallenges(), SessionSettings.DEFAULT);
    }

    static Node start(NodeConfig config, Clock clock, SessionSettings sessionSettings)
            throws IOException, InterruptedException {
        return start(config, clock, new PendingChallenges(), sessionSettings);
    }

    static Node start(NodeConfig config, Clock clock, PendingChallenges challenges)
            throws IOException, InterruptedException {
        return start(config, clock, challenges, SessionSettings.DEFAULT);
    }

    static Node start(NodeConfig config, Clock clock, PendingChallenges challenges, SessionSettings sessionSettings)
            throws IOException, InterruptedException {
        Files.createDirectories(config.dataDir());
        CryptoProviders crypto = CryptoProviders.create();
        HandleKeyCodec keyCodec = new HandleKeyCodec(crypto);
        NodeKeys keys = NodeKeys.loadOrCreate(config.dataDir().resolve(KEYS_DIR), crypto);
        RecordStore store = openStore(config);
        NodeServer server = null;
        try {
            server = NodeServer.bind(config);
            SiteInfo site = NodeSetup.publishSite(config.dataDir(),
                    NodeSetup.describeSite(keyCodec, config.advertiseAddress(), server.port(), keys.node().getPublic(),
                            1));
            NodeSetup.ensurePrefixRecords(keyCodec, store, config.prefixes(), site, keys.admin().getPublic(),
                    clock.millis());
            List<String> demo = config.demo()
                    ? NodeSetup.ensureDemoRecords(store, config.prefixes().get(0), clock.millis())
                    : List.of();
            NodeIdentity identity = new NodeIdentity(site, keys.node().getPrivate(), keys.node().getPublic());
            Path homed = config.dataDir().resolve(HOMED_FILE);
            ServedPrefixes served = new ServedPrefixes(servedPrefixes(config, homed), list -> saveHomed(homed, list));
            RequestHandler handler = new RequestHandler(store, served, identity, clock, config.admins(), challenges,
                    new Slf4jAuditLog(), crypto);
            ReplyEncoder encoder = new ReplyEncoder(MessageCodec.DEFAULT,
                    new MessageSigner(keys.node().getPrivate(), crypto), crypto);
            SecureRandom random = new SecureRandom();
            SessionTable sessions = new SessionTable(sessionSettings, clock, random);
            server.serve(new SessionLayer(handler, handler::handle, encoder, sessions, random, crypto));
            return new Node(store, server, site, keys, demo);
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
        RecordStore rocks = RocksDbRecordStore.open(config.dataDir().resolve(STORE_DIR));
        if (config.cacheMaxRecords() == 0) {
            return rocks;
        }
        return new CachingRecordStore(rocks, CacheSettings.builder().maximumSize(config.cacheMaxRecords()).build());
    }

    public int port() {
        return server.port();
    }

    public SiteInfo site() {
        return site;
    }

    public NodeKeys keys() {
        return keys;
    }

    public RecordStore store() {
        return store;
    }

    /** Handles of the demo records (empty without {@code --demo}). */
    public List<String> demoHandles() {
        return demoHandles;
    }

    public boolean usesEpoll() {
        return server.usesEpoll();
    }

    /** Path of the site description in wire form. */
    public static Path siteFile(Path dataDir) {
        return dataDir.resolve(NodeSetup.SITE_BIN);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            store.close();
        }
    }
}
