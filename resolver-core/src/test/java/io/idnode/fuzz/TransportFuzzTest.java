package io.idnode.fuzz;

import static io.idnode.fuzz.MessageDecoderFuzzTest.decodeOrReject;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.idnode.codec.EnvelopeLayout;
import io.idnode.codec.Limits;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.MultiPacketAssembler;
import io.idnode.codec.UdpFragmenter;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.idnode.codec.netty.HandleFrameException;
import io.idnode.protocol.Envelope;
import io.idnode.testing.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of what stands between the sockets and the codec (handle-protocol.md §1.3, §1.4):
 * the TCP frame decoder in an {@link EmbeddedChannel}, fed a byte stream in pieces, and multi-packet UDP
 * reassembly, fed datagrams from several senders as the UDP transport feeds it. Frames come out whole and in
 * order, a bad envelope stops the stream with a {@link HandleFrameException} and nothing after it, the
 * reassembler stays within its bounds, and whatever they hand on decodes or fails with the codec's own
 * error.
 */
class TransportFuzzTest {
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;
    /** Small bounds, so that short inputs reach eviction. */
    private static final int MAX_PENDING = 4;
    private static final long MAX_PENDING_BYTES = Limits.MAX_MESSAGE_LENGTH;
    private static final Duration MAX_AGE = Duration.ofSeconds(5);
    /** Most pieces a stream is written in. */
    private static final int MAX_PIECES = 64;
    private static final UnpooledByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(false, true);
    /** A datagram's first byte: sender in the low bits; this bit moves the clock past the age limit first. */
    private static final int LATER = 0x80;

    /** Two vector frames back to back, read 20 bytes at a time, and every request vector in one stream. */
    static Stream<Named<byte[]>> streamSeeds() {
        List<Named<byte[]>> seeds = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(0);
        for (Named<byte[]> f : VectorSeeds.frames()) {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            s.write(EnvelopeLayout.LENGTH - 1);
            s.writeBytes(f.getPayload());
            s.writeBytes(f.getPayload());
            seeds.add(Named.of(f.getName() + " twice", s.toByteArray()));
            all.writeBytes(f.getPayload());
        }
        seeds.add(Named.of("every vector in one stream, in the smallest pieces", all.toByteArray()));
        return VectorSeeds.stream(seeds);
    }

    /** The first byte sets the size of the pieces the rest of the input arrives in (1 to 256 bytes, at most 64 pieces). */
    @MethodSource("streamSeeds")
    @FuzzTest
    void tcpStream(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int piece = in.u8() + 1;
        byte[] stream = in.rest();
        piece = Math.max(piece, (stream.length + MAX_PIECES - 1) / MAX_PIECES);
        EmbeddedChannel channel = new EmbeddedChannel(new HandleFrameDecoder());
        // The decoder's cumulation comes from an allocator without leak tracking (paranoid tracking records a
        // stack trace per access, a hundredfold slowdown); instead every piece must be released at the end.
        channel.config().setAllocator(UNTRACKED);
        List<ByteBuf> written = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        HandleFrameException refused = null;
        try {
            for (int at = 0; at < stream.length; at += piece) {
                ByteBuf bytes = Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + piece)));
                written.add(bytes);
                boolean refusedEarlier = refused != null;
                try {
                    channel.writeInbound(bytes);
                } catch (HandleFrameException e) {
                    assertThat(refused).as("one refusal, then the stream is discarded").isNull();
                    refused = e;
                }
                // Frames completed by the same piece as a bad envelope before them still come out.
                for (Object frame; (frame = channel.readInbound()) != null; ) {
                    assertThat(refusedEarlier).as("no frame after a refused envelope").isFalse();
                    frames.add((byte[]) frame);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        for (ByteBuf w : written) {
            assertThat(w.refCnt()).as("the decoder released every piece").isZero();
        }

        int consumed = 0;
        for (byte[] frame : frames) {
            assertThat(Arrays.copyOfRange(stream, consumed, consumed + frame.length))
                    .as("frames are the stream's bytes in order").isEqualTo(frame);
            Envelope env = decodeOrReject(frame, f -> CODEC.decodeEnvelope(f, 0));
            assertThat(env).as("a frame's envelope was checked").isNotNull();
            assertThat(frame.length).isEqualTo(EnvelopeLayout.LENGTH + env.messageLength());
            decodeOrReject(frame, CODEC::decode);
            consumed += frame.length;
        }
        byte[] rest = Arrays.copyOfRange(stream, consumed, stream.length);
        if (refused != null) {
            Envelope bad = decodeOrReject(rest, r -> CODEC.decodeEnvelope(r, 0));
            assertThat(bad).as("the refused envelope is bad").isNull();
            assertThat(refused.responseCode()).isEqualTo(refused.codecException().responseCode());
        } else if (rest.length >= EnvelopeLayout.LENGTH) {
            Envelope pending = decodeOrReject(rest, r -> CODEC.decodeEnvelope(r, 0));
            assertThat(pending).as("a bad envelope is refused as soon as it is whole").isNotNull();
            assertThat(rest.length).as("every whole frame was emitted")
                    .isLessThan(EnvelopeLayout.LENGTH + pending.messageLength());
        }
    }

