package io.idnode.server;

import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * Requests as a client without credentials sends them, framed by the codec, and a TCP connection that sends
 * them and reads each reply's request id and response code.
 */
final class RawRequests implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    /** A reply: the request id of its envelope and the response code of its header. */
    record Reply(int requestId, int responseCode) {
    }

    /** Connects to a node on loopback port {@code port}. */
    RawRequests(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** The frame (envelope and message) of an unauthenticated DELETE_HANDLE of {@code handle}. */
    static byte[] delete(int requestId, String handle) {
        long expiration = System.currentTimeMillis() / 1000 + MessageHeader.LIFETIME_SECONDS;
        MessageHeader header = new MessageHeader(OpCode.DELETE_HANDLE, ResponseCode.RESERVED, 0,
                MessageHeader.NO_SITE_SERIAL, 0, expiration);
        return MessageCodec.DEFAULT.encode(Message.of(Envelope.request(0, requestId), header,
                new HandleRequest(handle)));
    }

    /** The reply in {@code datagram} (a whole reply in one datagram). */
    static Reply reply(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram);
        return new Reply(b.getInt(8), b.getInt(EnvelopeLayout.LENGTH + 4));
    }

    /** Sends {@code frame}. */
    void send(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
    }

    /** Reads the next reply. */
    Reply read() throws IOException {
        byte[] envelope = new byte[EnvelopeLayout.LENGTH];
        in.readFully(envelope);
        ByteBuffer e = ByteBuffer.wrap(envelope);
        byte[] message = new byte[e.getInt(16)];
        in.readFully(message);
        return new Reply(e.getInt(8), ByteBuffer.wrap(message).getInt(4));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
