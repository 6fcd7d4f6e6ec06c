package io.idnode.bench;

import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.handler.ReplyEncoder;
import io.idnode.handler.ResolutionFilter;
import io.idnode.loadgen.KeyChooser;
import io.idnode.loadgen.Zipf;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The codec stages of a resolution on their own (handle-protocol.md §1–§4): decoding a request frame, and
 * selecting values then encoding the reply (all values, or those of one type) onto a pooled buffer.
 */
@State(Scope.Benchmark)
public class CodecBenchmark extends AbstractBenchmark {
    private static final int RECORDS = 10_000;
    private static final List<String> URL_ONLY = List.of(ValueTypes.URL);
    private static final int[] NO_INDEXES = new int[0];

    BenchNode node;
    byte[][] requests;
    HandleRecord[] records;
    int[] sequence;
    ReplyEncoder encoder;
    MessageHeader header;
    Envelope envelope;
    ByteBufAllocator alloc;

    @Setup(Level.Trial)
    public void setUp() {
        node = BenchNode.create(RECORDS, 64L << 20, 0);
        requests = node.requests(0);
        records = new HandleRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            records[i] = node.store().get(node.keys().key(i));
        }
        sequence = KeyChooser.zipf(RECORDS, Zipf.DEFAULT_EXPONENT, 42).precompute(KeySequence.LENGTH, 7);
        encoder = node.encoder();
        header = new MessageHeader(OpCode.RESOLUTION, ResponseCode.SUCCESS, OpFlags.AUTHORITATIVE, 1, 0,
                System.currentTimeMillis() / 1000 + MessageHeader.LIFETIME_SECONDS);
        envelope = Envelope.request(0, 1).replyEnvelope(0);
        alloc = PooledByteBufAllocator.DEFAULT;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    @Benchmark
    public Message decodeRequest(KeySequence keys) throws CodecException {
        return MessageCodec.DEFAULT.decode(requests[sequence[keys.next()]]);
    }

    @Benchmark
    public int filterAllAndEncode(KeySequence keys) {
        return encodeReply(records[sequence[keys.next()]], NO_INDEXES, List.of());
    }

    @Benchmark
    public int filterTypeAndEncode(KeySequence keys) {
        return encodeReply(records[sequence[keys.next()]], NO_INDEXES, URL_ONLY);
    }

    private int encodeReply(HandleRecord record, int[] indexes, List<String> types) {
        List<HandleValue> values = ResolutionFilter.publicOnly(ResolutionFilter.select(record.values(), indexes, types));
        ByteBuf out = encoder.encode(Message.of(envelope, header, new ResolutionResponse(record.handle(), values)),
                alloc);
        try {
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
