package io.idnode.client;

import static io.idnode.client.TestClients.ADMIN;
import static io.idnode.client.TestClients.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.SiteInfo;
import io.idnode.model.SiteInfo.ServerInfo;
import io.idnode.model.SiteInfo.ServiceInterface;
import io.idnode.server.TestNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resolution over a lossy network (handle-protocol.md §1.3): the client's datagrams pass a relay that drops as
 * many as it is told to. A dropped request is sent again on the retry schedule, with the same bytes; when every
 * send is dropped the request goes over TCP. The site the client is given names the relay as the node's UDP
 * interface and the node itself as its TCP one.
 */
class LossyUdpTest {
    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)));

    static final String HANDLE = PREFIX + "/LOSSY";
    static Relay relay;

    @BeforeAll
    static void start() throws Exception {
        try (HandleClient admin = TestClients.of(NODE).identity(TestClients.admin(NODE)).build()) {
            admin.blocking().create(HANDLE, List.of(Values.url(1, "https://example.com/lossy"),
                    Values.admin(100, ADMIN, AdminPermissions.ALL)));
        }
        relay = new Relay(new InetSocketAddress(InetAddress.getLoopbackAddress(), NODE.port()));
    }

    @AfterAll
    static void stop() {
        relay.close();
    }

    /** A client whose only site sends UDP through the relay and TCP to the node, with short waits between sends. */
    private static HandleClient client() throws Exception {
        SiteInfo real;
        try (HandleClient direct = TestClients.of(NODE).build()) {
            real = direct.blocking().siteInfo();
        }
        ServerInfo s = real.servers().get(0);
        ServerInfo viaRelay = new ServerInfo(s.serverId(), s.address(), s.publicKey(), List.of(
                new ServiceInterface(ServiceInterface.ADMIN_AND_QUERY, ServiceInterface.TCP, NODE.port()),
                new ServiceInterface(ServiceInterface.QUERY, ServiceInterface.UDP, relay.port())));
        SiteInfo site = new SiteInfo(real.dataFormatVersion(), real.protocolMajor(), real.protocolMinor(),
                real.serialNumber(), real.primary(), real.multiPrimary(), real.hashOption(), real.hashFilter(),
                real.attributes(), List.of(viaRelay));
        return HandleClient.builder().site(site).prefixLookup(false)
                .udpRetrySchedule(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150)))
                .build();
    }

    @Test
    void droppedRequestsAreSentAgainWithTheSameBytes() throws Exception {
        try (HandleClient c = client()) {
            relay.reset(2);
            Resolution r = c.blocking().resolve(HANDLE);
            assertThat(r.firstText("URL")).contains("https://example.com/lossy");
            assertThat(relay.requests.get()).isEqualTo(3);
            assertThat(relay.dropped.get()).isEqualTo(2);
            assertThat(relay.replies.get()).isEqualTo(1);
            assertThat(relay.distinctRequests()).as("every send carries the same bytes, requestId included").isOne();
        }
    }

    @Test
    void whenEverySendIsDroppedTheRequestGoesOverTcp() throws Exception {
        try (HandleClient c = client()) {
            relay.reset(Integer.MAX_VALUE);
            Resolution r = c.blocking().resolve(ResolveRequest.of(HANDLE).withCertified(true));
            assertThat(r.firstText("URL")).contains("https://example.com/lossy");
            assertThat(r.certified()).isTrue();
            assertThat(relay.requests.get()).as("one send per wait of the schedule").isEqualTo(3);
            assertThat(relay.replies.get()).isZero();
        }
    }

    /** Forwards datagrams between the client and the node, dropping the client's first {@code drop}. */
    static final class Relay implements AutoCloseable {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger replies = new AtomicInteger();
        private final DatagramSocket socket;
        private final InetSocketAddress node;
        private final Thread thread;
        private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile int drop;
        private volatile SocketAddress client;

        Relay(InetSocketAddress node) throws IOException {
            this.node = node;
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.thread = new Thread(this::run, "udp-relay");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        void reset(int drop) {
            this.drop = drop;
            requests.set(0);
            dropped.set(0);
            replies.set(0);
            seen.clear();
        }

        int distinctRequests() {
            return seen.size();
        }

        private void run() {
            byte[] buf = new byte[2048];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
                    if (p.getSocketAddress().equals(node)) {
                        replies.incrementAndGet();
                        socket.send(new DatagramPacket(data, data.length, client));
                        continue;
                    }
                    client = p.getSocketAddress();
                    requests.incrementAndGet();
                    seen.add(java.util.HexFormat.of().formatHex(data));
                    if (dropped.get() < drop) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    socket.send(new DatagramPacket(data, data.length, node));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
