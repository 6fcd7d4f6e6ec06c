package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting frames into 512-byte datagrams (handle-protocol.md §1.3). */
class UdpFragmenterTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static List<byte[]> fragment(byte[] frame, boolean setTruncated) {
        ByteBuf in = Unpooled.wrappedBuffer(frame);
        List<ByteBuf> packets = UdpFragmenter.fragment(in, ALLOC, setTruncated);
        try {
            assertThat(in.readerIndex()).isZero();
            List<byte[]> out = new ArrayList<>();
            for (ByteBuf p : packets) {
                out.add(Codecs.toArray(p));
            }
            return out;
        } finally {
            packets.forEach(ByteBuf::release);
            // The datagrams own nothing of the frame once released (a single datagram shares its bytes).
            assertThat(in.refCnt()).isEqualTo(1);
            assertThat(in.release()).isTrue();
        }
    }

    @Test
    void producesTheVectorDatagramsWithTheClientsTcConvention() {
        JsonNode v = Vectors.vector(Vectors.HANDLE, "resolution_response_multi_packet");
        List<byte[]> expected = new ArrayList<>();
        v.get("udp_packets_hex").forEach(p -> expected.add(hex(p.asText())));
        assertThat(expected).hasSizeGreaterThan(1);

        List<byte[]> packets = fragment(hex(v.get("tcp_hex").asText()), true);
        assertThat(packets).hasSameSizeAs(expected);
        for (int i = 0; i < packets.size(); i++) {
            assertThat(packets.get(i)).as("packet %d", i).isEqualTo(expected.get(i));
            assertThat(packets.get(i).length).isLessThanOrEqualTo(Limits.MAX_UDP_DATAGRAM);
        }
    }

    @Test
    void withoutTcTheFlagsByteIsCopied() {
        byte[] frame = hex(Vectors.vector(Vectors.HANDLE, "resolution_response_multi_packet").get("tcp_hex").asText());
        for (byte[] p : fragment(frame, false)) {
            assertThat(p[2]).isEqualTo(frame[2]);
        }
    }

    @Test
    void shortMessageIsOneUnchangedDatagram() {
        byte[] frame = hex(Vectors.vector(Vectors.HANDLE, "resolution_request_all").get("tcp_hex").asText());
        assertThat(fragment(frame, true)).singleElement().isEqualTo(frame);
    }

    @Test
    void chunkBoundaries() throws CodecException {
        for (int messageLength : new int[] {492, 493, 984, 985, 3000}) {
            byte[] frame = syntheticFrame(messageLength);
            List<byte[]> packets = fragment(frame, true);
            assertThat(packets).hasSize(UdpFragmenter.packetCount(messageLength))
                    .hasSize((messageLength + 491) / 492);
            ByteBuffer reassembled = ByteBuffer.allocate(messageLength);
            for (int i = 0; i < packets.size(); i++) {
                byte[] p = packets.get(i);
                Envelope env = MessageCodec.DEFAULT.decodeEnvelope(p, 0);
                assertThat(env.messageId()).isEqualTo(i);
                assertThat(env.messageLength()).isEqualTo(messageLength);
                assertThat(env.hasFlag(Envelope.TRUNCATED)).isEqualTo(packets.size() > 1);
                assertThat(p.length - 20).isEqualTo(i < packets.size() - 1 ? 492 : messageLength - 492 * i);
                reassembled.put(p, 20, p.length - 20);
            }
            assertThat(reassembled.array()).isEqualTo(Arrays.copyOfRange(frame, 20, frame.length));
        }
    }

    @Test
    void rejectsAFrameWhoseLengthDisagreesWithItsEnvelope() {
        byte[] frame = syntheticFrame(600);
        ByteBuf shorter = Unpooled.wrappedBuffer(frame, 0, frame.length - 1);
        try {
            assertThatThrownBy(() -> UdpFragmenter.fragment(shorter, ALLOC, true))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            shorter.release();
        }
    }

    @Test
    void encodedLongMessageFragmentsAndDecodesAfterReassembly() throws CodecException {
        byte[] frame = hex(Vectors.vector(Vectors.HANDLE, "resolution_response_multi_packet").get("tcp_hex").asText());
        Message original = MessageCodec.DEFAULT.decode(frame);
        MultiPacketAssembler assembler = new MultiPacketAssembler();
        byte[] message = null;
        for (byte[] p : fragment(frame, true)) {
            message = assembler.offer("peer", MessageCodec.DEFAULT.decodeEnvelope(p, 0), p, 20, p.length - 20);
        }
        assertThat(message).isNotNull();
        Message decoded = MessageCodec.DEFAULT.decodeMessage(original.envelope(), message, 0, message.length);
        assertThat(decoded.headerAndBody()).isEqualTo(original.headerAndBody());
    }

    /** An envelope + {@code messageLength} patterned bytes (not a decodable message; fragmenting ignores it). */
    static byte[] syntheticFrame(int messageLength) {
        ByteBuffer b = ByteBuffer.allocate(20 + messageLength);
        b.put(new byte[] {2, 11, 2, 11}).putInt(0).putInt(0x1234).putInt(0).putInt(messageLength);
        for (int i = 0; i < messageLength; i++) {
            b.put((byte) (i * 31 + i / 492));
        }
        return b.array();
    }
}
