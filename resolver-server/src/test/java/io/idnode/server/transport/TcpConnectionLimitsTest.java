package io.idnode.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.MessageCodec;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TCP connection is read only as fast as it is answered (requests in flight, replies waiting to be
 * written), and is closed when it stops making progress counted in whole requests: after the request
 * timeout while a request is half received, after the idle timeout between requests, never while the node
 * is still answering it. Time is moved by hand, on the node's clock and on the channel's timers.
 */
class TcpConnectionLimitsTest {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);

    final List<Runnable> tasks = new ArrayList<>();
    Transports transports;
    EmbeddedChannel ch;

    @BeforeEach
    void setUp() {
        KeyPair keys = KEY_FILES.generateRsa(new SecureRandom());
        InMemoryRecordStore store = new InMemoryRecordStore();
        store.put(HandleRecord.of("88.100.1/A", List.of(HandleValue.builder(1, "URL").data("u").build())));
        RequestChain chain = NodeFixtures.chain(store, keys.getPrivate(), keys.getPublic()).build();
        transports = new Transports(chain, tasks::add);
        ch = transports.tcp();
        ch.freezeTime();
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
    }

    static byte[] frame(int requestId, OpCode op, MessageBody body) {
        MessageHeader h = new MessageHeader(op, ResponseCode.RESERVED, OpFlags.RECURSIVE | OpFlags.PUBLIC_ONLY, 1, 0,
                System.currentTimeMillis() / 1000 + 600);
        return MessageCodec.DEFAULT.encode(Message.of(Envelope.request(0, requestId), h, body));
    }

    static byte[] resolution(int requestId) {
        return frame(requestId, OpCode.RESOLUTION, new ResolutionRequest("88.100.1/A", null, null, null));
    }

    static byte[] delete(int requestId) {
        return frame(requestId, OpCode.DELETE_HANDLE, new HandleRequest("88.100.1/A"));
    }

    /** The request ids of the replies written so far. */
    List<Integer> replies() throws Exception {
        List<Integer> ids = new ArrayList<>();
        ByteBuf out;
        while ((out = ch.readOutbound()) != null) {
            try {
                ids.add(MessageCodec.DEFAULT.decode(ByteBufUtil.getBytes(out)).requestId());
            } finally {
                out.release();
            }
        }
        return ids;
    }

    /** As {@link #elapse}, a second at a time. */
    void elapseInSeconds(Duration d) {
        for (long i = 0; i < d.toSeconds(); i++) {
            elapse(Duration.ofSeconds(1));
        }
    }

    /** Moves the node's clock and the channel's timers by {@code d} and runs the timers due. */
    void elapse(Duration d) {
        transports.clock.advance(d);
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void requestsBeyondTheInFlightBoundWaitUnreadUntilOneIsAnswered() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < TcpLimits.MAX_IN_FLIGHT + 2; i++) {
            stream.write(delete(100 + i));
        }

        ch.writeInbound(Unpooled.wrappedBuffer(stream.toByteArray()));

        assertThat(tasks).hasSize(TcpLimits.MAX_IN_FLIGHT);
        assertThat(ch.config().isAutoRead()).isFalse();
        tasks.remove(0).run();
        ch.runPendingTasks();
        assertThat(replies()).containsExactly(100);
        assertThat(tasks).as("one more taken in").hasSize(TcpLimits.MAX_IN_FLIGHT);
        assertThat(ch.config().isAutoRead()).isFalse();
        while (!tasks.isEmpty()) {
            tasks.remove(0).run();
            ch.runPendingTasks();
        }
        assertThat(replies()).hasSize(TcpLimits.MAX_IN_FLIGHT + 1).endsWith(100 + TcpLimits.MAX_IN_FLIGHT + 1);
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void aConnectionWhoseRepliesAreNotTakenIsNotReadFurther() throws Exception {
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        HandleFrameDecoder decoder = ch.pipeline().get(HandleFrameDecoder.class);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            stream.write(resolution(200 + i));
        }

        ch.pipeline().fireChannelRead(Unpooled.wrappedBuffer(stream.toByteArray()));

        // One reply fills the write buffer: the other two requests stay in the decoder, unread.
        assertThat(ch.isWritable()).isFalse();
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(decoder.bufferedBytes()).isEqualTo(2 * resolution(0).length);
        // The batch's reply is flushed and drains; the embedded channel runs the resumption at once, which
        // answers the held requests one by one as each reply drains.
        ch.pipeline().fireChannelReadComplete();
        ch.runPendingTasks();
        assertThat(replies()).containsExactly(200, 201, 202);
        assertThat(decoder.bufferedBytes()).isZero();
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void aConnectionAnswersAtMostSoManyRequestsInOneTurnOfItsLoop() throws Exception {
        HandleFrameDecoder decoder = ch.pipeline().get(HandleFrameDecoder.class);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < TcpLimits.MAX_REQUESTS_PER_TURN + 2; i++) {
            stream.write(resolution(700 + i));
        }

        ch.pipeline().fireChannelRead(Unpooled.wrappedBuffer(stream.toByteArray()));

        assertThat(decoder.bufferedBytes()).isEqualTo(2 * resolution(0).length);
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.pipeline().fireChannelReadComplete();
        ch.runPendingTasks(); // the next turn
        assertThat(replies()).hasSize(TcpLimits.MAX_REQUESTS_PER_TURN + 2)
                .endsWith(701 + TcpLimits.MAX_REQUESTS_PER_TURN);
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void aRequestTrickledAByteAtATimeIsClosedAfterTheRequestTimeout() {
        byte[] frame = resolution(300);
        for (int i = 0; i < Transports.REQUEST_TIMEOUT.toSeconds() - 1; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(frame, i, 1));
            elapse(Duration.ofSeconds(1));
            assertThat(ch.isOpen()).as("after %d s", i + 1).isTrue();
        }

        ch.writeInbound(Unpooled.wrappedBuffer(frame, 9, 1));
        elapse(Duration.ofSeconds(1));

        assertThat(ch.isOpen()).isFalse();
        assertThat(transports.tcpLimits.closedStalled()).isEqualTo(1);
    }

    @Test
    void aConnectionThatDoesNotTakeItsRepliesIsClosedAfterTheRequestTimeout() {
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        // Read but never flushed out, as replies a client does not read stay in the node's write buffer.
        ch.pipeline().fireChannelRead(Unpooled.wrappedBuffer(resolution(600)));
        assertThat(ch.isWritable()).isFalse();

        elapseInSeconds(Transports.REQUEST_TIMEOUT.plusSeconds(5));

        assertThat(ch.isOpen()).isFalse();
        assertThat(transports.tcpLimits.closedStalled()).isEqualTo(1);
    }

    @Test
    void wholeRequestsKeepAConnectionOpenAndIdleItClosesAfterTheIdleTimeout() throws Exception {
        for (int i = 0; i < 5; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(resolution(400 + i)));
            elapseInSeconds(Transports.REQUEST_TIMEOUT.multipliedBy(2));
        }
        assertThat(replies()).hasSize(5);
        assertThat(ch.isOpen()).isTrue();

        // Progress is noticed at the next check, every half of the shorter timeout: 5 s here.
        elapseInSeconds(Transports.IDLE.minus(Transports.REQUEST_TIMEOUT.multipliedBy(2)).minusSeconds(1));
        assertThat(ch.isOpen()).isTrue();
        elapseInSeconds(Duration.ofSeconds(6));

        assertThat(ch.isOpen()).isFalse();
        assertThat(transports.tcpLimits.closedStalled()).isZero();
    }

    @Test
    void aConnectionWaitingForTheNodesAnswerIsNotClosed() throws Exception {
        ch.writeInbound(Unpooled.wrappedBuffer(delete(500)));

        elapseInSeconds(Transports.IDLE.multipliedBy(3));

        assertThat(ch.isOpen()).isTrue();
        tasks.remove(0).run();
        ch.runPendingTasks();
        assertThat(replies()).containsExactly(500);
    }
}
