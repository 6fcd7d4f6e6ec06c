package io.idnode.server.transport;

import io.idnode.budget.MemoryBudget;
import io.idnode.budget.SourceQuota;
import io.idnode.codec.Limits;
import io.idnode.codec.MultiPacketAssembler;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.idnode.node.RequestChain;
import io.idnode.testing.ManualClock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The transports' handlers on embedded channels, with the node's limits at test sizes and a clock moved by
 * hand: what the server tests of this package build their channels from.
 */
final class Transports {
    static final Duration IDLE = Duration.ofSeconds(30);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration QUEUE_WAIT = Duration.ofSeconds(2);

    final ManualClock clock = new ManualClock(1_000_000);
    final MemoryBudget queueMemory;
    final MemoryBudget frameMemory = new MemoryBudget("tcp-frame-memory", 1 << 20);
    final TcpLimits tcpLimits = new TcpLimits(new SourceQuota(100, 10), IDLE, REQUEST_TIMEOUT, clock);
    final RequestDispatcher dispatcher;
    long loopTasks;

    /** Handlers answering through {@code chain}, running blocking work on {@code blocking}. */
    Transports(RequestChain chain, Executor blocking) {
        this(chain, blocking, 16 << 20);
    }

    /** As above, with {@code queueBytes} for the requests queued for {@code blocking}. */
    Transports(RequestChain chain, Executor blocking, long queueBytes) {
        queueMemory = new MemoryBudget("queue-memory", queueBytes);
        dispatcher = new RequestDispatcher(chain, blocking, queueMemory, clock, QUEUE_WAIT, () -> loopTasks);
    }

    /** A TCP connection: the frame decoder and the connection's handler. */
    EmbeddedChannel tcp() {
        HandleFrameDecoder decoder = new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH, frameMemory);
        return new EmbeddedChannel(decoder, new TcpServerHandler(dispatcher, decoder, tcpLimits));
    }

    /** A UDP socket with an assembler of its own. */
    EmbeddedChannel udp() {
        return new EmbeddedChannel(new UdpServerHandler(dispatcher, new MultiPacketAssembler()));
    }
}
