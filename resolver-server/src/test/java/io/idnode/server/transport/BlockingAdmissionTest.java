package io.idnode.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.budget.MessageFootprint;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.handler.RequestContext;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Work for the blocking executor is admitted only while it can be done in time: a full queue (by count or
 * by bytes), event loops with too many tasks, or a wait in the queue beyond the maximum are each answered
 * 3 (server too busy) and counted; what is admitted runs knowing the address it came from.
 */
class BlockingAdmissionTest {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.9", 40_000);
    private static final InetSocketAddress NODE = new InetSocketAddress("127.0.0.1", 2641);
    private static final byte[] DELETE = frame(7, OpCode.DELETE_HANDLE, new HandleRequest("88.100.1/A"));

    final List<Runnable> tasks = new ArrayList<>();
    final List<RequestContext> contexts = new ArrayList<>();
    EmbeddedChannel ch;

    Transports transports(Executor blocking, long queueBytes) {
        KeyPair keys = KEY_FILES.generateRsa(new SecureRandom());
        InMemoryRecordStore store = new InMemoryRecordStore();
        store.put(HandleRecord.of("88.100.1/A", List.of(HandleValue.builder(1, "URL").data("u").build())));
        RequestChain chain = NodeFixtures.chain(store, keys.getPrivate(), keys.getPublic())
                .interpose(rest -> (request, context, out) -> {
                    contexts.add(context);
                    rest.handle(request, context, out);
                }).build();
        return new Transports(chain, blocking, queueBytes);
    }

    @AfterEach
    void tearDown() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    static byte[] frame(int requestId, OpCode op, HandleRequest body) {
        MessageHeader h = new MessageHeader(op, ResponseCode.RESERVED, OpFlags.RECURSIVE, 1, 0,
                System.currentTimeMillis() / 1000 + 600);
        return MessageCodec.DEFAULT.encode(Message.of(Envelope.request(0, requestId), h, body));
    }

    /** Sends the delete over UDP from {@link #CLIENT}. */
    void send() {
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(DELETE), NODE, CLIENT));
    }

    Message reply() throws Exception {
        DatagramPacket packet = ch.readOutbound();
        ByteBuf content = packet.content();
        try {
            return MessageCodec.DEFAULT.decode(ByteBufUtil.getBytes(content));
        } finally {
            packet.release();
        }
    }

    void assertTooBusy(Message reply) {
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SERVER_TOO_BUSY);
        assertThat(reply.requestId()).isEqualTo(7);
        assertThat(((ErrorResponse) reply.body()).message()).isEqualTo("server too busy, try again");
    }

    static long footprint() throws Exception {
        return MessageFootprint.of(MessageCodec.DEFAULT.decode(DELETE));
    }

    @Test
    void admittedWorkRunsWithTheAddressItCameFromAndGivesBackItsBytes() throws Exception {
        Transports t = transports(tasks::add, 16 << 20);
        ch = t.udp();

        send();

        assertThat(t.queueMemory.used()).isEqualTo(footprint());
        tasks.remove(0).run();
        assertThat(t.queueMemory.used()).isZero();
        assertThat(reply().responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        assertThat(contexts).singleElement().satisfies(c ->
                assertThat(c.source()).isEqualTo(InetAddress.getByName("127.0.0.9")));
    }

    @Test
    void workBeyondTheQueuesMemoryIsTooBusy() throws Exception {
        Transports t = transports(tasks::add, 2 * footprint());
        ch = t.udp();

        for (int i = 0; i < 3; i++) {
            send();
        }

        assertThat(tasks).hasSize(2);
        assertTooBusy(reply());
        assertThat(t.queueMemory.refused()).isEqualTo(1);
        assertThat(t.queueMemory.used()).isEqualTo(2 * footprint());
    }

    @Test
    void workTheExecutorCannotQueueIsTooBusyAndHoldsNoBytes() throws Exception {
        Transports t = transports(task -> {
            throw new RejectedExecutionException("full");
        }, 16 << 20);
        ch = t.udp();

        send();

        assertTooBusy(reply());
        assertThat(t.dispatcher.refusedQueueLength()).isEqualTo(1);
        assertThat(t.queueMemory.used()).isZero();
    }

    @Test
    void workThatWaitedLongerThanTheMaximumIsAnsweredTooBusyInsteadOfRun() throws Exception {
        Transports t = transports(tasks::add, 16 << 20);
        ch = t.udp();
        send();
        send();

        tasks.remove(0).run();
        t.clock.advance(Transports.QUEUE_WAIT.plusMillis(1));
        tasks.remove(0).run();

        assertThat(reply().responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        assertTooBusy(reply());
        assertThat(contexts).hasSize(1);
        assertThat(t.dispatcher.refusedQueueWait()).isEqualTo(1);
        assertThat(t.queueMemory.used()).isZero();
    }

    @Test
    void noWorkIsAdmittedWhileTheEventLoopsHaveTooManyTasks() throws Exception {
        Transports t = transports(tasks::add, 16 << 20);
        ch = t.udp();
        t.loopTasks = RequestDispatcher.MAX_LOOP_TASKS;

        send();

        assertThat(tasks).isEmpty();
        assertTooBusy(reply());
        assertThat(t.dispatcher.refusedLoopTasks()).isEqualTo(1);
        t.loopTasks = RequestDispatcher.MAX_LOOP_TASKS - 1;
        send();
        assertThat(tasks).hasSize(1);
    }
}
