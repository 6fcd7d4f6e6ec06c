package io.idnode.bench;

import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.UdpFragmenter;
import io.idnode.loadgen.Requests;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Splitting a reply frame into 492-byte UDP chunks (handle-protocol.md §1.3) onto pooled buffers, for a
 * frame that fits one datagram, one of a few datagrams and one of many.
 */
@State(Scope.Benchmark)
public class UdpSplitBenchmark extends AbstractBenchmark {
    @Param({"350", "1500", "16000"})
    int frameBytes;

    ByteBuf frame;
    ByteBufAllocator alloc;

    @Setup(Level.Trial)
    public void setUp() {
        frame = Unpooled.directBuffer(frameBytes);
        frame.writeBytes(Requests.resolution("88.100.1/P00000001", 1, 0), 0, EnvelopeLayout.LENGTH);
        frame.writeZero(frameBytes - EnvelopeLayout.LENGTH);
        frame.setInt(EnvelopeLayout.MESSAGE_LENGTH, frameBytes - EnvelopeLayout.LENGTH);
        alloc = PooledByteBufAllocator.DEFAULT;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        frame.release();
    }

    @Benchmark
    public int split() {
        int[] bytes = new int[1];
        UdpFragmenter.fragment(frame, alloc, false, packet -> {
            bytes[0] += packet.readableBytes();
            packet.release();
        });
        return bytes[0];
    }
}
