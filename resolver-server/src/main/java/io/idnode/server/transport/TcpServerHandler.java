package io.idnode.server.transport;

import io.idnode.codec.CodecException;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.idnode.codec.netty.HandleFrameException;
import io.idnode.handler.session.ConnectionCipher;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests on one TCP connection (handle-protocol.md §1.4): each frame (envelope + message, from the frame
 * decoder) is decoded once and handed to the {@link RequestDispatcher} (the request chain; requests that may
 * block off the event loop); the replies come back through this connection's {@link ReplyWriter}, bound
 * once, and are encoded once. The connection stays open for further requests (clients that pool
 * connections, cn-extensions.md §1) until the client closes it or it idles out. Its requests carry the
 * connection's {@link TcpConnection} context, so that a LOGIN (2001) on it authenticates the connection, and
 * only it (cn-extensions.md §3.3), and a SESSION_SETUP in mode 3 encrypts it: from the setup reply on, frames
 * are decrypted as they are read and replies encrypted as they are sent (§4). A frame that cannot be
 * decoded is answered with a protocol error and the connection is closed, since the stream can no longer be
 * trusted.
 *
 * <p>Held to its {@link TcpLimits}: a connection beyond the quotas is closed as it opens; once
 * {@link TcpLimits#MAX_IN_FLIGHT} of its requests wait for the blocking executor
 * ({@link TcpLimits#sessionInFlight()} once a reply sealed in an authenticated session has gone to it: its
 * sender holds that session's key), or its replies fill the channel's write buffer (it is not writable), the
 * connection is not read any further (auto-read off, the
 * decoder holds what it has) until a request is answered or the replies drain, so nothing queues up for it;
 * after {@link TcpLimits#MAX_REQUESTS_PER_TURN} requests in one read it waits for the loop's next turn;
 * and it is closed when it makes no progress, counted in whole requests received, handed-off requests
 * answered and write buffers drained: after the idle timeout between requests, after the request timeout
 * while a request is half received or replies wait to be written. On the read path this costs two counter
 * increments and a writability read per request; the check runs on a timer, every few seconds per
 * connection.
 */
public final class TcpServerHandler extends SimpleChannelInboundHandler<byte[]> implements ReplyWriter.Transport {
    private static final Logger LOG = LoggerFactory.getLogger(TcpServerHandler.class);

    private final RequestDispatcher dispatcher;
    private final HandleFrameDecoder decoder;
    private final TcpLimits limits;
    private final MessageCodec codec = MessageCodec.DEFAULT;
    private final BatchedFlush flush = new BatchedFlush();
    // Made once per connection, so that handing back an answered request or resuming allocates nothing.
    private final Runnable answeredOnLoop = this::answeredOnLoop;
    private final Runnable resumeOnLoop = this::resume;
    private final Runnable checkProgress = this::checkProgress;
    // Bound to this connection once, so that answering a request allocates no callbacks.
    private ChannelHandlerContext ctx;
    private ReplyWriter writer;
    private TcpConnection connection;
    // Event-loop state of the connection.
    private InetAddress countedSource;
    private ScheduledFuture<?> check;
    private int inFlight;
    // MAX_IN_FLIGHT, raised once for a connection that carries an authenticated session; written off the loop.
    private volatile int maxInFlight = TcpLimits.MAX_IN_FLIGHT;
    private int answeredThisTurn;
    private boolean paused;
    private long progress;
    private long progressChecked;
    private long lastProgressNanos;

    /** A connection's handler, reading frames from {@code decoder} and handing its requests to {@code dispatcher}. */
    public TcpServerHandler(RequestDispatcher dispatcher, HandleFrameDecoder decoder, TcpLimits limits) {
        this.dispatcher = dispatcher;
        this.decoder = decoder;
        this.limits = limits;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.writer = dispatcher.writer(ctx.alloc(), this, ctx.channel().remoteAddress(), false);
        SocketAddress remote = ctx.channel().remoteAddress();
        this.connection = new TcpConnection(remote instanceof InetSocketAddress inet ? inet.getAddress() : null);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        if (remote instanceof InetSocketAddress inet) {
            if (!limits.connections().tryAcquire(inet.getAddress())) {
                ctx.close(); // beyond the quota in all or of its address: refused before anything is read
                return;
            }
            countedSource = inet.getAddress();
        }
        lastProgressNanos = limits.now();
        check = ctx.executor().schedule(checkProgress, limits.checkIntervalNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        if (countedSource != null) {
            limits.connections().release(countedSource);
            countedSource = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, byte[] frame) {
        progress++;
        flush.startRead();
        try {
            read(ctx, frame);
        } finally {
            flush.endRead();
        }
        if (inFlight >= maxInFlight || !ctx.channel().isWritable()) {
            pause();
        } else if (++answeredThisTurn >= TcpLimits.MAX_REQUESTS_PER_TURN) {
            pause();
            ctx.executor().execute(resumeOnLoop); // after what else the loop has to do this turn
        }
    }

    private void read(ChannelHandlerContext ctx, byte[] frame) {
        Envelope envelope;
        try {
            envelope = codec.decodeEnvelope(frame, 0);
        } catch (CodecException e) {
            ctx.close();
            return;
        }
        ConnectionCipher cipher = connection.encryption().incoming();
        if (cipher != null) {
            readEncrypted(ctx, envelope, frame, cipher);
            return;
        }
        Message request;
        try {
            // The frame decoder made the frame exactly envelope + messageLength bytes.
            request = codec.decodeMessage(envelope, frame, EnvelopeLayout.LENGTH,
                    frame.length - EnvelopeLayout.LENGTH);
        } catch (CodecException e) {
            ctx.writeAndFlush(dispatcher.protocolError(envelope, e, ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (dispatcher.dispatch(request, writer, connection)) {
            inFlight++;
        }
    }

    /**
     * A frame on a connection encrypted since its SESSION_SETUP in mode 3 (cn-extensions.md §4): decrypted here
     * and dispatched as any request, so the chain sees the plaintext. A frame that is not encrypted or does not
     * decrypt with the connection's key is refused in the clear (502) and changes nothing; the framing is intact,
     * so the connection goes on.
     */
    private void readEncrypted(ChannelHandlerContext ctx, Envelope envelope, byte[] frame, ConnectionCipher cipher) {
        Message request;
        try {
            if (!envelope.hasFlag(Envelope.ENCRYPTED)) {
                throw new CodecException(ResponseCode.INVALID_SESSION_KEY, "this connection is encrypted since its "
                        + "session setup: every message on it must be encrypted with the session key (EC)");
            }
            request = cipher.decrypt(envelope, frame, EnvelopeLayout.LENGTH, frame.length - EnvelopeLayout.LENGTH);
        } catch (CodecException e) {
            ctx.writeAndFlush(dispatcher.protocolError(envelope, e, ctx.alloc()), ctx.voidPromise());
            return;
        }
        if (dispatcher.dispatch(request, writer, connection)) {
            inFlight++;
        }
    }

    @Override
    public void send(ByteBuf reply, SocketAddress peer) {
        ConnectionCipher cipher = connection.encryption().outgoing();
        if (cipher != null) {
            reply = cipher.encrypt(reply, ctx.alloc()); // every reply after the setup's (cn-extensions.md §4)
        }
        ctx.write(reply, ctx.voidPromise());
        flush.written(ctx);
    }

    @Override
    public void unanswerable() {
        ctx.close(); // the client must not wait for a reply that will not come
    }

    @Override
    public void answered() {
        // From the blocking executor, after the reply's write was queued on the loop: counted out after it.
        try {
            ctx.executor().execute(answeredOnLoop);
        } catch (RejectedExecutionException stopped) {
            // The node is stopping and its loops are gone: the connection is closed, nothing left to count.
        }
    }

    @Override
    public void sealedIn(int sessionId) {
        // Before answered(), on the same thread: the loop sees the new bound when it counts the request out.
        if (maxInFlight != limits.sessionInFlight() && dispatcher.authenticatedSession(sessionId)) {
            maxInFlight = limits.sessionInFlight();
        }
    }

    private void answeredOnLoop() {
        inFlight--;
        progress++;
        if (paused) {
            resume();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            progress++;
            if (paused) {
                // Not from within the flush that drained the buffer: the decoder may be mid-read.
                ctx.executor().execute(resumeOnLoop);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Stops reading: nothing more is taken from the socket, and the decoder keeps what it has. */
    private void pause() {
        if (!paused) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
            decoder.hold();
        }
    }

    /** Reads on once a request is answered and the replies drained: first the frames held, then the socket. */
    private void resume() {
        if (!paused || inFlight >= maxInFlight || !ctx.channel().isWritable()
                || !ctx.channel().isActive()) {
            return;
        }
        paused = false;
        decoder.resume(); // may hand over frames that pause again
        if (!paused) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void checkProgress() {
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = limits.now();
        if (progress != progressChecked) {
            progressChecked = progress;
            lastProgressNanos = now;
        } else if (inFlight == 0) {
            // With requests in flight the node, not the client, is the one taking its time.
            boolean midRequest = decoder.bufferedBytes() > 0 || !ctx.channel().isWritable();
            if (now - lastProgressNanos >= (midRequest ? limits.requestTimeoutNanos() : limits.idleNanos())) {
                if (midRequest) {
                    limits.stalled();
                }
                ctx.close();
                return;
            }
        }
        check = ctx.executor().schedule(checkProgress, limits.checkIntervalNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        answeredThisTurn = 0;
        flush.readComplete(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HandleFrameException bad && ctx.channel().isActive()) {
            // The envelope named a request (or the frame could not be held): answer it before closing.
            Envelope envelope = Envelope.request(bad.sessionId(), bad.requestId());
            ctx.writeAndFlush(dispatcher.protocolError(envelope, bad.codecException(), ctx.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!(cause instanceof IOException) && !(cause instanceof DecoderException)) {
            LOG.warn("TCP connection from {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
