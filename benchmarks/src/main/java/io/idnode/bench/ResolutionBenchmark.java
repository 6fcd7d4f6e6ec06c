package io.idnode.bench;

import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.handler.RequestContext;
import io.idnode.loadgen.KeyChooser;
import io.idnode.loadgen.Zipf;
import io.idnode.node.RequestChain;
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
 * The whole resolution hot path without sockets (handle-protocol.md §4): request bytes in, decode, the
 * request chain (session link, validation, lookup as a hit in the hot cache over RocksDB, value filter, reply
 * built), the reply encoded once onto a pooled buffer at the edge, bytes out. Keys follow a precomputed Zipf
 * sequence.
 */
@State(Scope.Benchmark)
public class ResolutionBenchmark extends AbstractBenchmark {
    @Param({"10000"})
    int records;

    BenchNode node;
    byte[][] requests;
    int[] sequence;
    MessageCodec codec;
    RequestChain chain;
    EncodedReplies replies;

    @Setup(Level.Trial)
    public void setUp() {
        node = BenchNode.create(records, 64L << 20, records);
        requests = node.requests(0);
        sequence = KeyChooser.zipf(records, Zipf.DEFAULT_EXPONENT, 42).precompute(KeySequence.LENGTH, 7);
        codec = MessageCodec.DEFAULT;
        chain = node.chain();
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        replies = new EncodedReplies(chain.encoder(), alloc);
        BenchChecks.expectResolved(codec, chain, requests[0], alloc);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    @Benchmark
    public int resolve(KeySequence cursor) throws CodecException {
        byte[] request = requests[sequence[cursor.next()]];
        chain.handle(codec.decode(request), RequestContext.NONE, replies);
        return replies.lastLength();
    }
}
