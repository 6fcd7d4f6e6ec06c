package io.idnode.client.internal;

import io.idnode.transport.NettyTransport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.idnode.client.internal.ScriptedServer.Received;
import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.netty.HandleFrameException;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests in flight on real loopback sockets, against a server that answers when and how the test says.
 * Time is the event loop's: a short timeout fires on the loop, and only its outcome is asserted; the 10 s
 * waits only bound a hang.
 */
class RequestChannelTest {
    /** A timeout no test reaches. */
    static final long NEVER = TimeUnit.MINUTES.toNanos(10);
    /** A timeout that fires while the server holds the request unanswered. */
    static final long SHORT = TimeUnit.MILLISECONDS.toNanos(50);
    static final Duration WAIT = Duration.ofSeconds(10);

    enum Kind { TCP, UDP }

    static EventLoopGroup nio;
    static EventLoopGroup best;
    ScriptedServer server;
    final List<RequestChannel> channels = new ArrayList<>();

    @BeforeAll
    static void startLoops() {
        nio = NettyTransport.NIO.newGroup(1);
        best = NettyTransport.best().newGroup(1);
    }

    @AfterAll
    static void stopLoops() {
        nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        best.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void startServer() throws InterruptedException {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        channels.forEach(c -> c.close().syncUninterruptibly());
        server.close();
    }

    RequestChannel open(Kind kind) throws Exception {
        return open(kind, NettyTransport.best(), best);
    }

    RequestChannel open(Kind kind, NettyTransport transport, EventLoopGroup group) throws Exception {
        CompletableFuture<? extends RequestChannel> opened = kind == Kind.TCP
                ? TcpRequestChannel.connect(group.next(), transport, server.tcpAddress())
                : UdpRequestChannel.open(group.next(), transport, server.udpAddress());
        RequestChannel channel = opened.get(10, TimeUnit.SECONDS);
        channels.add(channel);
        return channel;
    }

    static ByteBuf request(String handle) {
        return Unpooled.wrappedBuffer(MessageCodec.DEFAULT.encode(Message.of(Envelope.request(0, 0),
                new MessageHeader(OpCode.RESOLUTION, ResponseCode.RESERVED, 0, 0xFFFF, 0, 0),
                new ResolutionRequest(handle, null, null, null))));
    }

    static String text(Message reply) {
        return ((ErrorResponse) reply.body()).message();
    }

    static String text(ByteBuf frame) {
        try {
            return text(MessageCodec.DEFAULT.decode(ByteBufUtil.getBytes(frame)));
        } catch (CodecException e) {
            throw new AssertionError(e);
        }
    }

    static <T> T onLoop(RequestChannel channel, Callable<T> read) throws Exception {
        return channel.loop().submit(read).get(10, TimeUnit.SECONDS);
    }

    static Stream<Arguments> transportsAndSockets() {
        return Stream.of(Kind.values()).flatMap(k -> Stream.of(NettyTransport.values()).map(t -> Arguments.of(k, t)));
    }

    @ParameterizedTest
    @MethodSource("transportsAndSockets")
    void repliesReachTheirRequestsByIdInAnyOrder(Kind kind, NettyTransport transport) throws Exception {
        assumeThat(transport == NettyTransport.NIO || NettyTransport.best() == NettyTransport.EPOLL).isTrue();
        RequestChannel channel = open(kind, transport, transport == NettyTransport.NIO ? nio : best);
        List<ReplyFuture> requests = List.of(new ReplyFuture(), new ReplyFuture(), new ReplyFuture());
        for (int i = 0; i < requests.size(); i++) {
            channel.send(requests.get(i), request("88.100.1/" + i), NEVER);
        }
        List<Received> received = List.of(server.take(), server.take(), server.take());

        for (int i = received.size() - 1; i >= 0; i--) {
            server.answer(received.get(i), "reply to " + received.get(i).handle());
        }

        for (int i = 0; i < requests.size(); i++) {
            Message reply = requests.get(i).future().get(10, TimeUnit.SECONDS);
            assertThat(text(reply)).isEqualTo("reply to 88.100.1/" + i);
            assertThat(reply.requestId()).isEqualTo(requests.get(i).requestId());
        }
        assertThat(received).extracting(Received::requestId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(requests.stream().map(PendingRequest::requestId).toList());
        assertThat(onLoop(channel, channel::inFlightCount)).isZero();
        assertThat(onLoop(channel, channel::unmatchedReplies)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReplyUnderAnIdNotInFlightIsCountedAndDropped(Kind kind) throws Exception {
        RequestChannel channel = open(kind);
        ReplyFuture request = new ReplyFuture();
        channel.send(request, request("88.100.1/A"), NEVER);
        Received received = server.take();

        server.answerAs(received, received.requestId() + 1, "not yours");
        server.answer(received, "yours");

        assertThat(text(request.future().get(10, TimeUnit.SECONDS))).isEqualTo("yours");
        assertThat(onLoop(channel, channel::unmatchedReplies)).isEqualTo(1);
        assertThat(onLoop(channel, channel::inFlightCount)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRequestWithoutReplyTimesOutAndItsLateReplyIsDropped(Kind kind) throws Exception {
        RequestChannel channel = open(kind);
        ReplyFuture unanswered = new ReplyFuture();
        channel.send(unanswered, request("88.100.1/A"), SHORT);
        Received late = server.take();

        assertThat(unanswered.future()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
        assertThat(onLoop(channel, channel::inFlightCount)).isZero();

        server.answer(late, "too late");
        ReplyFuture next = new ReplyFuture();
        channel.send(next, request("88.100.1/B"), NEVER);
        server.answer(server.take(), "in time");

        assertThat(text(next.future().get(10, TimeUnit.SECONDS))).isEqualTo("in time");
        assertThat(onLoop(channel, channel::unmatchedReplies)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closingTheChannelFailsEveryRequestInFlight(Kind kind) throws Exception {
        RequestChannel channel = open(kind);
        List<ReplyFuture> requests = List.of(new ReplyFuture(), new ReplyFuture(), new ReplyFuture());
        for (ReplyFuture r : requests) {
            channel.send(r, request("88.100.1/X"), NEVER);
        }
        for (int i = 0; i < requests.size(); i++) {
            server.take(); // every request was written before the close
        }

        channel.close().sync();

        for (ReplyFuture r : requests) {
            assertThat(r.future()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ClosedChannelException.class);
        }
        assertThat(onLoop(channel, channel::inFlightCount)).isZero();
    }

    @Test
    void aConnectionTheServerClosesFailsItsRequests() throws Exception {
        RequestChannel channel = open(Kind.TCP);
        ReplyFuture first = new ReplyFuture();
        ReplyFuture second = new ReplyFuture();
        channel.send(first, request("88.100.1/A"), NEVER);
        channel.send(second, request("88.100.1/B"), NEVER);
        Received received = server.take();
        server.take();

        received.channel().close();

        for (ReplyFuture r : List.of(first, second)) {
            assertThat(r.future()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IOException.class);
        }
        channel.closeFuture().get(10, TimeUnit.SECONDS);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aReplyStreamWithABadEnvelopeFailsWhatIsInFlightWithTheFrameError() throws Exception {
        RequestChannel channel = open(Kind.TCP);
        ReplyFuture request = new ReplyFuture();
        channel.send(request, request("88.100.1/A"), NEVER);
        Received received = server.take();
        byte[] bad = ScriptedServer.reply(received.requestId(), "x");
        bad[0] = 9; // protocol major version 9

        server.write(received, Unpooled.wrappedBuffer(bad));

        assertThat(request.future()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(HandleFrameException.class);
    }

    @Test
    void aReplyInSeveralDatagramsIsReassembledWhateverTheirOrder() throws Exception {
        RequestChannel channel = open(Kind.UDP);
        ReplyFuture request = new ReplyFuture();
        channel.send(request, request("88.100.1/BIG"), NEVER);
        String big = "v".repeat(1500); // four datagrams (§1.3), sent last chunk first

        server.answer(server.take(), big);

        assertThat(text(request.future().get(10, TimeUnit.SECONDS))).isEqualTo(big);
        assertThat(onLoop(channel, channel::unmatchedReplies)).isZero();
    }

    @Test
    void aTimedOutUdpRequestResentUnderItsIdTakesTheReplyToAnyAttempt() throws Exception {
        RequestChannel channel = open(Kind.UDP);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        PendingRequest retrying = new PendingRequest() {
            int attempts = 1;

            @Override
            protected boolean replied(ByteBuf frame) {
                outcome.complete(text(frame) + " after " + attempts + " attempts");
                return true;
            }

            @Override
            protected void failed(Throwable cause) {
                outcome.completeExceptionally(cause);
            }

            @Override
            protected void timedOut() {
                if (attempts++ < 2) {
                    channel.resend(this, request("88.100.1/A"), NEVER);
                } else {
                    outcome.completeExceptionally(new TimeoutException());
                }
            }
        };
        channel.send(retrying, request("88.100.1/A"), SHORT);
        Received first = server.take();
        Received second = server.take(); // sent once the first attempt timed out

        server.answer(first, "answer to the first attempt");

        assertThat(second.requestId()).isEqualTo(first.requestId()).isEqualTo(retrying.requestId());
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("answer to the first attempt after 2 attempts");
        assertThat(onLoop(channel, channel::inFlightCount)).isZero();
    }

    @Test
    void aRequestStaysInFlightUntilItsLastReply() throws Exception {
        RequestChannel channel = open(Kind.TCP);
        List<String> parts = new ArrayList<>();
        CompletableFuture<List<String>> outcome = new CompletableFuture<>();
        PendingRequest continued = new PendingRequest() {
            @Override
            protected boolean replied(ByteBuf frame) {
                parts.add(text(frame));
                boolean last = parts.size() == 2;
                if (last) {
                    outcome.complete(List.copyOf(parts));
                }
                return last;
            }

            @Override
            protected void failed(Throwable cause) {
                outcome.completeExceptionally(cause);
            }

            @Override
            protected void timedOut() {
                outcome.completeExceptionally(new TimeoutException());
            }
        };
        channel.send(continued, request("88.100.1/LIST"), NEVER);
        Received received = server.take();

        server.answer(received, "part 1");
        server.answer(received, "part 2");
        server.answer(received, "part 3");

        assertThat(outcome.get(10, TimeUnit.SECONDS)).containsExactly("part 1", "part 2");
        ReplyFuture after = new ReplyFuture();
        channel.send(after, request("88.100.1/B"), NEVER);
        server.answer(server.take(), "next");
        assertThat(text(after.future().get(10, TimeUnit.SECONDS))).isEqualTo("next");
        assertThat(onLoop(channel, channel::unmatchedReplies)).isEqualTo(1); // part 3
        assertThat(onLoop(channel, channel::inFlightCount)).isZero();
    }

    @Test
    void aRequestInFlightCannotBeSentTwice() throws Exception {
        RequestChannel channel = open(Kind.TCP);
        ReplyFuture request = new ReplyFuture();
        channel.send(request, request("88.100.1/A"), NEVER);
        ByteBuf again = request("88.100.1/A");

        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> channel.send(request, again, NEVER),
                channel.loop());

        assertThat(second).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        assertThat(again.refCnt()).isZero();
        server.answer(server.take(), "once");
        assertThat(text(request.future().get(10, TimeUnit.SECONDS))).isEqualTo("once");
        assertThat(server.nothingReceived()).isTrue();
    }
}
