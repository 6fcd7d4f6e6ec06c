package io.idnode.bench;

import io.idnode.codec.MessageCodec;
import io.idnode.handler.RequestHandler;
import io.idnode.loadgen.KeyChooser;
import io.idnode.loadgen.Zipf;
import io.idnode.model.HandleRecord;
import io.idnode.protocol.Message;
import io.idnode.store.RecordStore;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Lookup stages over a warm hot cache in front of RocksDB: a cache hit alone, and the whole request handler
 * (scope check, lookup, filter, reply built; no codec) on decoded requests. Zipf keys, precomputed.
 */
@State(Scope.Benchmark)
public class LookupBenchmark extends AbstractBenchmark {
    private static final int RECORDS = 10_000;

    BenchNode node;
    RecordStore cache;
    RequestHandler handler;
    String[] handles;
    Message[] decoded;
    int[] sequence;

    @Setup(Level.Trial)
    public void setUp() {
        node = BenchNode.create(RECORDS, 64L << 20, RECORDS);
        cache = node.store();
        handler = node.handler();
        handles = new String[RECORDS];
        decoded = new Message[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            handles[i] = node.keys().key(i);
            decoded[i] = BenchChecks.decode(MessageCodec.DEFAULT, node.request(i, 0));
        }
        sequence = KeyChooser.zipf(RECORDS, Zipf.DEFAULT_EXPONENT, 42).precompute(KeySequence.LENGTH, 7);
        BenchChecks.expectResolved(MessageCodec.DEFAULT, node.encoder(), handler, node.request(0, 0),
                PooledByteBufAllocator.DEFAULT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    @Benchmark
    public HandleRecord cacheHit(KeySequence keys) {
        return cache.get(handles[sequence[keys.next()]]);
    }

    @Benchmark
    public Message handler(KeySequence keys) {
        return handler.handle(decoded[sequence[keys.next()]]);
    }
}
