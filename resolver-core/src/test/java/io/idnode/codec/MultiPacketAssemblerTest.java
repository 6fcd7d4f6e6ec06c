package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.budget.MemoryBudget;
import io.idnode.protocol.Envelope;
import io.idnode.testing.Vectors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Reassembly of multi-packet UDP messages (handle-protocol.md §1.3). */
class MultiPacketAssemblerTest {
    private final AtomicLong now = new AtomicLong();

    private MultiPacketAssembler assembler(int maxPending, long maxBytes) {
        return new MultiPacketAssembler(maxPending, maxBytes, Duration.ofSeconds(5), now::get);
    }

    /** One datagram: its envelope and its bytes. */
    private record Packet(Envelope envelope, byte[] bytes) {
    }

    private static List<Packet> packets(byte[] frame) throws CodecException {
        List<Packet> out = new ArrayList<>();
        int messageLength = frame.length - 20;
        Envelope env = MessageCodec.DEFAULT.decodeEnvelope(frame, 0);
        for (int i = 0; i * 492 < messageLength; i++) {
            int len = Math.min(492, messageLength - i * 492);
            byte[] datagram = new byte[20 + len];
            System.arraycopy(frame, 0, datagram, 0, 20);
            System.arraycopy(frame, 20 + i * 492, datagram, 20, len);
            out.add(new Packet(env.withMessageId(i), datagram));
        }
        return out;
    }

    private static byte[] offer(MultiPacketAssembler a, Object sender, Packet p) throws CodecException {
        return a.offer(sender, p.envelope(), p.bytes(), 20, p.bytes().length - 20);
    }

    @Test
    void reassemblesTheVectorDatagramsInEitherOrder() throws CodecException {
        var v = Vectors.vector(Vectors.HANDLE, "resolution_response_multi_packet");
        byte[] message = hex(v.get("message_hex").asText());
        List<Packet> packets = new ArrayList<>();
        for (var p : v.get("udp_packets_hex")) {
            byte[] d = hex(p.asText());
            packets.add(new Packet(MessageCodec.DEFAULT.decodeEnvelope(d, 0), d));
        }
        for (boolean reversed : new boolean[] {false, true}) {
            List<Packet> order = new ArrayList<>(packets);
            if (reversed) {
                Collections.reverse(order);
            }
            MultiPacketAssembler a = assembler(8, Limits.MAX_MESSAGE_LENGTH);
            byte[] result = null;
            for (int i = 0; i < order.size(); i++) {
                result = offer(a, "peer", order.get(i));
                if (i < order.size() - 1) {
                    assertThat(result).isNull();
                }
            }
            assertThat(result).isEqualTo(message);
            assertThat(a.pendingCount()).isZero();
            assertThat(a.pendingBytes()).isZero();
        }
    }

    @Property(tries = 200)
    void anyOrderWithDuplicatesGivesTheMessage(@ForAll @IntRange(min = 493, max = 6000) int messageLength,
            @ForAll long seed) throws CodecException {
        byte[] frame = UdpFragmenterTest.syntheticFrame(messageLength);
        List<Packet> packets = packets(frame);
        List<Packet> order = new ArrayList<>(packets);
        order.addAll(packets.subList(0, packets.size() / 2));
        Collections.shuffle(order, new java.util.Random(seed));
        MultiPacketAssembler a = new MultiPacketAssembler();
        byte[] result = null;
        int completions = 0;
        for (Packet p : order) {
            byte[] r = offer(a, "peer", p);
            if (r != null) {
                result = r;
                completions++;
            }
        }
        // Duplicates arriving after completion start a new message that (lacking half its chunks) never
        // completes.
        assertThat(completions).isEqualTo(1);
        assertThat(result).isEqualTo(Arrays.copyOfRange(frame, 20, frame.length));
    }

    @Test
    void singlePacketMessageIsReturnedAtOnce() throws CodecException {
        byte[] frame = UdpFragmenterTest.syntheticFrame(100);
        MultiPacketAssembler a = assembler(1, Limits.MAX_MESSAGE_LENGTH);
        assertThat(offer(a, "peer", packets(frame).get(0))).isEqualTo(Arrays.copyOfRange(frame, 20, 120));
        assertThat(a.pendingCount()).isZero();
    }

    @Test
    void keysBySenderAndRequestId() throws CodecException {
        List<Packet> packets = packets(UdpFragmenterTest.syntheticFrame(1000));
        MultiPacketAssembler a = assembler(8, Limits.MAX_MESSAGE_LENGTH);
        assertThat(offer(a, "alice", packets.get(0))).isNull();
        assertThat(offer(a, "bob", packets.get(1))).isNull();
        assertThat(offer(a, "bob", packets.get(2))).isNull();
        assertThat(a.pendingCount()).isEqualTo(2);
        assertThat(offer(a, "alice", packets.get(1))).isNull();
        assertThat(offer(a, "alice", packets.get(2))).isNotNull();
        assertThat(a.pendingCount()).isEqualTo(1);
    }

