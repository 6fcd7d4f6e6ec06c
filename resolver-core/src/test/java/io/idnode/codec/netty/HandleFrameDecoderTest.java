package io.idnode.codec.netty;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.budget.MemoryBudget;
import io.idnode.codec.CodecException;
import io.idnode.codec.Limits;
import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Message;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TCP framing with {@link HandleFrameDecoder} and encoding with {@link HandleMessageEncoder}. */
class HandleFrameDecoderTest {
    private final List<ByteBuf> written = new ArrayList<>();
    private EmbeddedChannel channel = new EmbeddedChannel(new HandleFrameDecoder());

    private static byte[] vector(String name) {
        return hex(Vectors.vector(name).get("tcp_hex").asText());
    }

    /** Writes bytes inbound, remembering the buffer to check that the decoder released it. */
    private void write(byte[] bytes, int from, int to) {
        ByteBuf buf = Unpooled.copiedBuffer(bytes, from, to - from);
        written.add(buf);
        channel.writeInbound(buf);
    }

    @AfterEach
    void noLeaks() {
        channel.finishAndReleaseAll();
        for (ByteBuf b : written) {
            assertThat(b.refCnt()).as("inbound buffer released").isZero();
        }
    }

    @Test
    void frameSplitIntoSingleBytes() {
        byte[] frame = vector("resolution_response_certified_rsa");
        for (int i = 0; i < frame.length; i++) {
            write(frame, i, i + 1);
            if (i < frame.length - 1) {
                assertThat((Object) channel.readInbound()).isNull();
            }
        }
        assertThat((byte[]) channel.readInbound()).isEqualTo(frame);
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void twoFramesAndAPartialThirdInOneRead() {
        byte[] a = vector("resolution_request_all");
        byte[] b = vector("sdk_login_request");
        byte[] c = vector("get_site_info_request");
        ByteBuffer all = ByteBuffer.allocate(a.length + b.length + 25).put(a).put(b).put(c, 0, 25);
        write(all.array(), 0, all.capacity());
        assertThat((byte[]) channel.readInbound()).isEqualTo(a);
        assertThat((byte[]) channel.readInbound()).isEqualTo(b);
        assertThat((Object) channel.readInbound()).isNull();
        write(c, 25, c.length);
        assertThat((byte[]) channel.readInbound()).isEqualTo(c);
    }

    @Test
    void emittedFramesDecode() throws CodecException {
        byte[] frame = vector("create_handle_request");
        write(frame, 0, frame.length);
        Message m = MessageCodec.DEFAULT.decode((byte[]) channel.readInbound());
        assertThat(m.requestId()).isEqualTo(0x12345678);
    }

    @Test
    void oversizedLengthFailsBeforeWaitingForTheBody() {
        byte[] envelope = hex("020b020b000000070000abcd0000000000040001");
        ByteBuf buf = Unpooled.copiedBuffer(envelope);
        written.add(buf);
        assertThatThrownBy(() -> channel.writeInbound(buf)).isInstanceOfSatisfying(HandleFrameException.class, e -> {
            assertThat(e.responseCode()).isEqualTo(ResponseCode.PROTOCOL_ERROR);
            assertThat(e.requestId()).isEqualTo(0xabcd);
            assertThat(e.sessionId()).isEqualTo(7);
            assertThat(e.codecException()).hasMessageContaining("length");
        });
        // Everything after a bad envelope is discarded.
        byte[] next = vector("resolution_request_all");
        write(next, 0, next.length);
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void configuredLimitAndBadVersionAreRejected() {
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new HandleFrameDecoder(100));
        byte[] big = vector("resolution_response_url_email_admin");
        ByteBuf buf = Unpooled.copiedBuffer(big, 0, 20);
        written.add(buf);
        assertThatThrownBy(() -> channel.writeInbound(buf)).isInstanceOf(HandleFrameException.class)
                .hasMessageContaining("exceeds 100");

        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new HandleFrameDecoder());
        ByteBuf v3 = Unpooled.copiedBuffer(hex("030b020b0000000000000001000000000000001c"));
        written.add(v3);
        assertThatThrownBy(() -> channel.writeInbound(v3)).isInstanceOf(HandleFrameException.class)
                .hasMessageContaining("major");

        assertThatThrownBy(() -> new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private EmbeddedChannel budgeted(HandleFrameDecoder decoder) {
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(decoder);
        return channel;
    }

    @Test
    void aCompleteFrameReadInOneGoIsNeverCharged() {
        MemoryBudget budget = new MemoryBudget("tcp-frame-memory", 1);
        budgeted(new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH, budget));
        byte[] a = vector("resolution_request_all");
        byte[] b = vector("create_handle_request");
        ByteBuffer both = ByteBuffer.allocate(a.length + b.length).put(a).put(b);

        write(both.array(), 0, both.capacity());

        assertThat((byte[]) channel.readInbound()).isEqualTo(a);
        assertThat((byte[]) channel.readInbound()).isEqualTo(b);
        assertThat(budget.used()).isZero();
        assertThat(budget.refused()).isZero();
    }

    @Test
    void anIncompleteFrameIsChargedWhatItsBufferHoldsUntilItCompletes() {
        MemoryBudget budget = new MemoryBudget("tcp-frame-memory", 1 << 20);
        HandleFrameDecoder decoder = new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH, budget);
        budgeted(decoder);
        byte[] frame = vector("create_handle_request");

        write(frame, 0, 25); // the first read's buffer is kept as it is: 25 bytes

        assertThat(budget.used()).isEqualTo(25);
        assertThat(decoder.bufferedBytes()).isEqualTo(25);
        write(frame, 25, frame.length);
        assertThat((byte[]) channel.readInbound()).isEqualTo(frame);
        assertThat(budget.used()).isZero();
        assertThat(decoder.bufferedBytes()).isZero();
    }

