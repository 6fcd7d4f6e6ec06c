package io.idnode.bench;

import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.handler.ReplyEncoder;
import io.idnode.handler.RequestHandler;
import io.idnode.loadgen.KeyChooser;
import io.idnode.loadgen.Zipf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole resolution hot path without sockets (handle-protocol.md §4): request bytes in, decode, lookup
 * (a hit in the hot cache over RocksDB), value filter, reply built and encoded onto a pooled buffer, bytes
 * out. Keys follow a precomputed Zipf sequence.
 */
@State(Scope.Benchmark)
public class ResolutionBenchmark extends AbstractBenchmark {
    @Param({"10000"})
    int records;

    BenchNode node;
    byte[][] requests;
    int[] sequence;
    MessageCodec codec;
    RequestHandler handler;
    ReplyEncoder encoder;
    ByteBufAllocator alloc;

    @Setup(Level.Trial)
    public void setUp() {
        node = BenchNode.create(records, 64L << 20, records);
        requests = node.requests(0);
        sequence = KeyChooser.zipf(records, Zipf.DEFAULT_EXPONENT, 42).precompute(KeySequence.LENGTH, 7);
        codec = MessageCodec.DEFAULT;
        handler = node.handler();
        encoder = node.encoder();
        alloc = PooledByteBufAllocator.DEFAULT;
        BenchChecks.expectResolved(codec, encoder, handler, requests[0], alloc);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    @Benchmark
    public int resolve(KeySequence cursor) throws CodecException {
        byte[] request = requests[sequence[cursor.next()]];
        ByteBuf reply = encoder.encode(handler.handle(codec.decode(request)), alloc);
        try {
            return reply.readableBytes();
        } finally {
            reply.release();
        }
    }
}
