package io.idnode.bench;

import io.idnode.codec.MessageCodec;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.SessionSeal;
import io.idnode.loadgen.KeyChooser;
import io.idnode.loadgen.Zipf;
import io.idnode.model.HandleRecord;
import io.idnode.node.RequestChain;
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
 * Lookup stages over a warm hot cache in front of RocksDB: a cache hit alone, and the whole request chain
 * (session link, validation, scope check, lookup, filter, reply built; no codec) on decoded requests. Zipf
 * keys, precomputed.
 */
@State(Scope.Benchmark)
public class LookupBenchmark extends AbstractBenchmark {
    private static final int RECORDS = 10_000;

    BenchNode node;
    RecordStore cache;
    RequestChain chain;
    final LastReply last = new LastReply();
    String[] handles;
    Message[] decoded;
    int[] sequence;

    @Setup(Level.Trial)
    public void setUp() {
        node = BenchNode.create(RECORDS, 64L << 20, RECORDS);
        cache = node.store();
        chain = node.chain();
        handles = new String[RECORDS];
        decoded = new Message[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            handles[i] = node.keys().key(i);
            decoded[i] = BenchChecks.decode(MessageCodec.DEFAULT, node.request(i, 0));
        }
        sequence = KeyChooser.zipf(RECORDS, Zipf.DEFAULT_EXPONENT, 42).precompute(KeySequence.LENGTH, 7);
        BenchChecks.expectResolved(MessageCodec.DEFAULT, chain, node.request(0, 0), PooledByteBufAllocator.DEFAULT);
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
        chain.handle(decoded[sequence[keys.next()]], RequestContext.NONE, last);
        return last.reply;
    }

    /** Keeps the last reply message, not encoded: this benchmark stops before the codec. */
    static final class LastReply implements ReplySink {
        Message reply;

        @Override
        public void reply(Message m, SessionSeal seal) {
            reply = m;
        }

        @Override
        public void fault(Message request, Throwable cause) {
            throw new IllegalStateException("the chain failed on a benchmark request", cause);
        }
    }
}
