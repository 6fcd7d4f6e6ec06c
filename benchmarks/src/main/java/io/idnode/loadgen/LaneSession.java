package io.idnode.loadgen;

import io.idnode.client.internal.PendingRequest;
import io.idnode.client.internal.TcpRequestChannel;
import io.idnode.codec.CodecException;
import io.idnode.codec.CredentialCodec;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.HeaderLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.SessionMacKey;
import io.idnode.crypto.auth.SessionMacs;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.transport.NettyTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The session of one lane (handle-protocol.md §6.5): set up once over TCP by Diffie-Hellman, anonymous; then every
 * request of the lane goes out in it with an {@code HS_MAC} credential (its own counter, from 1) over the request
 * template's header and body, and the MAC of every reply is checked. MACs of protocol 2.7 and later only (the
 * templates ask for 2.11). Confined to the lane's event loop after setup.
 */
final class LaneSession {
    /** Seconds the session is asked to live: longer than any run. */
    private static final int TIMEOUT_SECONDS = 86_400;
    /** Bytes an HS_MAC credential section adds to a request frame (at most). */
    static final int CREDENTIAL_ROOM = 96;

    private final int id;
    private final SessionMacKey key;
    private byte[] scratch = new byte[1024];
    private int counter;

    LaneSession(int id, SessionMacKey key) {
        this.id = id;
        this.key = key;
    }

    /** The session id the node gave. */
    int id() {
        return id;
    }

    /**
     * Puts {@code frame} (a copy of {@code template}: envelope, header and body, an empty credential section; its
     * requestId written) in the session: the session id, and a MAC credential with the next counter over the
     * template's header and body. Returns the frame.
     */
    ByteBuf seal(ByteBuf frame, byte[] template, int requestId) {
        int start = frame.readerIndex();
        int headerAndBody = template.length - EnvelopeLayout.LENGTH - 4;
        int c = ++counter;
        byte[] mac = key.compute(template[EnvelopeLayout.MAJOR_VERSION], template[EnvelopeLayout.MINOR_VERSION],
                template[EnvelopeLayout.FLAGS] & 0x03, template[EnvelopeLayout.SUGGESTED_MINOR], id, requestId, c,
                template, EnvelopeLayout.LENGTH, headerAndBody);
        frame.setInt(start + EnvelopeLayout.SESSION_ID, id);
        frame.writerIndex(start + EnvelopeLayout.LENGTH + headerAndBody);
        CredentialCodec.writeSection(Credential.mac(c, SessionMacs.HMAC_SHA256, Bytes.wrap(mac)), frame);
        frame.setInt(start + EnvelopeLayout.MESSAGE_LENGTH, frame.writerIndex() - start - EnvelopeLayout.LENGTH);
        return frame;
    }

