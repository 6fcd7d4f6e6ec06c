package io.idnode.codec;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.model.ValueReference;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.CreateHandleResponse;
import io.idnode.protocol.MessageBody.EmptyBody;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.OpaqueBody;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.VerifyChallengeRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ProtocolVersion;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Envelope rules, framing rules and the lenient spots of the decoder. */
class MessageCodecTest {
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;
    private static final Requests REQUESTS = Requests.expiringAt(2_000_000_000L).withSiteInfoSerial(1);

    private static byte[] vector(String name) {
        return hex(Vectors.vector(name).get("tcp_hex").asText());
    }

    private static byte[] withInt(byte[] b, int offset, int value) {
        byte[] copy = b.clone();
        ByteBuffer.wrap(copy).putInt(offset, value);
        return copy;
    }

    @Test
    void envelopeSuggestedVersionFallsBackToOwnVersionWhenLowBitsAreZero() throws CodecException {
        byte[] env = hex("020b200700000001000000020000000300000004");
        Envelope e = CODEC.decodeEnvelope(env, 0);
        assertThat(e.flags()).isEqualTo(Envelope.TRUNCATED);
        assertThat(e.suggestedMajor()).isEqualTo(2);
        assertThat(e.suggestedMinor()).isEqualTo(11);
        assertThat(List.of(e.sessionId(), e.requestId(), e.messageId(), e.messageLength())).containsExactly(1, 2, 3, 4);

        Envelope suggested = CODEC.decodeEnvelope(hex("ff000203420b00000000000000000000000000000000"), 2);
        assertThat(suggested.minorVersion()).isEqualTo(3);
        assertThat(suggested.flags()).isEqualTo(Envelope.ENCRYPTED);
        assertThat(suggested.suggestedVersion()).isEqualTo(ProtocolVersion.of(2, 11));
    }

    @Test
    void envelopeIgnoresReservedFlagBits() throws CodecException {
        Envelope e = CODEC.decodeEnvelope(hex("020b1e0b0000000000000000000000000000001c"), 0);
        assertThat(e.flags()).isZero();
        assertThat(e.suggestedMajor()).isEqualTo(2);
    }

    @Test
    void envelopeRejectsOtherMajorVersionsAndBadLengths() {
        assertThatThrownBy(() -> CODEC.decodeEnvelope(hex("010b020b0000000000000000000000000000001c"), 0))
                .isInstanceOf(CodecException.class).hasMessageContaining("major");
        assertThatThrownBy(() -> CODEC.decodeEnvelope(hex("020b020b00000000000000000000000080000000"), 0))
                .isInstanceOf(CodecException.class).hasMessageContaining("length");
        assertThatThrownBy(() -> CODEC.decodeEnvelope(hex("020b020b00000000000000000000000000040001"), 0))
                .isInstanceOf(CodecException.class)
                .satisfies(e -> assertThat(((CodecException) e).responseCode()).isEqualTo(ResponseCode.PROTOCOL_ERROR));
        assertThatThrownBy(() -> CODEC.decodeEnvelope(new byte[19], 0)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> CODEC.decodeEnvelope(new byte[EnvelopeLayout.LENGTH], 1)).isInstanceOf(CodecException.class);
    }

