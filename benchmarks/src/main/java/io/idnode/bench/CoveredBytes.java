package io.idnode.bench;

import io.idnode.codec.MessageCodec;
import io.idnode.loadgen.SampleRecords;
import io.idnode.model.HandleRecord;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** The header and body bytes of a typical reply: what signatures and session MACs cover (§2.3). */
final class CoveredBytes {
    private CoveredBytes() {
    }

    static byte[] typicalReply() {
        HandleRecord record = SampleRecords.record(BenchNode.PREFIX + "/P00000042", 1_700_000_000);
        MessageHeader header = new MessageHeader(OpCode.RESOLUTION, ResponseCode.SUCCESS,
                OpFlags.AUTHORITATIVE | OpFlags.CERTIFY, 1, 0, 2_000_000_000L);
        Message reply = Message.of(Envelope.request(0, 1).replyEnvelope(0), header,
                new ResolutionResponse(record.handle(), record.values()));
        ByteBuf out = Unpooled.buffer(512);
        try {
            MessageCodec.DEFAULT.encodeHeaderAndBody(reply, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
