package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.store.RocksDbRecordStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.handle.hdllib.AbstractMessage;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.FilesystemConfiguration;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
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
    private static final String[] IDS = {"a", "b", "c"};
    private static final int DEFAULT_KILLS = 2;
    private static final int KILLS = Integer.getInteger("idnode.cluster.kills", DEFAULT_KILLS);
    /** Applied entries between snapshots: small, so that a member down for a while must install one. */
    private static final int SNAPSHOT_EVERY = 100;
    /** Small JVMs that start fast: the client compiler only, a small heap, the shared class archive. */
    private static final List<String> JVM = List.of("-Xmx160m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-XX:-UsePerfData");
    /** Bound of one member's start, from its JVM to having joined its group, on a machine loaded 15-30. */
    private static final Duration START = Duration.ofSeconds(150);
    private static final Pattern LEADER = Pattern.compile("changes role from \\w+ to LEADER at term (\\d+)");

    @TempDir
    Path temp;

    private final NodeProcess[] members = new NodeProcess[3];
    /** Members the load leaves alone: SIGSTOPped ones, which would hold a request until the client's timeout. */
    private final AtomicIntegerArray stopped = new AtomicIntegerArray(3);
    private Path clusterFile;
    private SiteInfo[] sites;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void survivesKillsStopsAndAWipeLosingNoAcknowledgedWrite() throws Exception {
        try {
            run();
        } catch (Exception | AssertionError e) {
            for (int i = 0; i < 3; i++) {
                if (members[i] != null) {
                    List<String> lines = members[i].lines();
                    System.out.println("---- member " + IDS[i] + " (last 150 lines)");
                    lines.subList(Math.max(0, lines.size() - 150), lines.size()).forEach(System.out::println);
                }
            }
            throw e;
        } finally {
            for (int i = 0; i < 3; i++) {
                if (members[i] != null) {
                    if (stopped.get(i) == 1) {
                        members[i].signal("CONT");
                    }
                    members[i].close();
                }
            }
        }
    }

    private void run() throws Exception {
        writeClusterFile();
        // The members share the node and administrator keys, so any of them signs and checks alike.
        NodeKeys.loadOrCreate(data("a").resolve(Node.KEYS_DIR), CryptoFixtures.PROVIDERS);
        for (String id : List.of("b", "c")) {
            copyTree(data("a").resolve(Node.KEYS_DIR), data(id).resolve(Node.KEYS_DIR));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            members[i] = start(i); // in parallel: each JVM starts on its own
        }
        for (int i = 0; i < 3; i++) {
            members[i].awaitLine(MemberSite.JOINED, 0, START);
        }
        System.out.printf("three members joined their group %d ms after their start%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        sites = new SiteInfo[3];
        for (int i = 0; i < 3; i++) {
            sites[i] = StockClients.site(data(IDS[i]));
            assertThat(sites[i].isPrimary).isTrue();
            assertThat(sites[i].multiPrimary).isTrue();
        }
        HandleResolver resolver = resolver(sites, temp.resolve("client"));
        // Every member publishes its own HS_SITE into the prefix record, through the group.
        awaitTrue("three HS_SITE values in " + PREFIX_HANDLE, Duration.ofSeconds(60), () -> {
            try {
                return resolver.resolveHandle(PREFIX_HANDLE, new String[] {"HS_SITE"}, null).length == 3;
            } catch (HandleException e) {
                return false;
            }
        });
        PrivateKey admin = new KeyFiles(CryptoFixtures.PROVIDERS).readPrivateKeyPem(data("a").resolve(Node.KEYS_DIR)
                .resolve("admin.pem"));
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
            assertThat(code).as("create at member " + IDS[k % 3]).isEqualTo(AbstractMessage.RC_SUCCESS);
            long asked = history.now();
            String seen = resolve(resolver, sites[(k + 1) % 3], h, true);
            history.read(h, true, seen, asked);
            assertThat(seen).as("AT read at member " + IDS[(k + 1) % 3]).isEqualTo(value);
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
                int leader = leader();
                long killed = System.nanoTime();
                members[leader].kill();
                awaitTrue("a create sent after the kill acknowledged", Duration.ofSeconds(60),
                        () -> lastAck.get() > killed);
                failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                members[leader] = start(leader);
                members[leader].awaitLine(MemberSite.JOINED, 0, START);
                awaitAcks(acknowledged, 10);
            }

            // A minority stopped: the others go on writing.
            int follower = (leader() + 1) % 3;
            members[follower].signal("STOP");
            stopped.set(follower, 1);
            awaitAcks(acknowledged, 10);
            members[follower].signal("CONT");
            stopped.set(follower, 0);

            // A member wiped while down rejoins by snapshot: the others' log is purged past where it was.
            int wiped = (leader() + 2) % 3;
            members[wiped].kill();
            deleteTree(data(IDS[wiped]));
            copyTree(data(IDS[(wiped + 1) % 3]).resolve(Node.KEYS_DIR), data(IDS[wiped]).resolve(Node.KEYS_DIR));
            awaitAcks(acknowledged, 3 * SNAPSHOT_EVERY);
            members[wiped] = start(wiped);
            members[wiped].awaitLine("store rebuilt from snapshot", 0, START);
            members[wiped].awaitLine(MemberSite.JOINED, 0, START);
            awaitAcks(acknowledged, 10);

            // A majority stopped: a write fails fast with 2 (ERROR) at the member left, plain reads answer there.
            int left = leader();
            int[] others = {(left + 1) % 3, (left + 2) % 3};
            for (int o : others) {
                stopped.set(o, 1);
                members[o].signal("STOP");
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
                members[o].signal("CONT");
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
            awaitTrue("member " + IDS[i] + " answers an AT read", Duration.ofSeconds(60), () -> {
                try {
                    return resolve(resolver, site, PREFIX + "/RAFT-AT-1", true) != null;
                } catch (HandleException | IllegalStateException e) {
                    return false;
                }
            });
        }
        long stepDowns = 0;
        for (NodeProcess m : members) {
            NodeProcess.Run end = m.stop();
            assertThat(end.exit()).isEqualTo(143); // SIGTERM, after the graceful stop
            assertThat(end.lines()).anyMatch(l -> l.contains("stopped"));
            stepDowns += end.lines().stream().filter(l -> l.contains("RATIS-2605")).count();
        }
        System.out.println("leaders stepped down for a follower left behind (RATIS-2605), in the last processes: "
                + stepDowns);
        // The replicas, compared record by record; the history checked against them.
        List<List<HandleRecord>> stores = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        for (String id : IDS) {
            try (RocksDbRecordStore store = RocksDbRecordStore.open(data(id).resolve(Node.STORE_DIR))) {
                List<HandleRecord> records = new ArrayList<>();
                for (String h : store.list(PREFIX, null, 1_000_000)) {
                    HandleRecord r = store.get(h);
                    records.add(r);
                    if (id.equals(IDS[0])) {
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

    /** The running member that became leader at the highest term, by the members' logs. */
    private int leader() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            int best = -1;
            long bestTerm = -1;
            for (int i = 0; i < 3; i++) {
                for (String line : members[i].lines()) {
                    Matcher m = LEADER.matcher(line);
                    if (m.find() && Long.parseLong(m.group(1)) > bestTerm) {
                        bestTerm = Long.parseLong(m.group(1));
                        best = i;
                    }
                }
            }
            if (best >= 0) {
                return best;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no member became leader");
    }

    private NodeProcess start(int i) throws IOException {
        String id = IDS[i];
        return NodeProcess.start(temp, JVM, "serve", "--data", data(id).toString(), "--cluster",
                clusterFile.toString(), "--member", id, "--prefix", PREFIX, "--threads", "1", "--http-port", "0",
                "--cache", "1000", "--block-cache", "8", "--raft-snapshot-every", String.valueOf(SNAPSHOT_EVERY),
                "--raft-segment-bytes", String.valueOf(16 << 10));
    }

    private Path data(String id) {
        return temp.resolve("member-" + id);
    }

    private void writeClusterFile() throws IOException {
        StringBuilder b = new StringBuilder("cluster.name = test-" + PREFIX + "\n");
        for (String id : IDS) {
            b.append("member.").append(id).append(".address = 127.0.0.1\n")
                    .append("member.").append(id).append(".port = ").append(freePort()).append('\n')
                    .append("member.").append(id).append(".raft-port = ").append(freePort()).append('\n');
        }
        clusterFile = temp.resolve("cluster.properties");
        Files.writeString(clusterFile, b);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A stock client whose global service is the three members' sites (handle-protocol.md §7.3). */
    private static HandleResolver resolver(SiteInfo[] sites, Path configDir) throws Exception {
        Files.createDirectories(configDir);
        HandleResolver r = new HandleResolver();
        FilesystemConfiguration cfg = new FilesystemConfiguration(configDir.toFile());
        cfg.setAutoUpdateRootInfo(false);
        cfg.setGlobalSites(sites);
        r.setConfiguration(cfg);
        r.setSessionTracker(null);
        r.setCache(null);
        r.setCertifiedCache(null);
        r.setPreferredProtocols(new int[] {Interface.SP_HDL_TCP});
        // Longer than the members' write timeout (5 s): a write without a majority must be answered, not dropped.
        r.setTcpTimeout(15_000);
        return r;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
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
