package io.idnode.server.transport;

import com.github.benmanes.caffeine.cache.Ticker;
import io.idnode.budget.MemoryBudget;
import io.idnode.budget.MessageFootprint;
import io.idnode.codec.CodecException;
import io.idnode.handler.Replies;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.SessionSeal;
import io.idnode.handler.session.Session;
import io.idnode.model.ValueReference;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.server.ratelimit.SourceLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Where the transports hand decoded requests: to the request chain, on the calling event loop for requests
 * that answer at once (resolution), or on the blocking executor for those the chain says may block (synced
 * writes, signature checks, key agreement: {@link RequestChain#mayBlock(Message)}), so that the event loops
 * keep answering resolutions. Work for the blocking executor is admitted only while it keeps latency
 * bounded, and otherwise answered 3, server too busy (handle-protocol.md §3.2): while the event loops have
 * fewer than {@link #MAX_LOOP_TASKS} tasks pending (replies written from the executor queue there), while its
 * queue has room (a count, set by the executor) and the queued requests' {@link MessageFootprint}s fit the
 * queue's {@link MemoryBudget}; and a request that waited in the queue longer than the maximum wait is
 * answered 3 when its turn comes instead of being run. Each refusal is counted by reason; the requests answered
 * are counted in the {@link RequestMeters}, and timed (on the event loops, a sample of them). The replies go out under the node's
 * {@link SourceLimits}. Thread-safe.
 */
public final class RequestDispatcher {
    /** Tasks pending on the event loops (all together) beyond which no more blocking work is admitted. */
    public static final int MAX_LOOP_TASKS = 4096;

    private final RequestChain chain;
    private final Executor blocking;
    private final MemoryBudget queueMemory;
    private final Ticker ticker;
    private final long maxWaitNanos;
    private final LongSupplier loopTasks;
    private final SourceLimits limits;
    private final RequestMeters meters;
    private final LongAdder refusedQueueLength = new LongAdder();
    private final LongAdder refusedQueueWait = new LongAdder();
    private final LongAdder refusedLoopTasks = new LongAdder();

    /**
     * Dispatches to {@code chain}, running requests that may block on {@code blocking} (whose queue bound is the
     * count), holding the queued ones within {@code queueMemory} for at most {@code maxWait} by {@code ticker};
     * {@code loopTasks} tells how many tasks the event loops have pending; no limits per source.
     */
    public RequestDispatcher(RequestChain chain, Executor blocking, MemoryBudget queueMemory, Ticker ticker,
            Duration maxWait, LongSupplier loopTasks) {
        this(chain, blocking, queueMemory, ticker, maxWait, loopTasks, SourceLimits.NONE);
    }

    /** As above, with the replies going out within {@code limits} per source. */
    public RequestDispatcher(RequestChain chain, Executor blocking, MemoryBudget queueMemory, Ticker ticker,
            Duration maxWait, LongSupplier loopTasks, SourceLimits limits) {
        this(chain, blocking, queueMemory, ticker, maxWait, loopTasks, limits, RequestMeters.NONE);
    }

    /** As above, counting the requests answered and timing them in {@code meters}. */
    public RequestDispatcher(RequestChain chain, Executor blocking, MemoryBudget queueMemory, Ticker ticker,
            Duration maxWait, LongSupplier loopTasks, SourceLimits limits, RequestMeters meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.queueMemory = Objects.requireNonNull(queueMemory, "queueMemory");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.maxWaitNanos = maxWait.toNanos();
        this.loopTasks = Objects.requireNonNull(loopTasks, "loopTasks");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The limits the transports apply to each source. */
    public SourceLimits limits() {
        return limits;
    }

    /**
     * Answers {@code request}, handing each reply to {@code out}, possibly on another thread. True if it was
     * handed to the blocking executor: its last reply is then followed by {@link ReplyWriter#answered()}.
     */
    boolean dispatch(Message request, ReplyWriter out) {
        return dispatch(request, out, null);
    }

    /**
     * As {@link #dispatch(Message, ReplyWriter)} for a request that came on a connection known as
     * {@code connection} (a TCP connection and its login, cn-extensions.md §3), or on none ({@code null}).
     */
    boolean dispatch(Message request, ReplyWriter out, RequestContext connection) {
        if (!chain.mayBlock(request)) {
            long start = meters.sampleStart();
            // The writer tells where a request without a connection came from (a recursion budget is per source).
            chain.handle(request, connection != null ? connection : out, out);
            meters.timeSince(opOf(request), out.transport(), start);
            return false;
        }
        if (loopTasks.getAsLong() >= MAX_LOOP_TASKS) {
            refusedLoopTasks.increment();
            out.reply(chain.replies().busy(request), null);
            return false;
        }
        long bytes = MessageFootprint.of(request);
        if (!queueMemory.tryReserve(bytes)) {
            out.reply(chain.replies().busy(request), null);
            return false;
        }
        try {
            blocking.execute(new Queued(request, out, connection, bytes, ticker.read(), System.nanoTime()));
            return true;
        } catch (RejectedExecutionException full) {
            queueMemory.release(bytes);
            refusedQueueLength.increment();
            out.reply(chain.replies().busy(request), null);
            return false;
        }
    }

    /** Whether session {@code id} is live and its identity has proved itself (§6.5). */
    boolean authenticatedSession(int id) {
        Session s = chain.sessions().live(id);
        return s != null && s.authenticatedAs() != null;
    }

    /** The operation of {@code request}, or null while it is encrypted (no header yet). */
    private static OpCode opOf(Message request) {
        return request.header() == null ? null : request.opCode();
    }

    /**
     * The edge of one channel (TCP) or one request (UDP, a {@code datagram}): encodes the replies with the chain's
     * encoder onto {@code alloc}'s buffers and hands them to {@code transport}, addressed to {@code peer}.
     */
    ReplyWriter writer(ByteBufAllocator alloc, ReplyWriter.Transport transport, SocketAddress peer,
            boolean datagram) {
        return new ReplyWriter(chain.encoder(), chain.replies(), alloc, transport, peer, limits, datagram, meters);
    }

    /**
     * The short reply that sends a UDP client to TCP (2, empty message, unsigned) in place of an answer to
     * {@code request}; the caller releases it.
     */
    ByteBuf tcpRedirect(Message request, ByteBufAllocator alloc) {
        Replies replies = chain.replies();
        return chain.encoder().encode(replies.insteadOf(replies.error(request, ResponseCode.ERROR, ""),
                ResponseCode.ERROR, false), alloc);
    }

    /** The encoded refusal (4, protocol error; 3, too busy) of bytes that could not be taken; the caller releases it. */
    public ByteBuf protocolError(Envelope envelope, CodecException cause, ByteBufAllocator alloc) {
        return chain.encoder().encode(chain.replies().protocolError(envelope, cause), alloc);
    }

    /** The budget of the queued requests' memory. */
    public MemoryBudget queueMemory() {
        return queueMemory;
    }

    /** Requests answered 3 because the executor's queue was full. */
    public long refusedQueueLength() {
        return refusedQueueLength.sum();
    }

    /** Requests answered 3 because they waited in the queue longer than the maximum wait. */
    public long refusedQueueWait() {
        return refusedQueueWait.sum();
    }

    /** Requests answered 3 because the event loops had too many tasks pending. */
    public long refusedLoopTasks() {
        return refusedLoopTasks.sum();
    }

    /** A request waiting for the blocking executor; the sink of its replies, which tells when the last went. */
    private final class Queued implements Runnable, ReplySink {
        private final Message request;
        private final ReplyWriter out;
        private final RequestContext connection;
        private final long bytes;
        private final long queuedNanos;
        private final long startNanos;

        Queued(Message request, ReplyWriter out, RequestContext connection, long bytes, long queuedNanos,
                long startNanos) {
            this.request = request;
            this.out = out;
            this.connection = connection;
            this.bytes = bytes;
            this.queuedNanos = queuedNanos;
            this.startNanos = startNanos;
        }

        @Override
        public void run() {
            queueMemory.release(bytes);
            if (ticker.read() - queuedNanos > maxWaitNanos) {
                // Its client has likely given up or retried; answering it now only adds to the backlog.
                refusedQueueWait.increment();
                reply(chain.replies().busy(request), null);
                return;
            }
            chain.handle(request, connection != null ? connection : new FromSource(out.source()), this);
        }

        @Override
        public void reply(Message reply, SessionSeal seal) {
            out.reply(reply, seal);
            if (!reply.hasFlag(OpFlags.CONTINUOUS)) {
                timed();
                out.answered();
            }
        }

        @Override
        public void fault(Message failed, Throwable cause) {
            out.fault(failed, cause);
            timed();
            out.answered();
        }

        private void timed() {
            meters.time(opOf(request), out.transport(), System.nanoTime() - startNanos);
        }
    }

    /** What is known of a request off the event loop besides its bytes: where it came from. */
    private record FromSource(InetAddress source) implements RequestContext {
        @Override
        public ValueReference authenticatedAs() {
            return null;
        }

        @Override
        public void authenticated(ValueReference identity) {
            // nothing to bind to: the connection or session binds it
        }
    }
}
