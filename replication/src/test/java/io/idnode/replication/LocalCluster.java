package io.idnode.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.cache.CachingRecordStore;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleRecord.RecordMetadata;
import io.idnode.model.HandleValue;
import io.idnode.store.RecordStore.RecordWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Members of replicated groups in this JVM for tests, each with its own Raft server on a loopback port and its own
 * RocksDB replica in a folder of {@code dir}. The cluster file is written in {@code dir}; members are declared
 * (ports picked) before they start, so a file can name a member that is not running yet.
 */
public final class LocalCluster implements AutoCloseable {
    /** Short timeouts and frequent snapshots, for tests. */
    public static final ReplicationSettings FAST = new ReplicationSettings(Duration.ofSeconds(10),
            Duration.ofMillis(1500), 100, 16 << 10);
    /** Writes sent before waiting for them, so that a loaded machine commits each within the write timeout. */
    private static final int PIPELINE = 20;

    private final Path dir;
    private final Properties file = new Properties();
    private final Map<String, ClusterMember> running = new LinkedHashMap<>();

    /** An empty cluster named {@code name} in {@code dir}. */
    public LocalCluster(Path dir, String name) {
        this.dir = dir;
        file.setProperty("cluster.name", name);
    }

    /** Declares a member (free loopback ports); {@code listener} makes it a non-voting member. */
    public LocalCluster declare(String id, boolean listener) {
        file.setProperty("member." + id + ".address", "127.0.0.1");
        file.setProperty("member." + id + ".port", String.valueOf(freePort()));
        file.setProperty("member." + id + ".raft-port", String.valueOf(freePort()));
        if (listener) {
            file.setProperty("member." + id + ".role", "listener");
        }
        return this;
    }

    /** The cluster file as declared now. */
    public ClusterConfig config() {
        return ClusterConfig.parse(file, "test cluster");
    }

    /** Writes the cluster file as declared now into {@code dir/cluster.properties} and returns its path. */
    public Path writeFile() throws IOException {
        Path path = dir.resolve("cluster.properties");
        try (var w = Files.newBufferedWriter(path)) {
            file.store(w, null);
        }
        return path;
    }

    /** Starts member {@code id} with the cluster file as declared now. */
    public ClusterMember start(String id) throws IOException {
        return start(id, false);
    }

    /** Starts member {@code id}; {@code join}: a new member of the running group, to be added. */
    public ClusterMember start(String id, boolean join) throws IOException {
        Path data = dir.resolve(id);
        ClusterMember m = ClusterMember.start(config(), id, data, data.resolve("db"),
                ClusterMember.replicaOpener(1 << 24), CachingRecordStore::new, FAST, join);
        running.put(id, m);
        return m;
    }

    /** Stops member {@code id} (its data stays). */
    public void stop(String id) throws IOException {
        ClusterMember m = running.remove(id);
        if (m != null) {
            m.close();
        }
    }

    /** The running member {@code id}. */
    public ClusterMember member(String id) {
        return running.get(id);
    }

    /** The id of the running member that leads now, or null. */
    public String leader() {
        for (var e : running.entrySet()) {
            try {
                if (e.getValue().server().getDivision(e.getValue().group().getGroupId()).getInfo().isLeader()) {
                    return e.getKey();
                }
            } catch (IOException ex) {
                // closing
            }
        }
        return null;
    }

    /** Writes {@code count} records named {@code PREFIX-i} through member {@code id}, pipelined, and waits for them. */
    public void write(String id, String name, int count) throws Exception {
        ClusterMember m = running.get(id);
        for (int i = 0; i < count; i++) {
            long at = m.store().apply(List.of(RecordWrite.put(record("88.100.1/" + name + "-" + i))));
            if (i % PIPELINE == PIPELINE - 1 || i == count - 1) {
                m.store().durable(at).toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** A record with one URL value. */
    public static HandleRecord record(String handle) {
        return new HandleRecord(handle, List.of(HandleValue.builder(1, "URL").data("https://example.com/" + handle)
                .timestamp(1_700_000_000).build()), new RecordMetadata(1L, 2L, "test", 1));
    }

    /** Waits up to a minute for {@code condition}, failing with {@code what}. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!holds(condition)) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(100);
        }
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (io.idnode.store.StoreException rebuilding) {
            return false; // a replica being rebuilt from a snapshot
        }
    }

    /** Stops every running member. */
    @Override
    public void close() throws IOException {
        List<String> ids = new ArrayList<>(running.keySet());
        IOException first = null;
        for (String id : ids) {
            try {
                stop(id);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