    @Test
    void rejectsInconsistentChunks() throws CodecException {
        List<Packet> packets = packets(UdpFragmenterTest.syntheticFrame(1000));
        MultiPacketAssembler a = assembler(8, Limits.MAX_MESSAGE_LENGTH);
        Packet first = packets.get(0);

        Envelope outOfRange = first.envelope().withMessageId(3);
        assertThatThrownBy(() -> a.offer("p", outOfRange, first.bytes(), 20, 492)).isInstanceOf(CodecException.class);
        Envelope negative = first.envelope().withMessageId(-1);
        assertThatThrownBy(() -> a.offer("p", negative, first.bytes(), 20, 492)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> a.offer("p", first.envelope(), first.bytes(), 20, 491))
                .isInstanceOf(CodecException.class).hasMessageContaining("expected 492");
        Packet last = packets.get(2);
        assertThatThrownBy(() -> a.offer("p", last.envelope(), last.bytes(), 20, 15)).isInstanceOf(CodecException.class);

        assertThat(offer(a, "p", first)).isNull();
        Envelope e = first.envelope();
        Envelope otherLength = new Envelope(2, 11, 0, 2, 11, 0, e.requestId(), 1, 1200);
        assertThatThrownBy(() -> a.offer("p", otherLength, packets.get(1).bytes(), 20, 492))
                .isInstanceOf(CodecException.class).hasMessageContaining("earlier chunks");
        assertThat(a.pendingCount()).as("the inconsistent message is dropped").isZero();
        assertThat(a.pendingBytes()).isZero();
    }

    @Test
    void dropsMessagesOlderThanTheMaximumAge() throws CodecException {
        List<Packet> packets = packets(UdpFragmenterTest.syntheticFrame(1000));
        MultiPacketAssembler a = assembler(8, Limits.MAX_MESSAGE_LENGTH);
        assertThat(offer(a, "p", packets.get(0))).isNull();
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        a.evictExpired();
        assertThat(a.pendingCount()).isEqualTo(1);
        now.addAndGet(1);
        assertThat(offer(a, "p", packets.get(1))).as("the first chunk expired").isNull();
        assertThat(offer(a, "p", packets.get(2))).isNull();
        assertThat(a.pendingCount()).isEqualTo(1);
        assertThat(offer(a, "p", packets.get(0))).isNotNull();
    }

    @Test
    void evictsTheOldestWhenTooManyArePending() throws CodecException {
        MultiPacketAssembler a = assembler(2, Limits.MAX_MESSAGE_LENGTH);
        List<Packet> packets = packets(UdpFragmenterTest.syntheticFrame(1000));
        for (String sender : List.of("a", "b", "c")) {
            assertThat(offer(a, sender, packets.get(0))).isNull();
        }
        assertThat(a.pendingCount()).isEqualTo(2);
        assertThat(offer(a, "a", packets.get(1))).isNull();
        assertThat(offer(a, "a", packets.get(2))).as("a was evicted, its first chunk is gone").isNull();
        assertThat(offer(a, "c", packets.get(1))).isNull();
        assertThat(offer(a, "c", packets.get(2))).isNotNull();
    }

    @Test
    void boundsBufferedBytesByDroppingTheOldest() throws CodecException {
        MultiPacketAssembler a = assembler(100, Limits.MAX_MESSAGE_LENGTH);
        List<Packet> big = packets(UdpFragmenterTest.syntheticFrame(Limits.MAX_MESSAGE_LENGTH));
        List<Packet> small = packets(UdpFragmenterTest.syntheticFrame(1000));
        assertThat(offer(a, "small", small.get(0))).isNull();
        for (int i = 0; i < big.size() - 1; i++) {
            assertThat(offer(a, "big", big.get(i))).isNull();
            assertThat(a.pendingBytes()).isLessThanOrEqualTo(Limits.MAX_MESSAGE_LENGTH);
        }
        assertThat(a.pendingCount()).as("the small message made room").isEqualTo(1);
        assertThat(offer(a, "big", big.get(big.size() - 1))).hasSize(Limits.MAX_MESSAGE_LENGTH);
        assertThat(a.pendingBytes()).isZero();
    }

    @Test
    void chargesItsBudgetWithTheChunksItHoldsAndCountsEachMessageDroppedForRoom() throws CodecException {
        MemoryBudget budget = new MemoryBudget("reassembly-memory", Limits.MAX_MESSAGE_LENGTH);
        MultiPacketAssembler a = new MultiPacketAssembler(100, budget, Duration.ofSeconds(5), now::get);
        List<Packet> small = packets(UdpFragmenterTest.syntheticFrame(1000));
        List<Packet> big = packets(UdpFragmenterTest.syntheticFrame(Limits.MAX_MESSAGE_LENGTH));

        offer(a, "small", small.get(0));
        assertThat(budget.used()).isEqualTo(492);
        for (int i = 0; i < big.size() - 1; i++) {
            offer(a, "big", big.get(i));
        }

        assertThat(budget.used()).isEqualTo(a.pendingBytes()).isEqualTo((big.size() - 1) * 492L);
        assertThat(budget.refused()).as("one refusal, one message dropped").isEqualTo(1);
        assertThat(offer(a, "big", big.get(big.size() - 1))).hasSize(Limits.MAX_MESSAGE_LENGTH);
        assertThat(budget.used()).isZero();
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new MultiPacketAssembler(0, Limits.MAX_MESSAGE_LENGTH, Duration.ofSeconds(1), now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPending");
        assertThatThrownBy(() -> new MultiPacketAssembler(1, 1000, Duration.ofSeconds(1), now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reassembly-memory must be at least");
        assertThatThrownBy(() -> new MultiPacketAssembler(1, Limits.MAX_MESSAGE_LENGTH, Duration.ZERO, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAge");
    }
}