    @Test
    void frameLengthMustMatchTheEnvelope() {
        byte[] tcp = vector("resolution_request_all");
        assertThatThrownBy(() -> CODEC.decode(Arrays.copyOf(tcp, tcp.length + 1)))
                .isInstanceOf(CodecException.class).hasMessageContaining("announces");
        assertThatThrownBy(() -> CODEC.decode(Arrays.copyOf(tcp, tcp.length - 1)))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void messageMayEndAfterTheBodyButNotInsideTheCredentialLength() throws CodecException {
        byte[] tcp = vector("resolution_request_all");
        int bodyEnd = tcp.length - 4;
        Message noCredentialWord = CODEC.decode(withInt(Arrays.copyOf(tcp, bodyEnd), EnvelopeLayout.MESSAGE_LENGTH, bodyEnd - EnvelopeLayout.LENGTH));
        assertThat(noCredentialWord.credential()).isNull();
        assertThat(noCredentialWord.body()).isInstanceOf(ResolutionRequest.class);

        for (int cut = 1; cut < 4; cut++) {
            byte[] partial = withInt(Arrays.copyOf(tcp, bodyEnd + cut), EnvelopeLayout.MESSAGE_LENGTH,
                    bodyEnd + cut - EnvelopeLayout.LENGTH);
            assertThatThrownBy(() -> CODEC.decode(partial)).isInstanceOf(CodecException.class);
        }
    }

    @Test
    void bytesAfterTheCredentialSectionAreRejected() {
        byte[] tcp = vector("resolution_request_all");
        byte[] longer = withInt(Arrays.copyOf(tcp, tcp.length + 2), EnvelopeLayout.MESSAGE_LENGTH,
                tcp.length + 2 - EnvelopeLayout.LENGTH);
        assertThatThrownBy(() -> CODEC.decode(longer)).isInstanceOf(CodecException.class)
                .hasMessageContaining("trailing");

        byte[] signed = vector("resolution_response_certified_rsa");
        byte[] signedLonger = withInt(Arrays.copyOf(signed, signed.length + 1), EnvelopeLayout.MESSAGE_LENGTH,
                signed.length + 1 - EnvelopeLayout.LENGTH);
        assertThatThrownBy(() -> CODEC.decode(signedLonger)).isInstanceOf(CodecException.class);
    }

    @Test
    void credentialLengthBeyondTheMessageIsRejected() {
        byte[] tcp = vector("resolution_request_all");
        byte[] bad = withInt(tcp, tcp.length - 4, 1);
        assertThatThrownBy(() -> CODEC.decode(bad)).isInstanceOf(CodecException.class);
        byte[] huge = withInt(tcp, tcp.length - 4, Integer.MAX_VALUE);
        assertThatThrownBy(() -> CODEC.decode(huge)).isInstanceOf(CodecException.class);
    }

    @Test
    void resolutionRequestIgnoresTrailingBytesThatAreNotAnAuthString() throws CodecException {
        byte[] frame = CODEC.encode(REQUESTS.withRequestId(7).resolution("88.100.1/X", List.of("URL")));
        // Append two stray bytes inside the body region: bodyLength and messageLength grow by two.
        int bodyEnd = frame.length - 4;
        byte[] junk = new byte[frame.length + 2];
        System.arraycopy(frame, 0, junk, 0, bodyEnd);
        junk[bodyEnd] = 5;
        junk[bodyEnd + 1] = 6;
        ByteBuffer b = ByteBuffer.wrap(junk);
        int bodyLength = EnvelopeLayout.LENGTH + HeaderLayout.BODY_LENGTH;
        b.putInt(EnvelopeLayout.MESSAGE_LENGTH, b.getInt(EnvelopeLayout.MESSAGE_LENGTH) + 2);
        b.putInt(bodyLength, b.getInt(bodyLength) + 2);
        Message m = CODEC.decode(junk);
        ResolutionRequest decoded = (ResolutionRequest) m.body();
        assertThat(decoded.handle()).isEqualTo("88.100.1/X");
        assertThat(decoded.types()).containsExactly("URL");
        assertThat(decoded.authString()).isNull();
        assertThat(m.headerAndBody().length()).isEqualTo(HeaderLayout.LENGTH + b.getInt(bodyLength));
    }

    @Test
    void unknownOpCodesDecodeToOpaqueBodies() throws CodecException {
        MessageHeader header = new MessageHeader(OpCode.valueOf(4242), ResponseCode.RESERVED, 0, 0xFFFF, 0, 0);
        byte[] raw = {1, 2, 3, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        byte[] frame = CODEC.encode(Message.of(Envelope.request(0, 1), header, new OpaqueBody(Bytes.wrap(raw))));
        Message m = CODEC.decode(frame);
        assertThat(m.opCode().code()).isEqualTo(4242);
        assertThat(((OpaqueBody) m.body()).bytes()).isEqualTo(Bytes.wrap(raw));

        MessageHeader dump = new MessageHeader(OpCode.DUMP_HANDLES, ResponseCode.RESERVED, 0, 0xFFFF, 0, 0);
        Message dumped = CODEC.decode(CODEC.encode(Message.of(Envelope.request(0, 1), dump, new OpaqueBody(Bytes.wrap(raw)))));
        assertThat(((OpaqueBody) dumped.body()).bytes()).isEqualTo(Bytes.wrap(raw));
    }

    @Test
    void successBodiesWithoutKnownLayoutAreKeptRaw() throws CodecException {
        MessageHeader txn = new MessageHeader(OpCode.GET_NEXT_TXN_ID, ResponseCode.SUCCESS, 0, 1, 0, 0);
        byte[] id = hex("0000000000000042");
        Message m = CODEC.decode(CODEC.encode(Message.of(Envelope.request(0, 1), txn, new OpaqueBody(Bytes.wrap(id)))));
        assertThat(((OpaqueBody) m.body()).bytes()).isEqualTo(Bytes.wrap(id));

        MessageHeader deleted = new MessageHeader(OpCode.DELETE_HANDLE, ResponseCode.SUCCESS, 0, 1, 0, 0);
        Message empty = CODEC.decode(CODEC.encode(Message.of(Envelope.request(0, 1), deleted, EmptyBody.INSTANCE)));
        assertThat(empty.body()).isSameAs(EmptyBody.INSTANCE);
    }

    @Test
    void emptyErrorBodyAndEmptyCreateResponseAreAccepted() throws CodecException {
        MessageHeader error = new MessageHeader(OpCode.RESERVED, ResponseCode.PROTOCOL_ERROR, 0, 1, 0, 0);
        Message e = CODEC.decode(CODEC.encode(Message.of(Envelope.request(0, 1), error, new OpaqueBody(Bytes.EMPTY))));
        assertThat(e.body()).isEqualTo(new ErrorResponse(""));

        MessageHeader created = new MessageHeader(OpCode.CREATE_HANDLE, ResponseCode.SUCCESS, 0, 1, 0, 0);
        Message c = CODEC.decode(CODEC.encode(Message.of(Envelope.request(0, 1), created, new CreateHandleResponse(null))));
        assertThat(c.body()).isEqualTo(new CreateHandleResponse(null));
        assertThat(c.headerAndBody().length()).isEqualTo(HeaderLayout.LENGTH);
    }

    @Test
    void verifyChallengeDigestMayBeFixedSize() throws CodecException {
        byte[] digest = new byte[20];
        Arrays.fill(digest, (byte) 7);
        Message m = CODEC.decode(CODEC.encode(REQUESTS.verifyChallenge(new ValueReference("0.NA/88.100.1", 310),
                new byte[] {1, 2}, new RequestDigest(RequestDigest.SHA1, digest), new byte[] {9})));
        VerifyChallengeRequest decoded = (VerifyChallengeRequest) m.body();
        assertThat(decoded.digest().hashType()).isEqualTo(RequestDigest.SHA1);
        assertThat(decoded.digest().digest()).isEqualTo(digest);
        assertThat(decoded.signedResponse()).containsExactly(9);
    }

    @Test
    void unknownRequestDigestTypeIsRejected() {
        byte[] tcp = vector("challenge_response_to_create");
        byte[] bad = tcp.clone();
        bad[EnvelopeLayout.LENGTH + HeaderLayout.LENGTH] = 9;
        assertThatThrownBy(() -> CODEC.decode(bad)).isInstanceOf(CodecException.class).hasMessageContaining("digest");
    }

    @Test
    void encoderRefusesAnRdFlagWithoutDigestAndADigestWithoutRdFlag() {
        MessageHeader rdResponse = new MessageHeader(OpCode.DELETE_HANDLE, ResponseCode.SUCCESS,
                OpFlags.REQUEST_DIGEST, 1, 0, 0);
        Message missing = Message.of(Envelope.request(0, 1), rdResponse, EmptyBody.INSTANCE);
        assertThatThrownBy(() -> CODEC.encode(missing)).isInstanceOf(IllegalArgumentException.class);

        MessageHeader plain = rdResponse.withFlags(0);
        Message extra = new Message(Envelope.request(0, 1), plain, new RequestDigest(3, new byte[32]),
                EmptyBody.INSTANCE, null, null);
        assertThatThrownBy(() -> CODEC.encode(extra)).isInstanceOf(IllegalArgumentException.class);

        Message wrongLength = new Message(Envelope.request(0, 1), rdResponse, new RequestDigest(3, new byte[20]),
                EmptyBody.INSTANCE, null, null);
        assertThatThrownBy(() -> CODEC.encode(wrongLength)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeFrameSignsExactlyTheEncodedHeaderAndBody() throws CodecException {
        Message m = CODEC.decode(vector("resolution_response_certified_rsa"));
        ByteBuf headerAndBody = Unpooled.buffer();
        ByteBuf frame = Unpooled.buffer();
        try {
            CODEC.encodeHeaderAndBody(m, headerAndBody);
            assertThat(Codecs.toArray(headerAndBody)).isEqualTo(m.headerAndBody().toByteArray());
            int readerIndex = headerAndBody.readerIndex();
            CODEC.encodeFrame(m.envelope(), headerAndBody, m.credential(), frame);
            assertThat(headerAndBody.readerIndex()).isEqualTo(readerIndex);
            assertThat(Codecs.toArray(frame)).isEqualTo(vector("resolution_response_certified_rsa"));
        } finally {
            headerAndBody.release();
            frame.release();
        }
    }

    @Test
    void unsignedFrameGetsAZeroCredentialLength() throws CodecException {
        Message m = CODEC.decode(vector("resolution_response_url_email_admin"));
        ByteBuf headerAndBody = Unpooled.wrappedBuffer(m.headerAndBody().toByteArray());
        ByteBuf frame = Unpooled.buffer();
        try {
            CODEC.encodeFrame(m.envelope(), headerAndBody, null, frame);
            assertThat(Codecs.toArray(frame)).isEqualTo(vector("resolution_response_url_email_admin"));
        } finally {
            headerAndBody.release();
            frame.release();
        }
    }

    @Test
    void credentialCodecRoundTripsAndChecksTheSignedInfoLength() throws CodecException {
        Credential mac = Credential.mac(7, "HMAC-SHA256", Bytes.wrap(new byte[] {1, 2, 3}));
        byte[] encoded = CredentialCodec.encode(mac);
        Credential back = CredentialCodec.decode(encoded);
        assertThat(back).isEqualTo(mac);

        // signedInfoLength is at offset 4+4+4 + 4+len("HS_MAC"): make it one byte too long.
        int infoOffset = 4 + 4 + 4 + 4 + 6;
        byte[] bad = withInt(encoded, infoOffset, ByteBuffer.wrap(encoded).getInt(infoOffset) - 1);
        assertThatThrownBy(() -> CredentialCodec.decode(bad)).isInstanceOf(CodecException.class);
    }

    @Test
    void encryptedMessageWithoutHeaderNeedsAnOpaqueBody() {
        Envelope env = new Envelope(2, 11, Envelope.ENCRYPTED, 2, 11, 5, 6, 0, 0);
        Message bad = new Message(env, null, null, new HandleRequest("/"), null, null);
        assertThatThrownBy(() -> CODEC.encode(bad)).isInstanceOf(IllegalArgumentException.class);
    }
}
