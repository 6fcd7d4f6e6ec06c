package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.EnvelopeLayout;
import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.OpCode;
import io.idnode.server.Node;
import io.idnode.server.TestNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One session per connection of a server's pool: a batch at 256 in flight spreads over the client's
 * connections, and each carries one session of its own, set up and authenticated once. A relay between client
 * and node counts the requests of each connection by operation; the node's own session table (the
 * {@code idnode.sessions} gauge) holds one session per connection. When the node restarts in the middle of a
 * batch (the relay refusing connections while it is down), each connection sets up and authenticates a session
 * of its own with the new node, once, and the batch completes with every identifier registered.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
class SessionsPerConnectionTest {
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} connections")
    @ValueSource(ints = {2, 4})
    void aBatchAt256InFlightGoesOverEveryConnectionEachWithOneSessionAuthenticatedOnce(int connections)
            throws Exception {
        int items = 3000;
        Path data = temp.resolve("data");
        try (Node node = Node.start(TestNode.config(data).prefixes(List.of(PREFIX)).build());
                TcpRelay relay = new TcpRelay(node.port());
                HandleClient client = viaRelay(node, relay, data).connectionsPerServer(connections).build()) {
            BatchSummary s = client.register(items("SPREAD-", items), BatchOptions.defaults().withMaxInFlight(256))
                    .completion().get(120, TimeUnit.SECONDS);

            assertThat(s).extracting(BatchSummary::created, BatchSummary::failed).containsExactly((long) items, 0L);
            List<Link> used = relay.answeredLinks();
            assertThat(used).as("one connection per slot of the pool, each used").hasSize(connections);
            for (Link l : used) {
                assertThat(l.count(OpCode.SESSION_SETUP)).as("sessions set up over " + l).isOne();
                assertThat(l.count(OpCode.CHALLENGE_RESPONSE)).as("challenges answered over " + l).isOne();
                assertThat(l.count(OpCode.CREATE_HANDLE)).as("creates over " + l)
                        .isGreaterThan(items / (4L * connections));
            }
            assertThat(used.stream().mapToLong(l -> l.count(OpCode.CREATE_HANDLE)).sum()).isEqualTo(items);
            assertThat(sessionsHeld(node)).as("the node's session table").isEqualTo(connections);
        }
    }

    @Test
    void oneCreateAtATimeUsesOneConnectionAndOneSession() throws Exception {
        Path data = temp.resolve("data");
        try (Node node = Node.start(TestNode.config(data).prefixes(List.of(PREFIX)).build());
                TcpRelay relay = new TcpRelay(node.port());
                HandleClient client = viaRelay(node, relay, data).build()) {
            BatchSummary s = client.register(items("SINGLE-", 50), BatchOptions.defaults().withMaxInFlight(1))
                    .completion().get(60, TimeUnit.SECONDS);

            assertThat(s.created()).isEqualTo(50);
            assertThat(relay.answeredLinks()).singleElement().satisfies(l -> {
                assertThat(l.count(OpCode.SESSION_SETUP)).isOne();
                assertThat(l.count(OpCode.CHALLENGE_RESPONSE)).isOne();
                assertThat(l.count(OpCode.CREATE_HANDLE)).isEqualTo(50);
            });
            assertThat(sessionsHeld(node)).isOne();
        }
    }

    @Test
    void afterANodeRestartEachConnectionAuthenticatesItsNewSessionOnce() throws Exception {
        int items = 4000;
        Path data = temp.resolve("data");
        Node first = Node.start(TestNode.config(data).prefixes(List.of(PREFIX)).build());
        int port = first.port();
        Node[] second = new Node[1];
        boolean[] firstClosed = new boolean[1];
        long[] restartedAt = new long[1];
        try (TcpRelay relay = new TcpRelay(port);
                HandleClient client = viaRelay(first, relay, data).operationTimeout(Duration.ofSeconds(120))
                        .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(500)).build()) {
            CountDownLatch enough = new CountDownLatch(1000);
            AtomicInteger sessionsBefore = new AtomicInteger(-1);
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
                try {
                    enough.await();
                    sessionsBefore.set(sessionsHeld(first));
                    relay.refusing = true; // the node is down: no connection reaches it until it is back
                    first.close();
                    firstClosed[0] = true;
                    second[0] = Node.start(TestNode.config(data).prefixes(List.of(PREFIX)).port(port).build());
                    restartedAt[0] = System.nanoTime(); // a connection made from now on reaches the new node
                    relay.refusing = false;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<RegistrationResult> failures = new CopyOnWriteArrayList<>();
            BatchSummary s = client.register(items("RESTART-", items), BatchOptions.defaults().withMaxInFlight(256)
                    .withOnResult(r -> {
                        if (!r.registered()) {
                            failures.add(r);
                        }
                        enough.countDown();
                    })).completion().get(150, TimeUnit.SECONDS);
            restarted.get(30, TimeUnit.SECONDS);

            assertThat(failures).isEmpty();
            assertThat(s.failed()).isZero();
            assertThat(s.conflicts()).isZero();
            assertThat(s.created() + s.alreadyRegistered()).isEqualTo(items);
            assertThat(sessionsBefore.get()).as("sessions of the first node").isEqualTo(2);
            List<Link> after = relay.answeredLinksSince(restartedAt[0]);
            // How many of the pool's connections the rest of the batch needs after the restart depends on timing:
            // one or both, and each that carried requests set up and authenticated its own session once.
            assertThat(after).as("connections to the new node that carried requests").hasSizeBetween(1, 2);
            for (Link l : after) {
                assertThat(l.count(OpCode.SESSION_SETUP)).as("sessions set up over " + l).isOne();
                assertThat(l.count(OpCode.CHALLENGE_RESPONSE)).as("challenges answered over " + l).isOne();
                assertThat(l.count(OpCode.CREATE_HANDLE)).as("creates over " + l).isPositive();
            }
            assertThat(sessionsHeld(second[0])).as("the new node's session table").isEqualTo(after.size());

            List<String> listed = client.listHandles(PREFIX).get(60, TimeUnit.SECONDS);
            Set<String> expected = new HashSet<>();
            items("RESTART-", items).forEachRemaining(r -> expected.add(r.handle()));
            assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            if (!firstClosed[0]) {
                first.close();
            }
            if (second[0] != null) {
                second[0].close();
            }
        }
    }

    /** A client of {@code node} as its administrator, whose only site sends TCP through {@code relay}. */
    private static HandleClient.Builder viaRelay(Node node, TcpRelay relay, Path data) throws IOException {
        SiteInfo real = node.site();
        ServerInfo s = real.servers().get(0);
        ServerInfo viaRelay = new ServerInfo(s.serverId(), s.address(), s.publicKey(), List.of(
                new ServiceInterface(ServiceInterface.ADMIN_AND_QUERY, ServiceInterface.TCP, relay.port())));
        SiteInfo site = new SiteInfo(real.dataFormatVersion(), real.protocolMajor(), real.protocolMinor(),
                real.serialNumber(), real.primary(), real.multiPrimary(), real.hashOption(), real.hashFilter(),
                real.attributes(), List.of(viaRelay));
        return HandleClient.builder().site(site).prefixLookup(false).udp(false)
                .identity(Identity.fromPemFile(ADMIN, data.resolve(Node.KEYS_DIR).resolve("admin.pem")));
    }

    private static Iterator<Registration> items(String stem, int count) {
        return IntStream.range(0, count).mapToObj(i -> Registration.of(PREFIX + "/" + stem + i,
                Values.url(1, "https://example.com/s/" + i), Values.admin(100, ADMIN, AdminPermissions.ALL)))
                .iterator();
    }

    private static int sessionsHeld(Node node) {
        return (int) node.meters().get("idnode.sessions").gauge().value();
    }

    /**
     * One relayed connection: when it reached the node ({@link System#nanoTime()}), its requests counted by
     * operation, and the bytes the node answered over it.
     */
    static final class Link {
        final long connectedAt;
        final int number;
        private final Map<Integer, LongAdder> requests = new ConcurrentHashMap<>();
        private final LongAdder all = new LongAdder();
        private final LongAdder replyBytes = new LongAdder();

        Link(long connectedAt, int number) {
            this.connectedAt = connectedAt;
            this.number = number;
        }

        long count(OpCode op) {
            LongAdder n = requests.get(op.code());
            return n == null ? 0 : n.sum();
        }

        void counted(byte[] frame) {
            all.increment();
            boolean encrypted = (frame[EnvelopeLayout.FLAGS] & Envelope.ENCRYPTED) != 0;
            if (!encrypted && frame.length >= EnvelopeLayout.LENGTH + 4) {
                int op = ByteBuffer.wrap(frame).getInt(EnvelopeLayout.LENGTH);
                requests.computeIfAbsent(op, k -> new LongAdder()).increment();
            }
        }

        @Override
        public String toString() {
            return "connection " + number + " (" + all.sum() + " requests)";
        }
    }

    /**
     * Relays TCP connections on a loopback port to the node's port, one connection to the node for each, counting
     * the client's requests frame by frame (envelope, then the message of the length it gives, §1.4). A
     * connection that cannot reach the node is closed unread.
     */
    static final class TcpRelay implements AutoCloseable {
        final List<Link> links = new CopyOnWriteArrayList<>();
        /** While set, a connection is closed at once, unread, as if the node were down. */
        volatile boolean refusing;
        private final ServerSocket server;
        private final int target;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private final AtomicInteger accepted = new AtomicInteger();

        TcpRelay(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptAll, "tcp-relay");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        /** The connections the node answered over. */
        List<Link> answeredLinks() {
            return links.stream().filter(l -> l.replyBytes.sum() > 0).toList();
        }

        /** The connections made after {@code sinceNanos} ({@link System#nanoTime()}) that the node answered over. */
        List<Link> answeredLinksSince(long sinceNanos) {
            return answeredLinks().stream().filter(l -> l.connectedAt - sinceNanos > 0).toList();
        }

        private void acceptAll() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread t = new Thread(() -> relay(client), "tcp-relay-link");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void relay(Socket client) {
            sockets.add(client);
            if (refusing) {
                closeQuietly(client);
                return;
            }
            Socket node;
            try {
                node = new Socket(InetAddress.getLoopbackAddress(), target);
            } catch (IOException refused) {
                closeQuietly(client);
                return;
            }
            sockets.add(node);
            Link link = new Link(System.nanoTime(), accepted.incrementAndGet());
            links.add(link);
            Thread back = new Thread(() -> copy(node, client, link.replyBytes), "tcp-relay-replies");
            back.setDaemon(true);
            back.start();
            try {
                DataInputStream in = new DataInputStream(client.getInputStream());
                OutputStream out = node.getOutputStream();
                while (true) {
                    byte[] envelope = new byte[EnvelopeLayout.LENGTH];
                    in.readFully(envelope);
                    int length = ByteBuffer.wrap(envelope).getInt(EnvelopeLayout.MESSAGE_LENGTH);
                    byte[] frame = new byte[EnvelopeLayout.LENGTH + length];
                    System.arraycopy(envelope, 0, frame, 0, envelope.length);
                    in.readFully(frame, EnvelopeLayout.LENGTH, length);
                    link.counted(frame);
                    out.write(frame);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed: so does the other
            } finally {
                closeQuietly(client);
                closeQuietly(node);
            }
        }

        private static void copy(Socket from, Socket to, LongAdder bytes) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                byte[] buffer = new byte[16384];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    bytes.add(n);
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed: so does the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            sockets.forEach(TcpRelay::closeQuietly);
        }
    }
}
