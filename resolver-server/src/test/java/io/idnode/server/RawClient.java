package io.idnode.server;

import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.UdpFragmenter;
import io.idnode.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A client of plain sockets from a chosen loopback address (127.0.0.x: another "source" to the node), for
 * the tests that play an abusive client or need to see the node's exact replies and its closing of a
 * connection.
 */
final class RawClient {
    /** How long any read waits: a bound on each test, not a measurement. */
    static final int TIMEOUT_MILLIS = 10_000;

    private RawClient() {
    }

    /** The address 127.0.0.{@code last}. */
    static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A TCP connection to the node at {@code port}, from {@code from}. */
    static Socket connect(InetAddress from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
        s.setSoTimeout(TIMEOUT_MILLIS);
        return s;
    }

    /** Writes {@code request} on {@code s} and reads one reply frame. */
    static Message exchange(Socket s, Message request) throws Exception {
        s.getOutputStream().write(MessageCodec.DEFAULT.encode(request));
        s.getOutputStream().flush();
        return readReply(s.getInputStream());
    }

    /** One reply frame from {@code in}, decoded. */
    static Message readReply(InputStream in) throws Exception {
        return MessageCodec.DEFAULT.decode(readFrame(in));
    }

    /** One frame (envelope + message) from {@code in}, as it came. */
    static byte[] readFrame(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] envelope = new byte[EnvelopeLayout.LENGTH];
        d.readFully(envelope);
        int length = ByteBuffer.wrap(envelope).getInt(EnvelopeLayout.MESSAGE_LENGTH);
        byte[] frame = new byte[EnvelopeLayout.LENGTH + length];
        System.arraycopy(envelope, 0, frame, 0, envelope.length);
        d.readFully(frame, EnvelopeLayout.LENGTH, length);
        return frame;
    }

    /** Sends {@code request} over a fresh TCP connection from {@code from} and reads its reply. */
    static Message overTcp(InetAddress from, int port, Message request) throws Exception {
        try (Socket s = connect(from, port)) {
            return exchange(s, request);
        }
    }

    /** True once the node has closed {@code s} (end of stream or reset), reading and dropping what it sends. */
    static boolean closedByNode(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException | EOFException e) {
            return true;
        }
    }

    /**
     * Sends {@code request} over UDP from {@code socket}, split into datagrams when it is longer than one
     * (handle-protocol.md §1.3), and returns the reply; sent again, as a client retries, if none comes.
     */
    static Message overUdp(DatagramSocket socket, int port, Message request) throws Exception {
        ByteBuf frame = Unpooled.wrappedBuffer(MessageCodec.DEFAULT.encode(request));
        List<ByteBuf> datagrams = UdpFragmenter.fragment(frame, ByteBufAllocator.DEFAULT, true);
        try {
            InetSocketAddress node = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            for (int attempt = 0; attempt < 3; attempt++) {
                for (ByteBuf d : datagrams) {
                    byte[] bytes = ByteBufUtil.getBytes(d);
                    socket.send(new DatagramPacket(bytes, bytes.length, node));
                }
                DatagramPacket reply = new DatagramPacket(new byte[64 * 1024], 64 * 1024);
                try {
                    socket.setSoTimeout(TIMEOUT_MILLIS / 3);
                    socket.receive(reply);
                    return MessageCodec.DEFAULT.decode(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
                } catch (SocketTimeoutException lost) {
                    // a datagram was lost: send it all again
                }
            }
            throw new AssertionError("no reply over UDP to request " + request.requestId());
        } finally {
            datagrams.forEach(ByteBuf::release);
            frame.release();
        }
    }
}
