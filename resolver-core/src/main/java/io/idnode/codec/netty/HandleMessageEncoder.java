package io.idnode.codec.netty;

import io.idnode.codec.MessageCodec;
import io.idnode.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link Message} as one frame (envelope + message) with {@link MessageCodec#DEFAULT}, for TCP and
 * HTTP pipelines (handle-protocol.md §1.4). Stateless and sharable.
 */
@Sharable
public final class HandleMessageEncoder extends MessageToByteEncoder<Message> {
    /** The shared instance. */
    public static final HandleMessageEncoder INSTANCE = new HandleMessageEncoder();

    private HandleMessageEncoder() {
        super(Message.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
        MessageCodec.DEFAULT.encode(msg, out);
    }
}
