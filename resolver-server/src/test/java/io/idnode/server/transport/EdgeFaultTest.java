package io.idnode.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.handler.AuditLog;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.store.StoreException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Faults are never silent: a link that fails with anything but a store failure reaches the transport's edge,
 * which logs the exception with its stack trace and answers 2, on TCP, on UDP and off the event loop; a store
 * failure is answered 2 without a log line.
 */
class EdgeFaultTest {
    static final String BUG = "88.100.1/BUG";
    static final String STORE = "88.100.1/STORE";
    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);
    static final InetSocketAddress NODE = new InetSocketAddress("127.0.0.1", 2641);

    final List<Runnable> tasks = new ArrayList<>();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger edgeLogger = (Logger) LoggerFactory.getLogger(ReplyWriter.class);
    Transports transports;

    @BeforeEach
    void setUp() {
        log.start();
        edgeLogger.addAppender(log);
        KeyPair keys = new KeyFiles(CryptoFixtures.PROVIDERS).generateRsa(new SecureRandom());
        InMemoryRecordStore store = new InMemoryRecordStore();
        store.put(HandleRecord.of("88.100.1/A", List.of(HandleValue.builder(1, "URL").data("u").build())));
        // A link failing for two handles, as a bug and as a store failure would, and passing on the rest.
        RequestChain chain = NodeFixtures.chain(store, keys.getPrivate(), keys.getPublic())
                .auditLog(AuditLog.NONE)
                .interpose(rest -> (request, context, out) -> {
                    String handle = request.body() instanceof ResolutionRequest r ? r.handle()
                            : request.body() instanceof HandleRequest h ? h.handle() : "";
                    if (handle.equals(BUG)) {
                        throw new IllegalStateException("a bug in a link");
                    }
                    if (handle.equals(STORE)) {
                        throw new StoreException("store db: get failed");
                    }
                    rest.handle(request, context, out);
                }).build();
        transports = new Transports(chain, tasks::add);
    }

    @AfterEach
    void tearDown() {
        edgeLogger.detachAppender(log);
    }

    static byte[] frame(OpCode op, MessageBody body) {
        MessageHeader h = new MessageHeader(op, ResponseCode.RESERVED, OpFlags.RECURSIVE | OpFlags.PUBLIC_ONLY, 1, 0,
                System.currentTimeMillis() / 1000 + 600);
        return MessageCodec.DEFAULT.encode(Message.of(Envelope.request(0, 77), h, body));
    }

    static Message decode(ByteBuf out) throws Exception {
        try {
            return MessageCodec.DEFAULT.decode(ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }

    EmbeddedChannel tcp() {
        return transports.tcp();
    }

    Message overTcp(EmbeddedChannel ch, byte[] frame) throws Exception {
        ch.writeInbound(Unpooled.wrappedBuffer(frame));
        return decode(ch.readOutbound());
    }

    void assertInternalError(Message reply) {
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.ERROR);
        assertThat(reply.requestId()).isEqualTo(77);
        assertThat(((ErrorResponse) reply.body()).message()).isEqualTo("internal error");
    }

    void assertLoggedWithStackTrace(String what) {
        assertThat(log.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).startsWith(what + " 77 from ").endsWith(" failed; answered 2");
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.getThrowableProxy().getMessage()).isEqualTo("a bug in a link");
            assertThat(e.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
        });
    }

    @Test
    void aFailingLinkIsLoggedAndAnsweredTwoOverTcpAndTheConnectionStaysUsable() throws Exception {
        EmbeddedChannel ch = tcp();
        assertInternalError(overTcp(ch, frame(OpCode.RESOLUTION, new ResolutionRequest(BUG, null, null, null))));
        assertLoggedWithStackTrace("RESOLUTION(1)");
        assertThat(ch.isActive()).isTrue();
        Message next = overTcp(ch, frame(OpCode.RESOLUTION, new ResolutionRequest("88.100.1/A", null, null, null)));
        assertThat(next.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        ch.finishAndReleaseAll();
    }

    @Test
    void aFailingLinkIsLoggedAndAnsweredTwoOverUdp() throws Exception {
        EmbeddedChannel ch = transports.udp();
        byte[] request = frame(OpCode.RESOLUTION, new ResolutionRequest(BUG, null, null, null));
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(request), NODE, CLIENT));
        DatagramPacket reply = ch.readOutbound();
        assertThat(reply.recipient()).isEqualTo(CLIENT);
        assertInternalError(decode(reply.content()));
        assertLoggedWithStackTrace("RESOLUTION(1)");
        ch.finishAndReleaseAll();
    }

    @Test
    void aFailureOffTheEventLoopIsLoggedAndAnsweredTwo() throws Exception {
        EmbeddedChannel ch = tcp();
        ch.writeInbound(Unpooled.wrappedBuffer(frame(OpCode.DELETE_HANDLE, new HandleRequest(BUG))));
        assertThat(tasks).hasSize(1);
        tasks.remove(0).run();
        ch.runPendingTasks();
        assertInternalError(decode(ch.readOutbound()));
        assertLoggedWithStackTrace("DELETE_HANDLE(101)");
        ch.finishAndReleaseAll();
    }

    @Test
    void aStoreFailureIsAnsweredTwoWithoutALogLine() throws Exception {
        EmbeddedChannel ch = tcp();
        assertInternalError(overTcp(ch, frame(OpCode.RESOLUTION, new ResolutionRequest(STORE, null, null, null))));
        assertThat(log.list).isEmpty();
        ch.finishAndReleaseAll();
    }
}
