package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.idnode.codec.MessageCodec;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.OpCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.handle.hdllib.AbstractMessage;
import net.handle.hdllib.AbstractResponse;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock client's certified resolution inside an anonymous session (handle-protocol.md §2.3, §6.5) checks the
 * node's session MAC: the reply verifies as the node sends it, and a reply whose MAC a relay changed on the way
 * is refused by the client ("Verification of session MAC failed"), while the same client, untouched, goes on.
 * The client resolves in a session when the request carries a session tracker (or, with the resolver's own
 * tracker, when it asks for restricted values and a session exists); a plain certified resolution gets the
 * node's signature instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class StockClientSessionMacTest {
    static final String PREFIX = "88.100.1";
    static final String HANDLE = PREFIX + "/MAC-0001";

    @TempDir
    static Path temp;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of(PREFIX)));

    TamperingRelay relay;

    @BeforeAll
    void seedAndRelay() throws Exception {
        NODE.node().store().put(HandleRecord.of(HANDLE, List.of(
                HandleValue.builder(1, "URL").data("https://example.com/mac").timestamp(1_700_000_000).build())));
        relay = new TamperingRelay(NODE.node().port());
    }

    @AfterAll
    void stop() throws IOException {
        relay.close();
    }

    /** A stock TCP client with the library's session tracker, whose sites point at the relay. */
    HandleResolver client(String name) throws Exception {
        SiteInfo site = StockClients.site(NODE.dataDir());
        for (Interface i : site.servers[0].interfaces) {
            i.port = relay.port();
        }
        HandleResolver r = StockClients.resolver(site, temp.resolve(name), true, Interface.SP_HDL_TCP);
        // The prefix's own site, too, is the relay: otherwise the lookup of 0.NA/PREFIX sends the client on.
        ((FilesystemConfiguration) r.getConfiguration()).setLocalSites("0.NA/" + PREFIX, new SiteInfo[] {site});
        return r;
    }

    static ResolutionRequest certifiedInSession(HandleResolver r) {
        ResolutionRequest req = new ResolutionRequest(Util.encodeString(HANDLE), null, null, null);
        req.sessionTracker = r.getSessionTracker();
        req.certify = true;
        return req;
    }

    @Test
    void certifiedResolutionInAnAnonymousSessionVerifiesTheMac() throws Exception {
        HandleResolver r = client("intact");
        relay.tamper.set(false);
        relay.exchanges.clear();

        AbstractResponse resp = r.processRequest(certifiedInSession(r));

        assertThat(resp.responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
        assertThat(((ResolutionResponse) resp).getHandleValues()[0].getDataAsString())
                .isEqualTo("https://example.com/mac");
        assertThat(resp.sessionId).isPositive();
        assertThat(resp.sessionCounter).isPositive();
        Message setup = find(OpCode.SESSION_SETUP);
        SessionSetupRequest body = (SessionSetupRequest) setup.body();
        assertThat(body.identityHandle()).as("anonymous session").isEmpty();
        Message reply = lastReply();
        assertThat(reply.credential().type()).isEqualTo(Credential.TYPE_MAC);
        assertThat(reply.credential().hashId()).isEqualTo("HMAC-SHA256");
    }

    @Test
    void aReplyWithATamperedMacIsRefusedByTheClient() throws Exception {
        HandleResolver r = client("tampered");
        relay.tamper.set(false);
        // The session is set up and used once untouched.
        assertThat(r.processRequest(certifiedInSession(r)).responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);

        relay.tamper.set(true);
        int tamperedBefore = relay.tampered.get();
        Throwable refused = catchThrowable(() -> r.processRequest(certifiedInSession(r)));
        assertThat(relay.tampered.get()).as("the relay changed a MAC").isGreaterThan(tamperedBefore);
        assertThat(refused).isInstanceOf(HandleException.class);
        assertThat(messages(refused)).anyMatch(m -> m.contains("Verification of session MAC failed"));

        relay.tamper.set(false);
        assertThat(r.processRequest(certifiedInSession(r)).responseCode).isEqualTo(AbstractMessage.RC_SUCCESS);
    }

    static List<String> messages(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.add(String.valueOf(c.getMessage()));
        }
        return out;
    }

    Message find(OpCode op) throws Exception {
        for (StockClientSessionTest.Exchange e : relay.exchanges) {
            Message m = MessageCodec.DEFAULT.decode(e.request());
            if (m.opCode().equals(op)) {
                return m;
            }
        }
        throw new AssertionError("no " + op + " request went through the relay");
    }

    Message lastReply() throws Exception {
        return MessageCodec.DEFAULT.decode(relay.exchanges.get(relay.exchanges.size() - 1).reply());
    }

    /**
     * Relays each TCP connection's one request to the node and its reply back (§1.4), keeping both; while
     * {@link #tamper} is set, flips the last bit of the MAC of every reply carrying an HS_MAC credential.
     */
    static final class TamperingRelay implements AutoCloseable {
        final List<StockClientSessionTest.Exchange> exchanges = new CopyOnWriteArrayList<>();
        final AtomicBoolean tamper = new AtomicBoolean();
        final AtomicInteger tampered = new AtomicInteger();
        private final ServerSocket server;
        private final int target;

        TamperingRelay(int target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::run, "mac-tampering-relay");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void run() {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    client.setSoTimeout(10_000);
                    byte[] request = StockClientSessionTest.readFrame(client.getInputStream());
                    byte[] reply = StockClientSessionTest.exchange(target, request);
                    exchanges.add(new StockClientSessionTest.Exchange(request, reply));
                    if (tamper.get() && carriesMac(reply)) {
                        reply = reply.clone();
                        reply[reply.length - 1] ^= 1; // the MAC's bytes end the frame (§2.3)
                        tampered.incrementAndGet();
                    }
                    OutputStream out = client.getOutputStream();
                    out.write(reply);
                    out.flush();
                } catch (IOException e) {
                    // closed, or a client that went away: the assertions report what is missing
                }
            }
        }

        private static boolean carriesMac(byte[] frame) {
            try {
                Credential c = MessageCodec.DEFAULT.decode(frame).credential();
                return c != null && Credential.TYPE_MAC.equals(c.type());
            } catch (Exception e) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
