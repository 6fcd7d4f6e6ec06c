package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.RawRequests.Reply;
import io.idnode.store.StoreException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Closing a node drains it: a request in progress when the close begins (held in the audit log, which it
 * passes before its reply) is answered, while the node already accepts no connection; the store is closed only
 * after. Time is not measured: the request is held and released by hand.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {
    @TempDir
    Path temp;

    private final HeldAudit held = new HeldAudit();
    private final Logger audit = (Logger) LoggerFactory.getLogger(Slf4jAuditLog.LOGGER);

    /** An audit appender that holds the first line written until released. */
    static final class HeldAudit extends AppenderBase<ILoggingEvent> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        protected void append(ILoggingEvent event) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @BeforeEach
    void holdTheAuditLog() {
        held.setContext(audit.getLoggerContext());
        held.start();
        audit.addAppender(held);
    }

    @AfterEach
    void releaseTheAuditLog() {
        held.release.countDown();
        audit.detachAppender(held);
        held.stop();
    }

    @Test
    void aTcpRequestInProgressIsAnsweredWhileTheNodeStopsAccepting() throws Exception {
        Node node = Node.start(TestNode.config(temp.resolve("data")).build());
        int port = node.port();
        try (RawRequests client = new RawRequests(port)) {
            client.send(RawRequests.delete(7, "88.100.1/NO-SUCH-HANDLE"));
            held.entered.await();

            CompletableFuture<Void> closed = CompletableFuture.runAsync(node::close);
            waitUntilRefused(port);
            assertThat(closed).as("close waits for the request in progress").isNotDone();

            held.release.countDown();
            assertThat(client.read()).isEqualTo(new Reply(7, ResponseCode.HANDLE_NOT_FOUND.code()));
            closed.get();
        }
        assertThatThrownBy(() -> node.store().get("88.100.1/X")).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aUdpRequestInProgressIsAnsweredBeforeItsSocketCloses() throws Exception {
        Node node = Node.start(TestNode.config(temp.resolve("data")).build());
        int port = node.port();
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(30_000);
            byte[] request = RawRequests.delete(8, "88.100.1/NO-SUCH-HANDLE");
            client.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
            held.entered.await();

            CompletableFuture<Void> closed = CompletableFuture.runAsync(node::close);
            waitUntilRefused(port);
            assertThat(closed).as("close waits for the request in progress").isNotDone();

            held.release.countDown();
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            client.receive(reply);
            byte[] bytes = java.util.Arrays.copyOf(reply.getData(), reply.getLength());
            assertThat(RawRequests.reply(bytes)).isEqualTo(new Reply(8, ResponseCode.HANDLE_NOT_FOUND.code()));
            closed.get();
        }
    }

    /**
     * Returns once a TCP connection to {@code port} is refused: its listening socket is closed, the node accepts no
     * connection. A connection that is accepted, or reset (taken into the accept queue of the listening socket, then
     * dropped with it as it closed), proves nothing yet: another is tried.
     */
    private static void waitUntilRefused(int port) throws IOException {
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            } catch (ConnectException refused) {
                return;
            } catch (SocketException reset) {
                // try again
            }
            Thread.yield(); // the node's closing thread goes first on a busy machine
        }
    }
}
