package io.idnode.bench;

import io.idnode.cache.CacheSettings;
import io.idnode.cache.CachingRecordStore;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.handler.NodeIdentity;
import io.idnode.handler.ReplyEncoder;
import io.idnode.loadgen.KeyPattern;
import io.idnode.loadgen.Requests;
import io.idnode.loadgen.SampleRecords;
import io.idnode.model.HandleRecord;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.node.RequestChain;
import io.idnode.store.RecordStore;
import io.idnode.store.RocksDbRecordStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's resolution core without sockets, assembled as {@code io.idnode.server.Node} assembles it: the
 * request chain over the hot cache over a real RocksDB store in a temporary folder, holding the sample record
 * of every key of a pattern under {@value #PREFIX}, and the reply encoder signing with a fresh RSA-2048 key.
 */
public final class BenchNode implements AutoCloseable {
    /** The prefix homed by the benchmark node. */
    public static final String PREFIX = "88.100.1";
    private static final int LOAD_BATCH = 10_000;

    private final Path dir;
    private final RocksDbRecordStore rocks;
    private final RecordStore store;
    private final KeyPattern keys;
    private final RequestChain chain;

    private BenchNode(Path dir, RocksDbRecordStore rocks, RecordStore store, KeyPattern keys, KeyPair keyPair) {
        this.dir = dir;
        this.rocks = rocks;
        this.store = store;
        this.keys = keys;
        CryptoProviders crypto = CryptoProviders.create();
        this.chain = RequestChain.builder(store, new ServedPrefixes(List.of(PREFIX)), identity(crypto, keyPair),
                crypto).build();
    }

    /**
     * A node holding {@code records} sample records with a RocksDB block cache of {@code blockCacheBytes};
     * with {@code cacheRecords} &gt; 0 the hot cache sits in front and every record is read once so that
     * later reads hit it.
     */
    public static BenchNode create(int records, long blockCacheBytes, long cacheRecords) {
        Path dir;
        try {
            dir = Files.createTempDirectory("idnode-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeyPattern keys = new KeyPattern(PREFIX + "/P%08d", records);
        RocksDbRecordStore rocks = RocksDbRecordStore.builder(dir.resolve("db")).blockCacheBytes(blockCacheBytes)
                .syncWrites(false).open();
        int now = (int) (System.currentTimeMillis() / 1000);
        List<HandleRecord> batch = new ArrayList<>(LOAD_BATCH);
        for (int i = 0; i < records; i++) {
            batch.add(SampleRecords.record(keys.key(i), now));
            if (batch.size() == LOAD_BATCH || i == records - 1) {
                rocks.putAll(batch, false);
                batch.clear();
            }
        }
        // Reads then come from SST files through the block cache, not from the memtable.
        rocks.flush();
        RecordStore store = rocks;
        if (cacheRecords > 0) {
            store = new CachingRecordStore(rocks, CacheSettings.builder().maximumSize(cacheRecords).build());
            for (int i = 0; i < Math.min(records, cacheRecords); i++) {
                store.get(keys.key(i));
            }
        }
        return new BenchNode(dir, rocks, store, keys, generate("RSA", 2048));
    }

    /** A fresh key pair of {@code algorithm} ({@code RSA} or {@code DSA}). */
    public static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " keys unavailable", e);
        }
    }

    /**
     * The identity of a benchmark node: a site of one primary server on 127.0.0.1:2641 (TCP and UDP), as
     * the node describes itself, signing with {@code keyPair}, its key encoded with {@code crypto}'s engines.
     */
    public static NodeIdentity identity(CryptoProviders crypto, KeyPair keyPair) {
        return new NodeIdentity(site(new HandleKeyCodec(crypto), keyPair), keyPair.getPrivate(), keyPair.getPublic());
    }

    private static SiteInfo site(HandleKeyCodec keyCodec, KeyPair keyPair) {
        byte[] address = new byte[16];
        address[12] = 127;
        address[15] = 1;
        ServerInfo server = new ServerInfo(1, address, keyCodec.encodePublicKey(keyPair.getPublic()), List.of(
                new ServiceInterface(ServiceInterface.ADMIN_AND_QUERY, ServiceInterface.TCP, 2641),
                new ServiceInterface(ServiceInterface.QUERY, ServiceInterface.UDP, 2641)));
        return new SiteInfo(1, 2, 11, 1, true, false, SiteInfo.HASH_BY_HANDLE, "", List.of(), List.of(server));
    }

    /** The request frame resolving key {@code i} (requestId {@code i + 1}). */
    public byte[] request(int i, int opFlags) {
        return Requests.resolution(keys.key(i), i + 1, opFlags);
    }

    /** Request frames for every key. */
    public byte[][] requests(int opFlags) {
        byte[][] out = new byte[keys.count()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = request(i, opFlags);
        }
        return out;
    }

    public KeyPattern keys() {
        return keys;
    }

    /** The store the handler reads: the hot cache, or RocksDB itself without it. */
    public RecordStore store() {
        return store;
    }

    public RocksDbRecordStore rocks() {
        return rocks;
    }

    /** The request chain, as the server assembles it. */
    public RequestChain chain() {
        return chain;
    }

    /** The encoder at the chain's edge. */
    public ReplyEncoder encoder() {
        return chain.encoder();
    }

    /** Closes the store and deletes its folder. */
    @Override
    public void close() {
        store.close();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