    /**
     * Whether {@code reply} (envelope and whole message, unencrypted) belongs to this session and carries an
     * HMAC-SHA256 session MAC that verifies over its ids, counter, header and body.
     */
    boolean verify(ByteBuf reply) {
        int at = reply.readerIndex();
        int readable = reply.readableBytes();
        int bodyLengthAt = EnvelopeLayout.LENGTH + HeaderLayout.BODY_LENGTH;
        if (readable < bodyLengthAt + 4 || reply.getInt(at + EnvelopeLayout.SESSION_ID) != id
                || (reply.getByte(at + EnvelopeLayout.FLAGS) & Envelope.ENCRYPTED) != 0) {
            return false;
        }
        long headerAndBody = HeaderLayout.LENGTH + reply.getUnsignedInt(at + bodyLengthAt);
        long credentialAt = EnvelopeLayout.LENGTH + headerAndBody;
        if (credentialAt + 4 > readable) {
            return false;
        }
        long credentialLength = reply.getUnsignedInt(at + (int) credentialAt);
        if (credentialLength == 0 || credentialAt + 4 + credentialLength > readable) {
            return false;
        }
        Credential credential;
        try {
            credential = CredentialCodec.decode(ByteBufUtil.getBytes(reply, at + (int) credentialAt + 4,
                    (int) credentialLength));
        } catch (CodecException e) {
            return false;
        }
        int major = reply.getUnsignedByte(at + EnvelopeLayout.MAJOR_VERSION);
        int minor = reply.getUnsignedByte(at + EnvelopeLayout.MINOR_VERSION);
        if (!Credential.TYPE_MAC.equals(credential.type())
                || !SessionMacKey.covers(major, minor, credential.hashId())) {
            return false;
        }
        int n = (int) headerAndBody;
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, 2 * scratch.length)];
        }
        reply.getBytes(at + EnvelopeLayout.LENGTH, scratch, 0, n);
        return key.verify(major, minor, reply.getByte(at + EnvelopeLayout.FLAGS) & 0x03,
                reply.getUnsignedByte(at + EnvelopeLayout.SUGGESTED_MINOR), id,
                reply.getInt(at + EnvelopeLayout.REQUEST_ID), credential.sessionCounter(), Bytes.wrap(scratch, 0, n),
                credential.signature());
    }

    /**
     * Sets up an anonymous session with {@code target} over a TCP connection of its own on {@code loop}
     * (Diffie-Hellman, mode 4, AES chosen by the node), closed afterwards. The setup reply's node signature is not
     * checked: the load generator has no site file; every reply in the session is MAC-checked instead.
     */
    static CompletableFuture<LaneSession> setUp(EventLoop loop, NettyTransport transport, InetSocketAddress target,
            CryptoProviders crypto, long timeoutNanos) {
        KeyPair dh;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("DH");
            g.initialize(2048);
            dh = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            return CompletableFuture.failedFuture(e);
        }
        HandleKeyCodec keyCodec = new HandleKeyCodec(crypto);
        byte[] frame = MessageCodec.DEFAULT.encode(Requests.madeAt(Instant.now())
                .withSiteInfoSerial(MessageHeader.NO_SITE_SERIAL)
                .sessionSetup(null, TIMEOUT_SECONDS, keyCodec.encodePublicKey(dh.getPublic())));
        return TcpRequestChannel.connect(loop, transport, target).thenCompose(channel -> {
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            channel.send(new PendingRequest() {
                @Override
                protected boolean replied(ByteBuf f) {
                    reply.complete(ByteBufUtil.getBytes(f));
                    return true;
                }

                @Override
                protected void failed(Throwable cause) {
                    reply.completeExceptionally(cause);
                }

                @Override
                protected void timedOut() {
                    reply.completeExceptionally(new IOException("no session setup reply from " + target + " within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
                }
            }, Unpooled.wrappedBuffer(frame), timeoutNanos);
            return reply.whenComplete((r, e) -> channel.close());
        }).thenApply(bytes -> established(bytes, dh, keyCodec, crypto, target));
    }

    private static LaneSession established(byte[] bytes, KeyPair dh, HandleKeyCodec keyCodec, CryptoProviders crypto,
            InetSocketAddress target) {
        Message reply;
        try {
            reply = MessageCodec.DEFAULT.decode(bytes);
        } catch (CodecException e) {
            throw new IllegalStateException("session setup reply of " + target + " does not decode: " + e.getMessage(),
                    e);
        }
        if (!reply.responseCode().equals(ResponseCode.SUCCESS) || !(reply.body() instanceof SessionSetupResponse body)
                || body.keyExchangeMode() != SessionSetupRequest.MODE_DIFFIE_HELLMAN || body.data().length < 5) {
            throw new IllegalStateException(target + " refused the session setup: " + reply.responseCode()
                    + (reply.body() instanceof SessionSetupResponse ? "" : " " + reply.body()));
        }
        byte[] data = body.data();
        int cipher = ByteBuffer.wrap(data).getInt();
        if (cipher != SessionKeys.CIPHER_AES) {
            throw new IllegalStateException(target + " chose session cipher " + cipher + " (AES, 3, expected)");
        }
        try {
            PublicKey server = keyCodec.decodePublicKey(Arrays.copyOfRange(data, 4, data.length));
            byte[] key = new SessionKeys(crypto).agree(dh.getPrivate(), server);
            return new LaneSession(reply.sessionId(), new SessionMacKey(crypto.jdk(), key));
        } catch (CryptoException e) {
            throw new IllegalStateException("session key with " + target + " unusable: " + e.getMessage(), e);
        }
    }
}
