package io.idnode.client;

import io.idnode.client.internal.TcpRequestChannel;
import io.idnode.client.internal.UdpRequestChannel;
import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.auth.CredentialVerifier;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.session.SessionCipher;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.OpaqueBody;
import io.idnode.protocol.ResponseCode;
import io.idnode.transport.NettyTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What every operation of a client shares: its settings, event loops, sockets, sessions, site directory and
 * crypto, and the steps of one exchange with one server: encoding a request, sending it over TCP or UDP,
 * opening and checking the reply (session decryption and MAC, the server's signature, expiration). The
 * operations themselves ({@link Operation}) decide what to send where and what the replies mean. Thread-safe.
 */
final class Engine implements AutoCloseable {
    final ClientSettings settings;
    final EventLoopGroup group;
    final Connections connections;
    final HandleKeyCodec keyCodec;
    final SessionKeys sessionKeys;
    final SessionCipher cipher;
    final CredentialVerifier verifier;
    final ChallengeAnswers answers;
    final SecureRandom random = new SecureRandom();
    final Sessions sessions;
    final SiteDirectory directory;
    private final List<Long> udpWaits;
    private final long requestTimeoutNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The operations under way, failed at once when the client closes. */
    final java.util.Set<Operation<?>> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Engine(ClientSettings settings) {
        this.settings = settings;
        CryptoProviders crypto = ClientCrypto.providers();
        NettyTransport transport = NettyTransport.best();
        this.group = transport.newGroup(settings.eventLoopThreads());
        this.connections = new Connections(group, transport, settings.connectionsPerServer(),
                (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis()));
        this.keyCodec = new HandleKeyCodec(crypto);
        this.sessionKeys = new SessionKeys(crypto);
        this.cipher = new SessionCipher(crypto);
        this.verifier = new CredentialVerifier(crypto);
        this.answers = new ChallengeAnswers(crypto);
        this.udpWaits = settings.udpRetrySchedule().stream().map(Call::nanos).toList();
        this.requestTimeoutNanos = Call.nanos(settings.requestTimeout());
        this.sessions = new Sessions(this);
        this.directory = new SiteDirectory(this);
    }

    boolean closed() {
        return closed;
    }

    /** Counts an operation in; refuses it past {@link ClientSettings#maxInFlight()} or after close. */
    void admit() {
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        if (inFlight.incrementAndGet() > settings.maxInFlight()) {
            inFlight.decrementAndGet();
            throw new RejectedExecutionException("more than " + settings.maxInFlight()
                    + " operations in flight (maxInFlight): wait for some to complete");
        }
    }

    /** Counts an operation out. */
    void release() {
        inFlight.decrementAndGet();
    }

    /**
     * A request, and on demand the exact header and body bytes it is sent with (a session MAC and a challenge's
     * request digest cover them, §2.3, §2.4): encoded once, when first needed.
     */
    static final class Outgoing {
        private final Message message;
        private byte[] headerAndBody;

        Outgoing(Message message) {
            this.message = message;
        }

        Message message() {
            return message;
        }

        synchronized byte[] headerAndBody() {
            if (headerAndBody == null) {
                ByteBuf hb = Unpooled.buffer(256);
                try {
                    MessageCodec.DEFAULT.encodeHeaderAndBody(message, hb);
                    headerAndBody = ByteBufUtil.getBytes(hb);
                } finally {
                    hb.release();
                }
            }
            return headerAndBody;
        }
    }

    /**
     * Sends {@code out} over the pooled TCP connection to {@code ep} with the fewest requests in flight, waiting
     * {@link ClientSettings#requestTimeout()} for the reply; continued replies go to {@code pages}. Fails with
     * {@link Unreachable} when no connection can be opened (the request was then not sent).
     */
    CompletableFuture<Message> sendTcp(Endpoint ep, Outgoing out, Consumer<Message> pages) {
        return sendTcp(ep, Connections.ANY_SLOT, out, null, pages, requestTimeoutNanos);
    }

    /** {@link #sendTcp(Endpoint, Outgoing, Consumer)} waiting {@code timeoutNanos} for the reply. */
    CompletableFuture<Message> sendTcp(Endpoint ep, Outgoing out, Consumer<Message> pages, long timeoutNanos) {
        return sendTcp(ep, Connections.ANY_SLOT, out, null, pages, timeoutNanos);
    }

    /**
     * Sends {@code out} over the connection in {@code slot} of the pool of {@code ep} ({@link Connections#ANY_SLOT}:
     * the one with the fewest requests in flight), sealed by {@code seal} when in a session (then always in the
     * slot the session is bound to, which keeps its counters in order), waiting {@code timeoutNanos} for the
     * reply; continued replies go to {@code pages}. Fails with {@link Unreachable} when no connection can be
     * opened (the request was then not sent).
     */
    CompletableFuture<Message> sendTcp(Endpoint ep, int slot, Outgoing out, SessionSeal seal, Consumer<Message> pages,
            long timeoutNanos) {
        if (ep.tcp() == null) {
            return CompletableFuture.failedFuture(new Unreachable(ep + " offers no TCP interface", null));
        }
        if (timeoutNanos <= 0) {
            return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("no time left to send"));
        }
        CompletableFuture<TcpRequestChannel> channel = connections.tcp(ep.tcp(), slot);
        if (channel.isDone() && !channel.isCompletedExceptionally()) {
            return send(channel.join(), out, seal, pages, timeoutNanos); // the usual case: a connection is open
        }
        return channel.handle((TcpRequestChannel ch, Throwable err) -> {
            if (err != null) {
                throw new CompletionException(new Unreachable("node unreachable at " + ep + " ("
                        + describe(unwrap(err)) + ")", unwrap(err)));
            }
            return send(ch, out, seal, pages, timeoutNanos);
        }).thenCompose(f -> f);
    }

    /** Longest wait for the reply to one TCP request, in nanoseconds. */
    long requestTimeoutNanos() {
        return requestTimeoutNanos;
    }

    private static CompletableFuture<Message> send(TcpRequestChannel ch, Outgoing out, SessionSeal seal,
            Consumer<Message> pages, long timeoutNanos) {
        Call call = new Call(pages, seal);
        ch.send(call, frame(out, seal == null), timeoutNanos);
        return call.reply();
    }

    /**
     * Sends {@code out} over UDP to {@code ep} with the retry schedule (§1.3), no wait going past
     * {@code deadlineNanos}; fails with {@link Call.UdpNoReply} when the schedule is through, with a
     * {@link java.util.concurrent.TimeoutException} when the deadline came first.
     */
    CompletableFuture<Message> sendUdp(Endpoint ep, Outgoing out, long deadlineNanos) {
        CompletableFuture<UdpRequestChannel> channel = connections.udp(ep.udp());
        if (channel.isDone() && !channel.isCompletedExceptionally()) {
            return sendUdp(channel.join(), out, deadlineNanos); // the usual case: the socket is open
        }
        return channel.thenCompose(ch -> sendUdp(ch, out, deadlineNanos));
    }

    private CompletableFuture<Message> sendUdp(UdpRequestChannel ch, Outgoing out, long deadlineNanos) {
        ByteBuf frame = frame(out, true);
        byte[] bytes = ByteBufUtil.getBytes(frame);
        frame.release();
        Call call = new Call(null, null);
        if (ch.loop().inEventLoop()) {
            call.sendUdp(ch, bytes, udpWaits, deadlineNanos);
        } else {
            ch.loop().execute(() -> call.sendUdp(ch, bytes, udpWaits, deadlineNanos));
        }
        return call.reply();
    }

    /**
     * The request frame: envelope, header and body, and an empty credential section, or, for a session seal to
     * complete, no credential section yet.
     */
    private static ByteBuf frame(Outgoing out, boolean closeCredential) {
        if (closeCredential) {
            ByteBuf frame = ByteBufAllocator.DEFAULT.buffer(256);
            MessageCodec.DEFAULT.encode(out.message(), frame);
            return frame;
        }
        byte[] hb = out.headerAndBody();
        ByteBuf frame = ByteBufAllocator.DEFAULT.buffer(EnvelopeLayout.LENGTH + hb.length + 64);
        MessageCodec.writeEnvelope(out.message().envelope(), 0, frame);
        frame.writeBytes(hb);
        frame.setInt(frame.readerIndex() + EnvelopeLayout.MESSAGE_LENGTH, frame.readableBytes() - EnvelopeLayout.LENGTH);
        return frame;
    }

    /**
     * A reply in {@code session}, decrypted when it came encrypted, and its {@code HS_MAC} checked (§2.3, §6.6);
     * replies refusing the session itself (500, 502) come unsealed and are taken as they are. An unsealed reply
     * without any credential saying the server failed (2, 3: a node stopping, or overloaded) is no answer to the
     * request: it fails with {@link Unanswered}, a failure of that server, like a lost reply.
     */
    Message openInSession(Message reply, ClientSession session, Endpoint ep) {
        Message m = reply;
        if (reply.header() == null) {
            byte[] plain;
            try {
                plain = cipher.decrypt(session.key(), ((OpaqueBody) reply.body()).bytes().toByteArray());
                Envelope e = reply.envelope();
                Envelope clear = new Envelope(e.majorVersion(), e.minorVersion(), e.flags() & ~Envelope.ENCRYPTED,
                        e.suggestedMajor(), e.suggestedMinor(), e.sessionId(), e.requestId(), e.messageId(),
                        plain.length);
                m = MessageCodec.DEFAULT.decodeMessage(clear, plain, 0, plain.length);
            } catch (CryptoException | CodecException e) {
                throw new InvalidReplyException("an encrypted reply from " + ep + " does not open with the session key: "
                        + e.getMessage(), e);
            }
        }
        int rc = m.responseCode().code();
        if (rc == 500 || rc == 502) {
            return m;
        }
        Credential c = m.credential();
        boolean valid;
        try {
            valid = c != null && m.sessionId() == session.id() && verifier.verifyMac(c, session.key(), m.envelope(),
                    m.headerAndBody().toByteArray());
        } catch (CryptoException e) {
            valid = false;
        }
        if (!valid && c == null && (rc == ResponseCode.ERROR.code() || rc == ResponseCode.SERVER_TOO_BUSY.code())) {
            throw new CompletionException(new Unanswered(ep + " answered a request in session " + session.id()
                    + " with an unsealed failure (" + m.responseCode() + ")"));
        }
        if (!valid) {
            throw new InvalidReplyException("a reply in session " + session.id() + " from " + ep
                    + " carries no valid session MAC: it was not sent by the node that holds the session", null);
        }
        return m;
    }

    /** Checks the server's signature of a certified reply (§2.3) against the key its site publishes. */
    void checkSigned(Message reply, Endpoint ep) {
        if (ep.publicKey() == null) {
            throw new InvalidReplyException("cannot verify the signed reply of " + ep + ": its site publishes no usable"
                    + " public key (give the client the node's siteinfo.bin or siteinfo.json)", null);
        }
        Credential c = reply.credential();
        boolean valid;
        try {
            valid = c != null && reply.headerAndBody() != null && verifier.verifySignature(c, ep.publicKey(),
                    reply.envelope(), reply.headerAndBody().toByteArray());
        } catch (CryptoException e) {
            valid = false;
        }
        if (!valid) {
            throw new InvalidReplyException("the reply of " + ep + " is not signed by the key its site publishes"
                    + (c == null ? " (it is unsigned)" : ""), null);
        }
    }

    /** Refuses a reply that has expired (§2.1: the stock client discards those too). */
    void checkFresh(Message reply, Endpoint ep) {
        if (reply.header() != null && reply.header().expiration() < settings.clock().instant().getEpochSecond()) {
            throw new InvalidReplyException("the reply of " + ep + " expired at " + reply.header().expiration()
                    + " (Unix seconds): is the client's or the node's clock wrong?", null);
        }
    }

    /** Runs {@code task} on an event loop after {@code nanos}. */
    io.netty.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long nanos) {
        return group.next().schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        closed = true;
        for (Operation<?> op : live.toArray(new Operation<?>[0])) {
            op.closing();
        }
        connections.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The cause inside {@link CompletionException} wrappers. */
    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A short text of a transport failure: "connection refused", "connection closed", "no reply in 10 s". */
    static String describe(Throwable t) {
        if (t instanceof java.net.ConnectException) {
            return t.getMessage() != null && t.getMessage().toLowerCase().contains("refused") ? "connection refused"
                    : "cannot connect: " + t.getMessage();
        }
        if (t instanceof java.nio.channels.ClosedChannelException) {
            return "connection closed";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /**
     * A server sent no answer it vouches for: an unsealed failure in a session. The request may have been
     * carried out; the server counts as failed, as for a lost reply.
     */
    static final class Unanswered extends IOException {
        private static final long serialVersionUID = 1L;

        Unanswered(String message) {
            super(message);
        }
    }

    /** No connection to a server could be opened: the request was not sent. */
    static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