    @Test
    void aFrameInProgressBeyondTheBudgetFailsWithTooBusyAndItsIdsWhileOtherConnectionsGoOn() {
        MemoryBudget budget = new MemoryBudget("tcp-frame-memory", 30);
        EmbeddedChannel other = new EmbeddedChannel(new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH, budget));
        budgeted(new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH, budget));
        byte[] frame = vector("create_handle_request");
        ByteBuf partial = Unpooled.copiedBuffer(frame, 0, 40);
        written.add(partial);

        assertThatThrownBy(() -> channel.writeInbound(partial)).isInstanceOfSatisfying(HandleFrameException.class,
                e -> {
                    assertThat(e.responseCode()).isEqualTo(ResponseCode.SERVER_TOO_BUSY);
                    assertThat(e.requestId()).isEqualTo(0x12345678);
                    assertThat(e.codecException()).hasMessageContaining("tcp-frame-memory");
                });

        assertThat(budget.used()).isZero();
        assertThat(budget.refused()).isEqualTo(1);
        byte[] small = vector("resolution_request_all");
        other.writeInbound(Unpooled.copiedBuffer(small));
        assertThat((byte[]) other.readInbound()).isEqualTo(small);
        other.finishAndReleaseAll();
    }

    @Test
    void heldFramesStayBufferedAndChargedUntilResumed() {
        MemoryBudget budget = new MemoryBudget("tcp-frame-memory", 1 << 20);
        HandleFrameDecoder decoder = new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH, budget);
        budgeted(decoder);
        byte[] a = vector("resolution_request_all");
        byte[] b = vector("get_site_info_request");
        ByteBuffer both = ByteBuffer.allocate(a.length + b.length).put(a).put(b);

        decoder.hold();
        write(both.array(), 0, both.capacity());

        assertThat((Object) channel.readInbound()).isNull();
        assertThat(decoder.bufferedBytes()).isEqualTo(both.capacity());
        assertThat(budget.used()).isEqualTo(both.capacity());
        decoder.resume();
        assertThat((byte[]) channel.readInbound()).isEqualTo(a);
        assertThat((byte[]) channel.readInbound()).isEqualTo(b);
        assertThat(budget.used()).isZero();
    }

    @Test
    void aClosedConnectionGivesBackWhatItsFrameInProgressWasCharged() {
        MemoryBudget budget = new MemoryBudget("tcp-frame-memory", 1 << 20);
        budgeted(new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH, budget));
        byte[] frame = vector("create_handle_request");
        write(frame, 0, 40);
        assertThat(budget.used()).isEqualTo(40);

        channel.finishAndReleaseAll();

        assertThat(budget.used()).isZero();
    }

    @Test
    void encoderWritesTheFrame() throws CodecException {
        EmbeddedChannel out = new EmbeddedChannel(HandleMessageEncoder.INSTANCE);
        byte[] frame = vector("resolution_response_url_email_admin");
        assertThat(out.writeOutbound(MessageCodec.DEFAULT.decode(frame))).isTrue();
        ByteBuf encoded = out.readOutbound();
        try {
            byte[] bytes = new byte[encoded.readableBytes()];
            encoded.readBytes(bytes);
            assertThat(bytes).isEqualTo(frame);
        } finally {
            encoded.release();
            assertThat(out.finishAndReleaseAll()).isFalse();
        }
    }
}
