package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.store.RocksDbRecordStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import net.handle.hdllib.AbstractMessage;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.CreateHandleRequest;
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
 * Three member processes of one replicated service on loopback, driven by the stock client configured with the
 * HS_SITEs they publish (handle-protocol.md §7.3). Under a steady create load, with reads plain and
 * authoritative (AT) at every member recorded in a {@link History}: a write acknowledged by one member is seen
 * by an AT read at another; the Raft leader is SIGKILLed and restarted ({@value #DEFAULT_KILLS} times, or
 * {@code -Didnode.cluster.kills=N}); a minority SIGSTOPped does not stop writes; a member whose data folder was
 * deleted while down rejoins by snapshot; with a majority SIGSTOPped a write fails with 2 (ERROR) instead of
 * hanging while plain reads answer, and writes resume after SIGCONT. At the end no acknowledged write is lost,
 * no read saw a value never written, no AT read was stale, and the three stores hold the same records.
 */
class ClusterProcessTest {
    private static final String PREFIX = "88.100.1";
    private static final String PREFIX_HANDLE = "0.NA/" + PREFIX;
    private static final int DEFAULT_KILLS = 2;
    private static final int KILLS = Integer.getInteger("idnode.cluster.kills", DEFAULT_KILLS);
    /** Applied entries between snapshots: small, so that a member down for a while must install one. */
    private static final int SNAPSHOT_EVERY = 100;

    @TempDir
    Path temp;

    private ClusterProcesses cluster;
    /** Members the load leaves alone: SIGSTOPped ones, which would hold a request until the client's timeout. */
    private final AtomicIntegerArray stopped = new AtomicIntegerArray(3);
    private SiteInfo[] sites;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void survivesKillsStopsAndAWipeLosingNoAcknowledgedWrite() throws Exception {
        cluster = new ClusterProcesses(temp, PREFIX, "--threads", "1", "--cache", "1000", "--block-cache", "8",
                "--raft-snapshot-every", String.valueOf(SNAPSHOT_EVERY), "--raft-segment-bytes",
                String.valueOf(16 << 10));
        try {
            run();
        } catch (Exception | AssertionError e) {
            cluster.printLastLines(150);
            throw e;
        } finally {
            for (int i = 0; i < 3; i++) {
                if (cluster.member(i) != null && stopped.get(i) == 1) {
                    cluster.member(i).signal("CONT");
                }
            }
            cluster.close();
        }
    }

    private void run() throws Exception {
        long t0 = System.nanoTime();
        cluster.startAll(); // in parallel: each JVM starts on its own
        System.out.printf("three members joined their group %d ms after their start%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        sites = new SiteInfo[3];
        for (int i = 0; i < 3; i++) {
            sites[i] = StockClients.site(cluster.data(i));
            assertThat(sites[i].isPrimary).isTrue();
            assertThat(sites[i].multiPrimary).isTrue();
        }
        HandleResolver resolver = StockClients.service(sites, temp.resolve("client"));
        // Every member publishes its own HS_SITE into the prefix record, through the group.
        awaitTrue("three HS_SITE values in " + PREFIX_HANDLE, Duration.ofSeconds(60), () -> {
            try {
                return resolver.resolveHandle(PREFIX_HANDLE, new String[] {"HS_SITE"}, null).length == 3;
            } catch (HandleException e) {
                return false;
            }
        });
        PrivateKey admin = new KeyFiles(CryptoFixtures.PROVIDERS).readPrivateKeyPem(cluster.data(0)
                .resolve(Node.KEYS_DIR).resolve("admin.pem"));
        PublicKeyAuthenticationInfo auth = new PublicKeyAuthenticationInfo(Util.encodeString(PREFIX_HANDLE), 300,
                admin);
        History history = new History();

        // The stock client finds the service from the prefix record and creates through it.
        assertThat(resolver.processRequest(create("RAFT-FIRST", "https://example.com/first", auth)).responseCode)
                .isEqualTo(AbstractMessage.RC_SUCCESS);
        // A write acknowledged by one member is seen at once by an authoritative read at another.
        for (int k = 0; k < 6; k++) {
            String h = PREFIX + "/RAFT-AT-" + k;
            String value = "https://example.com/at/" + k;
            long sent = history.now();
            int code = resolver.sendRequestToSite(create("RAFT-AT-" + k, value, auth), sites[k % 3]).responseCode;
            history.write(h, value, sent, code == AbstractMessage.RC_SUCCESS);
            assertThat(code).as("create at member " + cluster.id(k % 3)).isEqualTo(AbstractMessage.RC_SUCCESS);
            long asked = history.now();
            String seen = resolve(resolver, sites[(k + 1) % 3], h, true);
            history.read(h, true, seen, asked);
            assertThat(seen).as("AT read at member " + cluster.id((k + 1) % 3)).isEqualTo(value);
        }

        AtomicBoolean stop = new AtomicBoolean();
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong lastAck = new AtomicLong();
        // Three writers, each going round the members: a create stuck at a member does not hold the others.
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            writers.add(new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    int at = (i + writer) % 3;
                    if (stopped.get(at) == 1) {
                        continue;
                    }
                    String suffix = "RAFT-" + writer + "-" + i;
                    String h = PREFIX + "/" + suffix;
                    String value = "https://example.com/" + writer + "/" + i;
                    written.add(h);
                    long sent = history.now();
                    boolean ok = false;
                    try {
                        ok = resolver.sendRequestToSite(create(suffix, value, auth), sites[at]).responseCode
                                == AbstractMessage.RC_SUCCESS;
                    } catch (HandleException e) {
                        // a member gone, or 2: the outcome is unknown, the next create goes to the next member
                    }
                    history.write(h, value, sent, ok);
                    if (ok) {
                        lastAck.accumulateAndGet(sent, Math::max);
                        acknowledged.incrementAndGet();
                    }
                }
            }, "create-load-" + w));
        }
        Thread reads = new Thread(() -> {
            while (!stop.get()) {
                int at = ThreadLocalRandom.current().nextInt(3);
                if (written.isEmpty() || stopped.get(at) == 1) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                String h = written.get(ThreadLocalRandom.current().nextInt(Math.max(0, written.size() - 20),
                        written.size()));
                boolean authoritative = ThreadLocalRandom.current().nextBoolean();
                long sent = history.now();
                try {
                    String seen = resolve(resolver, sites[at], h, authoritative);
                    history.read(h, authoritative, seen, sent);
                } catch (HandleException | IllegalStateException e) {
                    // not answered (a member down, no majority for an AT read): nothing observed
                }
            }
        }, "read-load");
        writers.forEach(Thread::start);
        reads.start();
        List<Long> failoverMillis = new ArrayList<>();
        try {
            awaitAcks(acknowledged, 20);
            for (int k = 0; k < KILLS; k++) {
                int leader = cluster.leader();
                long killed = System.nanoTime();
                cluster.member(leader).kill();
                awaitTrue("a create sent after the kill acknowledged", Duration.ofSeconds(60),
                        () -> lastAck.get() > killed);
                failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                cluster.start(leader).awaitJoined(ClusterProcesses.START);
                awaitAcks(acknowledged, 10);
            }

            // A minority stopped: the others go on writing.
            int follower = (cluster.leader() + 1) % 3;
            cluster.member(follower).signal("STOP");
            stopped.set(follower, 1);
            awaitAcks(acknowledged, 10);
            cluster.member(follower).signal("CONT");
            stopped.set(follower, 0);

            // A member wiped while down rejoins by snapshot: the others' log is purged past where it was.
            int wiped = (cluster.leader() + 2) % 3;
            cluster.member(wiped).kill();
            deleteTree(cluster.data(wiped));
            ClusterProcesses.copyKeys(cluster.data((wiped + 1) % 3), cluster.data(wiped));
            awaitAcks(acknowledged, 3 * SNAPSHOT_EVERY);
            cluster.start(wiped).awaitLine("store rebuilt from snapshot", 0, ClusterProcesses.START);
            cluster.member(wiped).awaitJoined(ClusterProcesses.START);
            awaitAcks(acknowledged, 10);

            // A majority stopped: a write fails fast with 2 (ERROR) at the member left, plain reads answer there.
            int left = cluster.leader();
            int[] others = {(left + 1) % 3, (left + 2) % 3};
            for (int o : others) {
                stopped.set(o, 1);
                cluster.member(o).signal("STOP");
            }
            String known = PREFIX + "/RAFT-AT-0";
            // The stock client turns the reply 2 (ERROR) into a HandleException of SERVER_ERROR; no reply within
            // its timeout would be another code.
            long asked = System.nanoTime();
            assertThatThrownBy(() -> resolver.sendRequestToSite(create("RAFT-NO-MAJORITY", "https://example.com/none",
                    auth), sites[left])).as("create without a majority").isInstanceOfSatisfying(HandleException.class,
                            e -> assertThat(e.getCode()).isEqualTo(HandleException.SERVER_ERROR));
            System.out.printf("create without a majority answered 2 after %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));
            // Once the member has been without a leader for three election timeouts, creates are refused unsent.
            Thread.sleep(2_000);
            asked = System.nanoTime();
            assertThatThrownBy(() -> resolver.sendRequestToSite(create("RAFT-NO-MAJORITY-2", "https://example.com/none",
                    auth), sites[left])).as("second create without a majority").isInstanceOfSatisfying(
                            HandleException.class, e -> assertThat(e.getCode()).isEqualTo(HandleException.SERVER_ERROR));
            System.out.printf("create without a majority, 7 s into the loss, answered 2 after %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));
            assertThat(resolve(resolver, sites[left], known, false)).isEqualTo("https://example.com/at/0");
            for (int o : others) {
                cluster.member(o).signal("CONT");
                stopped.set(o, 0);
            }
            awaitAcks(acknowledged, 10);
        } finally {
            stop.set(true);
            for (Thread t : writers) {
                t.join(60_000);
            }
            reads.join(60_000);
        }
        System.out.println("failover, SIGKILL of the leader to the first acknowledged create sent after it (ms): "
                + failoverMillis);
        System.out.printf("history: %d writes acknowledged, %d plain reads, %d AT reads answered%n",
                history.count(History.Kind.WRITE), history.count(History.Kind.READ),
                history.count(History.Kind.AUTHORITATIVE_READ));
        assertThat(history.count(History.Kind.WRITE)).isGreaterThan(20 + KILLS * 10 + 3 * SNAPSHOT_EVERY);
        assertThat(history.count(History.Kind.AUTHORITATIVE_READ)).isPositive();

        // Every member has applied what the group committed (an AT read waits for it), then stops.
        for (int i = 0; i < 3; i++) {
            SiteInfo site = sites[i];
            awaitTrue("member " + cluster.id(i) + " answers an AT read", Duration.ofSeconds(60), () -> {
                try {
                    return resolve(resolver, site, PREFIX + "/RAFT-AT-1", true) != null;
                } catch (HandleException | IllegalStateException e) {
                    return false;
                }
            });
        }
        long stepDowns = 0;
        for (int i = 0; i < 3; i++) {
            NodeProcess.Run end = cluster.member(i).stop();
            assertThat(end.exit()).isEqualTo(143); // SIGTERM, after the graceful stop
            assertThat(end.lines()).anyMatch(l -> l.contains("stopped"));
            stepDowns += end.lines().stream().filter(l -> l.contains("RATIS-2605")).count();
        }
        System.out.println("leaders stepped down for a follower left behind (RATIS-2605), in the last processes: "
                + stepDowns);
        // The replicas, compared record by record; the history checked against them.
        List<List<HandleRecord>> stores = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            try (RocksDbRecordStore store = RocksDbRecordStore.open(cluster.data(i).resolve(Node.STORE_DIR))) {
                List<HandleRecord> records = new ArrayList<>();
                for (String h : store.list(PREFIX, null, 1_000_000)) {
                    HandleRecord r = store.get(h);
                    records.add(r);
                    if (i == 0) {
                        values.put(h, url(r));
                    }
                }
                records.add(store.get(PREFIX_HANDLE));
                stores.add(records);
            }
        }
        assertThat(history.violations(values)).isEmpty();
        assertThat(stores.get(0)).hasSizeGreaterThan((int) history.count(History.Kind.WRITE));
        assertThat(stores.get(1)).isEqualTo(stores.get(0));
        assertThat(stores.get(2)).isEqualTo(stores.get(0));
    }

    private static CreateHandleRequest create(String suffix, String url, PublicKeyAuthenticationInfo auth) {
        return new CreateHandleRequest(Util.encodeString(PREFIX + "/" + suffix),
                new net.handle.hdllib.HandleValue[] {new net.handle.hdllib.HandleValue(1, "URL", url)}, auth);
    }

    /**
     * The URL {@code handle} has at {@code site} (null: no such handle), by a plain or an authoritative
     * resolution; an answer that is neither fails with {@link IllegalStateException}.
     */
    private static String resolve(HandleResolver resolver, SiteInfo site, String handle, boolean authoritative)
            throws HandleException {
        ResolutionRequest req = new ResolutionRequest(Util.encodeString(handle), null, null, null);
        req.authoritative = authoritative;
        AbstractResponse r = resolver.sendRequestToSite(req, site);
        if (r.responseCode == AbstractMessage.RC_HANDLE_NOT_FOUND) {
            return null;
        }
        if (!(r instanceof ResolutionResponse res)) {
            throw new IllegalStateException("answered " + r.responseCode);
        }
        for (net.handle.hdllib.HandleValue v : res.getHandleValues()) {
            if (v.getTypeAsString().equals("URL")) {
                return v.getDataAsString();
            }
        }
        throw new IllegalStateException(handle + " has no URL");
    }

    private static String url(HandleRecord r) {
        return r.values().stream().filter(v -> v.type().equals("URL")).map(HandleValue::dataAsString).findFirst()
                .orElse(null);
    }

    private static void awaitAcks(AtomicLong acknowledged, int more) throws InterruptedException {
        long target = acknowledged.get() + more;
        awaitTrue(more + " more creates acknowledged", Duration.ofSeconds(120), () -> acknowledged.get() >= target);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void awaitTrue(String what, Duration bound, BooleanSupplier condition)
            throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(100);
        }
    }
}
