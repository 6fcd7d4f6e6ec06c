package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Garbage on either transport gets a protocol error or is dropped, and the node keeps answering. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    static final String DEMO = "88.100.1/PUMP-2026-000123";

    @TempDir
    static Path temp;

    @RegisterExtension
    static final TestNode NODE = TestNode.started(b -> b.prefixes(List.of("88.100.1")).demo(true));

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), NODE.port());
    }

    void assertStillResolves(int protocol) throws Exception {
        HandleResolver r = StockClients.resolver(NODE.dataDir(), temp.resolve("client"), protocol);
        assertThat(r.resolveHandle(DEMO, new String[] {"URL"}, null)).hasSize(1);
    }

    /** A request envelope (2.11) announcing {@code messageLength} bytes. */
    static byte[] envelope(int requestId, int messageLength) {
        return ByteBuffer.allocate(20).put((byte) 2).put((byte) 11).put((byte) 2).put((byte) 11).putInt(0)
                .putInt(requestId).putInt(0).putInt(messageLength).array();
    }

    @Test
    void randomDatagramsAreDroppedOrAnsweredWithProtocolError() throws Exception {
        Random random = new Random(42);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(200);
            for (int i = 0; i < 300; i++) {
                byte[] junk = new byte[random.nextInt(600)];
                random.nextBytes(junk);
                if (i % 3 == 0 && junk.length >= 20) {
                    System.arraycopy(envelope(i, junk.length - 20), 0, junk, 0, 20);
                }
                s.send(new DatagramPacket(junk, junk.length, address()));
            }
            // Every reply that does come back is a well-formed protocol error.
            byte[] buf = new byte[1024];
            int replies = 0;
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
                assertThat(b.get(0)).isEqualTo((byte) 2);
                int rc = b.getInt(20 + 4);
                assertThat(rc).isIn(4, 5, 102);
                replies++;
            }
            assertThat(replies).isPositive();
        }
        assertStillResolves(Interface.SP_HDL_UDP);
    }

    @Test
    void malformedBodyAfterValidEnvelopeGetsProtocolError() throws Exception {
        byte[] message = new byte[30];
        ByteBuffer.wrap(message).putInt(1).putInt(0).putInt(0).putShort((short) 1).put((byte) 0).put((byte) 0)
                .putInt(2_000_000_000).putInt(1000); // bodyLength beyond the message
        byte[] datagram = ByteBuffer.allocate(50).put(envelope(0x7777, 30)).put(message).array();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            s.send(new DatagramPacket(datagram, datagram.length, address()));
            DatagramPacket p = new DatagramPacket(new byte[1024], 1024);
            s.receive(p);
            ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
            assertThat(b.getInt(8)).isEqualTo(0x7777);
            assertThat(b.getInt(20 + 4)).isEqualTo(4);
            long expiration = b.getInt(20 + 16) & 0xFFFFFFFFL;
            assertThat(expiration).isGreaterThan(System.currentTimeMillis() / 1000);
        }
    }

    @Test
    void halfWrittenTcpFramesAndOversizedLengthsDoNotStallTheNode() throws Exception {
        // A client that announces a frame and stops half-way, left open.
        try (Socket stalled = new Socket()) {
            stalled.connect(address(), 5000);
            stalled.getOutputStream().write(envelope(1, 100));
            stalled.getOutputStream().write(new byte[40]);
            stalled.getOutputStream().flush();
            // An envelope announcing more than the protocol allows: the node must not wait for or allocate it.
            try (Socket huge = new Socket()) {
                huge.connect(address(), 5000);
                huge.setSoTimeout(5000);
                OutputStream out = huge.getOutputStream();
                out.write(envelope(2, Integer.MAX_VALUE));
                out.flush();
                assertThat(readUntilClosed(huge.getInputStream())).isTrue();
            }
            // Garbage that is not even an envelope.
            try (Socket junk = new Socket()) {
                junk.connect(address(), 5000);
                junk.setSoTimeout(5000);
                byte[] bytes = new byte[64];
                new Random(7).nextBytes(bytes);
                junk.getOutputStream().write(bytes);
                assertThat(readUntilClosed(junk.getInputStream())).isTrue();
            }
            assertStillResolves(Interface.SP_HDL_TCP);
        }
    }

    /** Reads whatever the node sends until it closes the connection; true if it closed. */
    static boolean readUntilClosed(InputStream in) throws Exception {
        DataInputStream d = new DataInputStream(in);
        try {
            while (true) {
                d.readByte();
            }
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    @Test
    void persistentTcpConnectionServesSeveralRequests() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address(), 5000);
            s.setSoTimeout(5000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int i = 0; i < 3; i++) {
                byte[] handle = DEMO.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int bodyLength = 4 + handle.length + 4 + 4;
                ByteBuffer msg = ByteBuffer.allocate(24 + bodyLength + 4);
                msg.putInt(1).putInt(0).putInt(0x19000000).putShort((short) -1).put((byte) 0).put((byte) 0)
                        .putInt((int) (System.currentTimeMillis() / 1000 + 100)).putInt(bodyLength);
                msg.putInt(handle.length).put(handle).putInt(0).putInt(0).putInt(0);
                OutputStream out = s.getOutputStream();
                out.write(envelope(1000 + i, msg.capacity()));
                out.write(msg.array());
                out.flush();
                byte[] env = new byte[20];
                in.readFully(env);
                ByteBuffer e = ByteBuffer.wrap(env);
                assertThat(e.getInt(8)).isEqualTo(1000 + i);
                byte[] reply = new byte[e.getInt(16)];
                in.readFully(reply);
                assertThat(ByteBuffer.wrap(reply).getInt(4)).isEqualTo(1);
            }
        }
    }
}
