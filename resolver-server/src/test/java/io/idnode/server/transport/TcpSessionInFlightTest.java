package io.idnode.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.budget.SourceQuota;
import io.idnode.codec.Limits;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.netty.HandleFrameDecoder;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.crypto.session.SessionKeys;
import io.idnode.handler.session.Session;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
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
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TCP connection has at most {@link TcpLimits#MAX_IN_FLIGHT} requests waiting for the blocking executor until
 * a reply sealed in an authenticated session has gone to it; from then on {@link TcpLimits#sessionInFlight()}.
 * A sender in a session that never authenticated, or one naming an authenticated session without its key,
 * stays at the strangers' bound. The blocking executor is a list of tasks run by hand.
 */
class TcpSessionInFlightTest {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);
    private static final SessionKeys SESSION_KEYS = new SessionKeys(CryptoFixtures.PROVIDERS);
    private static final int SESSION_IN_FLIGHT = 32;
    private static final ValueReference IDENTITY = new ValueReference("88.100.1/LINE-1", 300);

    final List<Runnable> tasks = new ArrayList<>();
    RequestChain chain;
    EmbeddedChannel ch;
    int nextRequestId = 100;

    @BeforeEach
    void setUp() {
        KeyPair keys = KEY_FILES.generateRsa(new SecureRandom());
        InMemoryRecordStore store = new InMemoryRecordStore();
        store.put(HandleRecord.of("88.100.1/A", List.of(HandleValue.builder(1, "URL").data("u").build())));
        chain = NodeFixtures.chain(store, keys.getPrivate(), keys.getPublic()).build();
        Transports transports = new Transports(chain, tasks::add);
        TcpLimits limits = new TcpLimits(new SourceQuota(100, 10), Transports.IDLE, Transports.REQUEST_TIMEOUT,
                SESSION_IN_FLIGHT, transports.clock);
        HandleFrameDecoder decoder = new HandleFrameDecoder(Limits.MAX_MESSAGE_LENGTH, transports.frameMemory);
        ch = new EmbeddedChannel(decoder, new TcpServerHandler(transports.dispatcher, decoder, limits));
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
    }

    /** A session of {@link #IDENTITY} in the node's table, authenticated when {@code proved}. */
    Session session(byte[] key, boolean proved) {
        Envelope e = Envelope.request(0, 1);
        Session s = chain.sessions().open(key, e.majorVersion(), e.minorVersion(), IDENTITY, 600, null);
        if (proved) {
            assertThat(s.authenticate(IDENTITY)).isTrue();
        }
        return s;
    }

    /** {@code count} DELETE_HANDLE requests in session {@code id}, MAC-signed with {@code key}, counters from 1. */
    byte[] deletes(int id, byte[] key, int count) throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int counter = 1; counter <= count; counter++) {
            MessageHeader h = new MessageHeader(OpCode.DELETE_HANDLE, ResponseCode.RESERVED, OpFlags.RECURSIVE, 1, 0,
                    System.currentTimeMillis() / 1000 + 600);
            Message m = Message.of(Envelope.request(id, nextRequestId++), h, new HandleRequest("88.100.1/NONE"));
            ByteBuf hb = Unpooled.buffer();
            try {
                MessageCodec.DEFAULT.encodeHeaderAndBody(m, hb);
                Credential mac = SESSION_KEYS.macCredential(key, m.envelope(), counter, ByteBufUtil.getBytes(hb));
                stream.write(MessageCodec.DEFAULT.encode(m.withCredential(mac)));
            } finally {
                hb.release();
            }
        }
        return stream.toByteArray();
    }

    /** Runs the first task of the blocking executor, then what it left on the connection's loop. */
    void answerOne() {
        tasks.remove(0).run();
        ch.runPendingTasks();
    }

    /** The replies written so far. */
    List<Message> replies() throws Exception {
        List<Message> out = new ArrayList<>();
        ByteBuf frame;
        while ((frame = ch.readOutbound()) != null) {
            try {
                out.add(MessageCodec.DEFAULT.decode(ByteBufUtil.getBytes(frame)));
            } finally {
                frame.release();
            }
        }
        return out;
    }

    @Test
    void aConnectionCarryingAnAuthenticatedSessionTakesMoreRequestsOnceItsFirstIsAnswered() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Session s = session(key, true);

        ch.writeInbound(Unpooled.wrappedBuffer(deletes(s.id(), key, 40)));

        assertThat(tasks).as("nothing proved yet: a stranger's bound").hasSize(TcpLimits.MAX_IN_FLIGHT);
        assertThat(ch.config().isAutoRead()).isFalse();
        answerOne();
        List<Message> first = replies();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).sessionId()).isEqualTo(s.id());
        assertThat(first.get(0).credential()).as("sealed in the session").isNotNull();
        assertThat(tasks).as("the session's bound, less the one answered").hasSize(SESSION_IN_FLIGHT);
        assertThat(ch.config().isAutoRead()).isFalse();
        while (!tasks.isEmpty()) {
            answerOne();
        }
        assertThat(replies()).hasSize(39);
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void aSessionThatNeverAuthenticatedKeepsTheStrangersBound() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Session s = session(key, false);

        ch.writeInbound(Unpooled.wrappedBuffer(deletes(s.id(), key, 40)));
        answerOne();

        assertThat(replies()).singleElement().satisfies(r -> assertThat(r.credential()).isNotNull());
        assertThat(tasks).hasSize(TcpLimits.MAX_IN_FLIGHT);
        assertThat(ch.config().isAutoRead()).isFalse();
    }

    @Test
    void anAuthenticatedSessionNamedWithoutItsKeyKeepsTheStrangersBound() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Session s = session(key, true);
        byte[] wrong = key.clone();
        wrong[0] ^= 1;

        ch.writeInbound(Unpooled.wrappedBuffer(deletes(s.id(), wrong, 40)));
        answerOne();

        assertThat(replies()).singleElement().satisfies(r -> {
            assertThat(r.responseCode()).isEqualTo(ResponseCode.INVALID_SESSION_KEY);
            assertThat(r.credential()).as("not sealed: the MAC did not verify").isNull();
        });
        assertThat(tasks).hasSize(TcpLimits.MAX_IN_FLIGHT);
        assertThat(ch.config().isAutoRead()).isFalse();
    }
}
