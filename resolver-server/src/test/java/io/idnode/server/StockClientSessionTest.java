package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.MessageCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValuePermissions;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.ManualClock;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.handle.hdllib.AbstractMessage;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.ClientSessionTracker;
import net.handle.hdllib.FilesystemConfiguration;
import net.handle.hdllib.HandleException;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.ResolutionRequest;
import net.handle.hdllib.ResolutionResponse;
import net.handle.hdllib.SiteInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stock CNRI client with its default session tracker (handle-protocol.md §6.5, §6.6) sets up a session
 * with a real node and resolves inside it: certified replies verified by the session MAC, an ENC request
 * answered encrypted, and a replayed session request refused. A TCP relay in front of the node records the
 * exact frames, so the test can see what went over the wire and resend a captured request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StockClientSessionTest {
    static final String PREFIX = "88.100.1";
    static final String HANDLE = PREFIX + "/SESSION-0001";
    static final String BIG = PREFIX + "/SESSION-BIG";

    @TempDir
    static Path temp;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)));

    Node node;
    Relay relay;

    @BeforeAll
    void seedRecordsAndStartRelay() throws Exception {
        node = NODE.node();
        int ts = 1_700_000_000;
        node.store().put(HandleRecord.of(HANDLE, List.of(
                HandleValue.builder(1, "URL").data("https://example.com/session").timestamp(ts).build(),
                HandleValue.builder(2, "SECRET_NOTE").data("admins only")
                        .permissions(ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).timestamp(ts).build())));
        List<HandleValue> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            many.add(HandleValue.builder(i, "DESC").data("component " + i + " of the assembly, with a long text")
                    .timestamp(ts).build());
        }
        node.store().put(HandleRecord.of(BIG, many));
        relay = new Relay(node.port());
    }

    @AfterAll
    void stop() throws IOException {
        relay.close();
    }

    /** {@link #resolverFor} for the shared node, using only {@code protocol}. */
    HandleResolver resolver(String name, int port, int protocol) throws Exception {
        HandleResolver r = resolverFor(NODE.dataDir(), name, port);
        r.setPreferredProtocols(new int[] {protocol});
        return r;
    }

    /**
     * A stock TCP resolver configured as in §7.3 except that its session tracker is left as the library makes
     * it; the prefix's site (of the node in {@code dataDir}) is given as a local site, its interfaces moved
     * to {@code port}, so that requests go there (the node itself or the relay).
     */
    static HandleResolver resolverFor(Path dataDir, String name, int port) throws Exception {
        SiteInfo site = StockClients.site(dataDir);
        for (Interface i : site.servers[0].interfaces) {
            i.port = port;
        }
        Path configDir = temp.resolve(name);
        Files.createDirectories(configDir);
        HandleResolver r = new HandleResolver();
        FilesystemConfiguration cfg = new FilesystemConfiguration(configDir.toFile());
        cfg.setAutoUpdateRootInfo(false);
        cfg.setGlobalSites(new SiteInfo[] {site});
        cfg.setLocalSites("0.NA/" + PREFIX, new SiteInfo[] {site});
        r.setConfiguration(cfg);
        r.setCache(null);
        r.setCertifiedCache(null);
        r.setPreferredProtocols(new int[] {Interface.SP_HDL_TCP});
        r.setUdpRetryScheme(new int[] {2000});
        r.setTcpTimeout(10_000);
        assertThat(r.getSessionTracker()).as("the library's default session tracker").isNotNull();
        return r;
    }

    /** A resolution the way a session-using caller sends it: through the resolver's session tracker. */
    static ResolutionRequest inSession(HandleResolver r, boolean encrypt) {
        ResolutionRequest req = new ResolutionRequest(Util.encodeString(HANDLE), null, null, null);
        req.sessionTracker = r.getSessionTracker();
        req.certify = true;
        req.encrypt = encrypt;
        return req;
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {Interface.SP_HDL_UDP, Interface.SP_HDL_TCP})
    void clientSetsUpASessionAndResolvesInsideIt(int protocol) throws Exception {
        HandleResolver r = resolver("client-" + protocol, node.port(), protocol);
        AbstractResponse first = r.processRequest(inSession(r, false));
        assertThat(first.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        // Certified in the session: MAC-signed (a node signature carries counter 0); the library verified it.
        assertThat(first.sessionId).isPositive();
        assertThat(first.sessionCounter).isEqualTo(1);
        ClientSessionTracker tracker = r.getSessionTracker();
        assertThat(tracker.getAllSessions()).hasSize(1);
        assertThat(tracker.getAllSessions()[0].sessionId).isEqualTo(first.sessionId);
        assertThat(((ResolutionResponse) first).values.length).isEqualTo(1);

        AbstractResponse second = r.processRequest(inSession(r, false));
        assertThat(second.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        assertThat(second.sessionId).isEqualTo(first.sessionId);
        assertThat(second.sessionCounter).isEqualTo(2);
        assertThat(tracker.getAllSessions()).hasSize(1);
    }

    @Test
    void sessionSetUpOverUdpIsUsedOverTcp() throws Exception {
        HandleResolver r = resolver("client-udp-tcp", node.port(), Interface.SP_HDL_UDP);
        AbstractResponse overUdp = r.processRequest(inSession(r, false));
        assertThat(overUdp.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        r.setPreferredProtocols(new int[] {Interface.SP_HDL_TCP});
        AbstractResponse overTcp = r.processRequest(inSession(r, false));
        assertThat(overTcp.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        assertThat(overTcp.sessionId).isEqualTo(overUdp.sessionId);
        assertThat(overTcp.sessionCounter).isEqualTo(2);
    }

    @Test
    void afterTheSessionExpiresTheClientSetsUpANewOne() throws Exception {
        ManualClock clock = new ManualClock(System.currentTimeMillis());
        NodeConfig config = TestNode.config(temp.resolve("data-expiry")).prefixes(List.of(PREFIX)).eventLoops(1)
                .cacheMaxRecords(0).clock(clock).build();
        try (Node expiring = Node.start(config)) {
            expiring.store().put(node.store().get(HANDLE));
            HandleResolver r = resolverFor(temp.resolve("data-expiry"), "client-expiry", expiring.port());
            AbstractResponse before = r.processRequest(inSession(r, false));
            assertThat(before.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
            // The library asks for 24 hours, the node's maximum; a day and a second later the session is gone.
            clock.advance(Duration.ofHours(24).plusSeconds(1));
            AbstractResponse after = r.processRequest(inSession(r, false));
            assertThat(after.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
            assertThat(after.sessionId).isPositive().isNotEqualTo(before.sessionId);
            assertThat(after.sessionCounter).isEqualTo(1);
            assertThat(r.getSessionTracker().getAllSessions()).hasSize(1);
        }
    }

    @Test
    void setupBeyondTheAddresssQuotaFailsInTheClient() throws Exception {
        // Both clients are on 127.0.0.1. (A table full of sessions that never authenticated would drop one.)
        NodeConfig config = TestNode.config(temp.resolve("data-full")).prefixes(List.of(PREFIX)).eventLoops(1)
                .cacheMaxRecords(0).maxSessionsPerSource(1).sessionTimeout(Duration.ofHours(1)).build();
        try (Node full = Node.start(config)) {
            full.store().put(node.store().get(HANDLE));
            HandleResolver first = resolverFor(temp.resolve("data-full"), "client-full-1", full.port());
            assertThat(first.processRequest(inSession(first, false)).responseCode)
                    .isEqualTo(AbstractMessage.RC_SUCCESS);
            HandleResolver second = resolverFor(temp.resolve("data-full"), "client-full-2", full.port());
            // The setup is answered 3 (server too busy); the library reports it as a failed session setup.
            assertThatThrownBy(() -> second.processRequest(inSession(second, false)))
                    .isInstanceOf(HandleException.class).hasMessageContaining("session");
            // Without a session the same client still resolves.
            ResolutionRequest plain = new ResolutionRequest(Util.encodeString(HANDLE), null, null, null);
            assertThat(second.processRequest(plain).responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        }
    }

    @Test
    void setupIsNodeSignedAndSessionRepliesAreMacSignedOnTheWire() throws Exception {
        HandleResolver r = resolver("client-wire", relay.port(), Interface.SP_HDL_TCP);
        relay.clear();
        AbstractResponse resp = r.processRequest(inSession(r, false));
        assertThat(resp.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);

        assertThat(relay.exchanges).hasSize(2);
        Message setup = decode(relay.exchanges.get(0).request);
        Message setupReply = decode(relay.exchanges.get(0).reply);
        assertThat(setup.opCode()).isEqualTo(OpCode.SESSION_SETUP);
        assertThat(setup.sessionId()).isZero();
        assertThat(setupReply.credential().type()).isEqualTo(Credential.TYPE_SIGNED);
        assertThat(setupReply.sessionId()).isEqualTo(resp.sessionId);

        Message request = decode(relay.exchanges.get(1).request);
        Message reply = decode(relay.exchanges.get(1).reply);
        assertThat(request.opCode()).isEqualTo(OpCode.RESOLUTION);
        assertThat(request.sessionId()).isEqualTo(resp.sessionId);
        assertThat(request.credential().type()).isEqualTo(Credential.TYPE_MAC);
        assertThat(reply.credential().type()).isEqualTo(Credential.TYPE_MAC);
        assertThat(reply.envelope().hasFlag(Envelope.ENCRYPTED)).isFalse();
    }

    @Test
    void encryptedResolutionComesBackEncryptedAndDecryptsInTheClient() throws Exception {
        HandleResolver r = resolver("client-enc", relay.port(), Interface.SP_HDL_TCP);
        relay.clear();
        AbstractResponse resp = r.processRequest(inSession(r, true));
        assertThat(resp.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        net.handle.hdllib.HandleValue[] values = ((ResolutionResponse) resp).getHandleValues();
        assertThat(values).hasSize(1);
        assertThat(values[0].getDataAsString()).isEqualTo("https://example.com/session");

        Exchange inSession = relay.exchanges.get(relay.exchanges.size() - 1);
        Envelope requestEnvelope = MessageCodec.DEFAULT.decodeEnvelope(inSession.request, 0);
        Envelope replyEnvelope = MessageCodec.DEFAULT.decodeEnvelope(inSession.reply, 0);
        assertThat(requestEnvelope.hasFlag(Envelope.ENCRYPTED)).as("client encrypted its request").isTrue();
        assertThat(replyEnvelope.hasFlag(Envelope.ENCRYPTED)).as("node encrypted its reply").isTrue();
        assertThat(replyEnvelope.sessionId()).isEqualTo(resp.sessionId);
        // Nothing of the value is readable on the wire.
        assertThat(new String(inSession.reply, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("example.com");
    }

    @Test
    void encryptedReplyLongerThanADatagramReassemblesAndDecryptsOverUdp() throws Exception {
        HandleResolver r = resolver("client-enc-udp", node.port(), Interface.SP_HDL_UDP);
        ResolutionRequest req = inSession(r, true);
        req.handle = Util.encodeString(BIG);
        AbstractResponse resp = r.processRequest(req);
        assertThat(resp.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        net.handle.hdllib.HandleValue[] values = ((ResolutionResponse) resp).getHandleValues();
        assertThat(values).hasSize(40);
        assertThat(values[39].getDataAsString()).isEqualTo("component 40 of the assembly, with a long text");
    }

    @Test
    void replayedSessionRequestIsRejected() throws Exception {
        HandleResolver r = resolver("client-replay", relay.port(), Interface.SP_HDL_TCP);
        relay.clear();
        assertThat(r.processRequest(inSession(r, false)).responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        byte[] captured = relay.exchanges.get(relay.exchanges.size() - 1).request;
        assertThat(decode(captured).credential().type()).isEqualTo(Credential.TYPE_MAC);

        Message reply = decode(exchange(node.port(), captured));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SESSION_MESSAGE_REJECTED);
        assertThat(reply.requestId()).isEqualTo(decode(captured).requestId());

        // The session itself is intact: the client goes on resolving in it.
        AbstractResponse next = r.processRequest(inSession(r, false));
        assertThat(next.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        assertThat(next.sessionId).isEqualTo(reply.sessionId());
    }

    static Message decode(byte[] frame) throws Exception {
        return MessageCodec.DEFAULT.decode(frame);
    }

    /** Sends one frame on a new TCP connection and reads one frame back. */
    static byte[] exchange(int port, byte[] frame) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(frame);
            s.getOutputStream().flush();
            return readFrame(s.getInputStream());
        }
    }

    /** Envelope (20 bytes, message length at offset 16) and the message it announces. */
    static byte[] readFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] envelope = new byte[20];
        data.readFully(envelope);
        int length = ((envelope[16] & 0xFF) << 24) | ((envelope[17] & 0xFF) << 16) | ((envelope[18] & 0xFF) << 8)
                | (envelope[19] & 0xFF);
        byte[] frame = Arrays.copyOf(envelope, 20 + length);
        data.readFully(frame, 20, length);
        return frame;
    }

    record Exchange(byte[] request, byte[] reply) {
    }


    /**
     * Relays each TCP connection's one request to the node and its one reply back (the stock client sends one
     * request per connection, §1.4), keeping both frames.
     */
    static final class Relay implements AutoCloseable {
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        private final ServerSocket server;
        private final int target;
        private final Thread thread;

        Relay(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.thread = new Thread(this::run, "session-test-relay");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void clear() {
            exchanges.clear();
        }

        private void run() {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    client.setSoTimeout(10_000);
                    byte[] request = readFrame(client.getInputStream());
                    byte[] reply = exchange(target, request);
                    exchanges.add(new Exchange(request, reply));
                    OutputStream out = client.getOutputStream();
                    out.write(reply);
                    out.flush();
                } catch (IOException e) {
                    // closed, or a client that went away: the test's own assertions report what is missing
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
