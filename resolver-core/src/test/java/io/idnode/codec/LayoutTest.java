package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageHeader;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The named offsets of the envelope and header lie where the golden frames have those fields. */
class LayoutTest {

    static Stream<String> frames() {
        List<String> names = new ArrayList<>();
        for (String file : List.of(Vectors.HANDLE, Vectors.CN)) {
            Vectors.all(file).stream().filter(v -> v.has("tcp_hex")).forEach(v -> names.add(v.get("name").asText()));
        }
        assertThat(names).hasSizeGreaterThan(50);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("frames")
    void envelopeFieldsLieAtTheirOffsets(String name) throws CodecException {
        JsonNode v = Vectors.vector(name);
        byte[] tcp = hex(v.get("tcp_hex").asText());
        ByteBuffer b = ByteBuffer.wrap(tcp);
        Envelope e = MessageCodec.DEFAULT.decodeEnvelope(tcp, 0);

        assertThat(hex(v.get("envelope_hex").asText())).hasSize(EnvelopeLayout.LENGTH);
        assertThat(b.get(EnvelopeLayout.MAJOR_VERSION) & 0xFF).isEqualTo(e.majorVersion());
        assertThat(b.get(EnvelopeLayout.MINOR_VERSION) & 0xFF).isEqualTo(e.minorVersion());
        assertThat(b.get(EnvelopeLayout.FLAGS) & 0xE0).isEqualTo(e.flags());
        assertThat(b.get(EnvelopeLayout.FLAGS) & 0x03).isEqualTo(e.suggestedMajor());
        assertThat(b.get(EnvelopeLayout.SUGGESTED_MINOR) & 0xFF).isEqualTo(e.suggestedMinor());
        assertThat(b.getInt(EnvelopeLayout.SESSION_ID)).isEqualTo(e.sessionId());
        assertThat(b.getInt(EnvelopeLayout.REQUEST_ID)).isEqualTo(e.requestId());
        assertThat(b.getInt(EnvelopeLayout.MESSAGE_ID)).isEqualTo(e.messageId());
        assertThat(b.getInt(EnvelopeLayout.MESSAGE_LENGTH)).isEqualTo(e.messageLength())
                .isEqualTo(tcp.length - EnvelopeLayout.LENGTH);
    }

    @ParameterizedTest
    @MethodSource("frames")
    void headerFieldsLieAtTheirOffsets(String name) throws CodecException {
        JsonNode v = Vectors.vector(name);
        byte[] tcp = hex(v.get("tcp_hex").asText());
        MessageHeader h = MessageCodec.DEFAULT.decode(tcp).header();
        if (h == null) {
            return; // an encrypted message: its header is ciphertext
        }
        ByteBuffer b = ByteBuffer.wrap(tcp, EnvelopeLayout.LENGTH, tcp.length - EnvelopeLayout.LENGTH).slice();
        JsonNode f = v.get("header_fields");

        assertThat(hex(v.get("header_hex").asText())).hasSize(HeaderLayout.LENGTH);
        assertThat(b.getInt(HeaderLayout.OP_CODE)).isEqualTo(h.opCode().code()).isEqualTo(f.get("opCode").asInt());
        assertThat(b.getInt(HeaderLayout.RESPONSE_CODE)).isEqualTo(h.responseCode().code())
                .isEqualTo(f.get("responseCode").asInt());
        assertThat(b.getInt(HeaderLayout.OP_FLAGS)).isEqualTo(h.opFlags());
        assertThat(b.getShort(HeaderLayout.SITE_INFO_SERIAL) & 0xFFFF).isEqualTo(h.siteInfoSerial());
        assertThat(b.get(HeaderLayout.RECURSION_COUNT) & 0xFF).isEqualTo(h.recursionCount());
        assertThat(b.get(HeaderLayout.RESERVED)).isZero();
        assertThat(b.getInt(HeaderLayout.EXPIRATION) & 0xFFFF_FFFFL).isEqualTo(h.expiration())
                .isEqualTo(f.get("expiration").asLong());
        assertThat(b.getInt(HeaderLayout.BODY_LENGTH)).isEqualTo(f.get("bodyLength").asInt());
    }

    @Test
    void writtenEnvelopeAndHeaderPutEachFieldAtItsOffset() throws CodecException {
        Message m = MessageCodec.DEFAULT.decode(hex(Vectors.vector("session_request_mac").get("tcp_hex").asText()));
        Envelope e = new Envelope(2, 7, Envelope.TRUNCATED, 1, 9, 0x01020304, 0x05060708, 0x090A0B0C, 0);
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeByte(0xEE); // the envelope is written at the writer index, not at 0
            MessageCodec.writeEnvelope(e, 0x0D0E0F10, out);
            MessageCodec.DEFAULT.encodeHeaderAndBody(m, out);
            ByteBuffer b = ByteBuffer.wrap(ByteBufUtil.getBytes(out, 1, out.readableBytes() - 1));

            assertThat(b.get(EnvelopeLayout.MAJOR_VERSION)).isEqualTo((byte) 2);
            assertThat(b.get(EnvelopeLayout.MINOR_VERSION)).isEqualTo((byte) 7);
            assertThat(b.get(EnvelopeLayout.FLAGS)).isEqualTo((byte) (Envelope.TRUNCATED | 1));
            assertThat(b.get(EnvelopeLayout.SUGGESTED_MINOR)).isEqualTo((byte) 9);
            assertThat(b.getInt(EnvelopeLayout.SESSION_ID)).isEqualTo(0x01020304);
            assertThat(b.getInt(EnvelopeLayout.REQUEST_ID)).isEqualTo(0x05060708);
            assertThat(b.getInt(EnvelopeLayout.MESSAGE_ID)).isEqualTo(0x090A0B0C);
            assertThat(b.getInt(EnvelopeLayout.MESSAGE_LENGTH)).isEqualTo(0x0D0E0F10);
            assertThat(b.position(EnvelopeLayout.LENGTH).slice()).isEqualTo(ByteBuffer.wrap(m.headerAndBody().toByteArray()));
        } finally {
            out.release();
        }
    }

    @Test
    void aDatagramHoldsTheEnvelopeAndOneChunkOf492Bytes() {
        assertThat(Limits.UDP_CHUNK).isEqualTo(492);
        assertThat(EnvelopeLayout.LENGTH + Limits.UDP_CHUNK).isEqualTo(Limits.MAX_UDP_DATAGRAM);
    }
}