    /** Every vector frame cut into datagrams, its chunks sent in reverse and the first one twice. */
    static Stream<Named<byte[]>> datagramSeeds() {
        List<Named<byte[]>> seeds = new ArrayList<>();
        for (Named<byte[]> f : VectorSeeds.frames()) {
            List<ByteBuf> chunks = UdpFragmenter.fragment(Unpooled.wrappedBuffer(f.getPayload()),
                    UnpooledByteBufAllocator.DEFAULT, true);
            List<byte[]> datagrams = new ArrayList<>();
            for (ByteBuf c : chunks) {
                datagrams.add(ByteBufUtil.getBytes(c));
                c.release();
            }
            Collections.reverse(datagrams);
            datagrams.add(datagrams.get(datagrams.size() - 1));
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            for (byte[] d : datagrams) {
                s.write(1);
                s.writeBytes(FuzzInput.chunkOf(d));
            }
            seeds.add(Named.of(f.getName() + " in datagrams", s.toByteArray()));
        }
        return VectorSeeds.stream(seeds);
    }

    /**
     * Datagrams as the UDP transport reads them: a sender byte (see {@link #LATER}), then a datagram of up to
     * 512 bytes announced by a 16-bit length; single-packet messages are decoded in place, others reassembled.
     */
    @MethodSource("datagramSeeds")
    @FuzzTest
    void udpDatagrams(byte[] input) {
        ManualClock clock = new ManualClock(0);
        MultiPacketAssembler assembler = new MultiPacketAssembler(MAX_PENDING, MAX_PENDING_BYTES, MAX_AGE, clock);
        FuzzInput in = new FuzzInput(input);
        while (in.hasMore()) {
            int sender = in.u8();
            byte[] datagram = in.bytes(Math.min(in.u16(), Limits.MAX_UDP_DATAGRAM));
            if ((sender & LATER) != 0) {
                clock.advance(MAX_AGE.plusMillis(1));
            }
            receive(assembler, sender & 3, datagram);
            assertThat(assembler.pendingCount()).isBetween(0, MAX_PENDING);
            assertThat(assembler.pendingBytes()).isBetween(0L, MAX_PENDING_BYTES);
        }
    }

    private static void receive(MultiPacketAssembler assembler, int sender, byte[] datagram) {
        if (datagram.length < EnvelopeLayout.LENGTH) {
            return;
        }
        Envelope env = decodeOrReject(datagram, d -> CODEC.decodeEnvelope(d, 0));
        if (env == null) {
            return;
        }
        int length = env.messageLength();
        if (env.messageId() == 0 && length == datagram.length - EnvelopeLayout.LENGTH) {
            decodeOrReject(datagram, d -> CODEC.decodeMessage(env, d, EnvelopeLayout.LENGTH, length));
            return;
        }
        byte[] message = decodeOrReject(datagram, d -> assembler.offer(sender, env, d, EnvelopeLayout.LENGTH,
                d.length - EnvelopeLayout.LENGTH));
        if (message != null) {
            assertThat(message).as("a reassembled message has the announced length").hasSize(length);
            decodeOrReject(message, m -> CODEC.decodeMessage(env, m, 0, length));
        }
    }
}
