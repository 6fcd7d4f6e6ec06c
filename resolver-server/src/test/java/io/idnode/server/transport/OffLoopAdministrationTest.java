package io.idnode.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.MessageCodec;
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
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TCP shell answers resolutions on the event loop but hands administrative requests to the blocking
 * executor, and writes the reply back on the channel when that executor has run them; replies to one read
 * batch are flushed together when the batch ends.
 */
class OffLoopAdministrationTest {
    private static final KeyFiles KEY_FILES = new KeyFiles(CryptoFixtures.PROVIDERS);

    final List<Runnable> tasks = new ArrayList<>();

    EmbeddedChannel channel() {
        KeyPair keys = KEY_FILES.generateRsa(new SecureRandom());
        InMemoryRecordStore store = new InMemoryRecordStore();
        store.put(HandleRecord.of("88.100.1/A", List.of(HandleValue.builder(1, "URL").data("u").build())));
        RequestChain chain = NodeFixtures.chain(store, keys.getPrivate(), keys.getPublic()).build();
        return new Transports(chain, tasks::add).tcp();
    }

    static ByteBuf frame(OpCode op, MessageBody body) {
        MessageHeader h = new MessageHeader(op, ResponseCode.RESERVED, OpFlags.RECURSIVE | OpFlags.PUBLIC_ONLY, 1, 0,
                System.currentTimeMillis() / 1000 + 600);
        return Unpooled.wrappedBuffer(MessageCodec.DEFAULT.encode(Message.of(Envelope.request(0, 5), h, body)));
    }

    static Message read(EmbeddedChannel ch) throws Exception {
        ByteBuf out = ch.readOutbound();
        try {
            return MessageCodec.DEFAULT.decode(ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }

    @Test
    void resolutionIsAnsweredOnTheEventLoop() throws Exception {
        EmbeddedChannel ch = channel();
        ch.writeInbound(frame(OpCode.RESOLUTION, new ResolutionRequest("88.100.1/A", null, null, null)));
        assertThat(tasks).isEmpty();
        assertThat(read(ch).responseCode()).isEqualTo(ResponseCode.SUCCESS);
        ch.finishAndReleaseAll();
    }

    @Test
    void administrationRunsOnTheExecutorAndRepliesOnTheChannel() throws Exception {
        EmbeddedChannel ch = channel();
        ch.writeInbound(frame(OpCode.DELETE_HANDLE, new HandleRequest("88.100.1/A")));
        assertThat(tasks).hasSize(1);
        assertThat((Object) ch.readOutbound()).isNull();
        tasks.remove(0).run();
        ch.runPendingTasks();
        Message challenge = read(ch);
        assertThat(challenge.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        assertThat(challenge.opCode()).isEqualTo(OpCode.DELETE_HANDLE);
        ch.finishAndReleaseAll();
    }

    @Test
    void repliesToOneReadBatchAreFlushedOnceAtReadComplete() throws Exception {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireChannelRead(frame(OpCode.RESOLUTION, new ResolutionRequest("88.100.1/A", null, null, null)));
        ch.pipeline().fireChannelRead(frame(OpCode.RESOLUTION, new ResolutionRequest("88.100.1/B", null, null, null)));
        // Written but not flushed while the batch is being read: nothing has reached the socket yet.
        assertThat((Object) ch.readOutbound()).isNull();
        ch.pipeline().fireChannelReadComplete();
        assertThat(read(ch).responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(read(ch).responseCode()).isEqualTo(ResponseCode.HANDLE_NOT_FOUND);
        ch.finishAndReleaseAll();
    }

    @Test
    void aReplyWrittenOutsideAReadIsFlushedAtOnce() throws Exception {
        EmbeddedChannel ch = channel();
        ch.writeInbound(frame(OpCode.DELETE_HANDLE, new HandleRequest("88.100.1/A")));
        // The executor runs after the read batch has completed: its reply must not wait for another read.
        tasks.remove(0).run();
        ch.runPendingTasks();
        assertThat(read(ch).responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        ch.finishAndReleaseAll();
    }
}
