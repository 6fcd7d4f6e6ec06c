package io.idnode.codec;

import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.OpaqueBody;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.ResponseCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * The one Handle message codec shared by UDP, TCP and HTTP (handle-protocol.md §1–§6, RFC 3652 §2–§3):
 * envelope, header, optional request-digest block, body and credential section. Decoding works on heap
 * arrays and returns immutable messages that share nothing with the input; every malformed input is a
 * {@link CodecException}, and every length is checked before anything is allocated. Stateless and
 * thread-safe.
 */
public final class MessageCodec {
    /** The shared instance. */
    public static final MessageCodec DEFAULT = new MessageCodec();

    private static final int SUPPORTED_MAJOR = 2;

    private MessageCodec() {
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes the 20-byte envelope at {@code offset} (§1.1): flags are byte 2 masked with 0xE0; the suggested
     * version is byte 2's low bits and byte 3, or the envelope's own version when those bits are 0. Rejects
     * a major version other than 2 and a message length outside 0..{@link Limits#MAX_MESSAGE_LENGTH}.
     */
    public Envelope decodeEnvelope(byte[] b, int offset) throws CodecException {
        if (offset < 0 || b.length - offset < Limits.ENVELOPE_LENGTH) {
            throw new CodecException("truncated envelope: " + Math.max(0, b.length - Math.max(0, offset))
                    + " bytes");
        }
        WireReader r = new WireReader(b, offset, Limits.ENVELOPE_LENGTH);
        int major = r.u8("major version");
        int minor = r.u8("minor version");
        int byte2 = r.u8("envelope flags");
        int byte3 = r.u8("suggested minor version");
        int sessionId = r.i32("session id");
        int requestId = r.i32("request id");
        int messageId = r.i32("message id");
        int messageLength = r.i32("message length");
        if (major != SUPPORTED_MAJOR) {
            throw new CodecException("unsupported protocol major version " + major);
        }
        if (messageLength < 0 || messageLength > Limits.MAX_MESSAGE_LENGTH) {
            throw new CodecException("message length " + (messageLength & 0xFFFF_FFFFL) + " outside 0.."
                    + Limits.MAX_MESSAGE_LENGTH);
        }
        int suggestedMajor = byte2 & 0x03;
        int suggestedMinor = byte3;
        if (suggestedMajor == 0) {
            suggestedMajor = major;
            suggestedMinor = minor;
        }
        return new Envelope(major, minor, byte2 & 0xE0, suggestedMajor, suggestedMinor, sessionId, requestId,
                messageId, messageLength);
    }

    /**
     * Decodes a whole frame (envelope + message) as read from TCP, HTTP or a single UDP datagram; the message
     * must be exactly the envelope's {@code messageLength} long.
     */
    public Message decode(byte[] frame) throws CodecException {
        Envelope env = decodeEnvelope(frame, 0);
        int length = frame.length - Limits.ENVELOPE_LENGTH;
        if (length != env.messageLength()) {
            throw new CodecException("envelope announces " + env.messageLength() + " message bytes, frame has "
                    + length);
        }
        return decodeMessage(env, frame, Limits.ENVELOPE_LENGTH, length);
    }

    /**
     * Decodes the message that follows an envelope: after UDP reassembly, or after decryption (then with the
     * EC flag cleared; {@code len} is authoritative, the envelope's length is not checked). A message whose
     * envelope has EC is returned undecoded: no header, the ciphertext as an {@link OpaqueBody}. Otherwise
     * header, optional RD block (responses with RD, §2.4), body and credential section (which may be absent
     * entirely, §2.1; bytes after it are rejected) are decoded, and {@link Message#headerAndBody()} keeps the
     * exact header and body bytes.
     */
    public Message decodeMessage(Envelope env, byte[] message, int off, int len) throws CodecException {
        if (len > Limits.MAX_MESSAGE_LENGTH) {
            throw new CodecException("message of " + len + " bytes exceeds " + Limits.MAX_MESSAGE_LENGTH);
        }
        WireReader r = new WireReader(message, off, len);
        if (env.hasFlag(Envelope.ENCRYPTED)) {
            return new Message(env, null, null, new OpaqueBody(r.raw(len, "encrypted message")), null, null);
        }
        int opCode = r.i32("opCode");
        int responseCode = r.i32("responseCode");
        int opFlags = r.i32("opFlags");
        int serial = r.u16("siteInfoSerial");
        int recursion = r.u8("recursionCount");
        r.u8("reserved");
        long expiration = r.u32("expiration");
        int bodyLength = r.i32("bodyLength");
        if (bodyLength < 0 || bodyLength > r.remaining()) {
            throw new CodecException("body length " + (bodyLength & 0xFFFF_FFFFL) + " exceeds the "
                    + r.remaining() + " bytes left");
        }
        MessageHeader header = new MessageHeader(OpCode.valueOf(opCode), ResponseCode.valueOf(responseCode),
                opFlags, serial, recursion, expiration);

        int bodyStart = r.position();
        WireReader body = new WireReader(message, bodyStart, bodyLength);
        RequestDigest digest = null;
        if (header.isResponse() && header.hasFlag(OpFlags.REQUEST_DIGEST)) {
            digest = BodyCodec.readDigest(body);
        }
        MessageBody decodedBody = BodyCodec.read(header, body);
        r.skip(bodyLength, "body");
        Credential credential = CredentialCodec.readSection(r);
        byte[] headerAndBody = Arrays.copyOfRange(message, off, bodyStart + bodyLength);
        return new Message(env, header, digest, decodedBody, credential, headerAndBody);
    }

    // ---------------------------------------------------------------- encoding

    /**
     * Encodes envelope, header, RD block, body and credential section ({@code u32 0} when the credential is
     * null). The envelope's message length and the header's body length are computed; byte 2 is
     * {@code flags | (suggestedMajor & 3)}. A message without header (encrypted) is written as envelope +
     * the opaque body. The fields are encoded, never {@link Message#headerAndBody()}.
     */
    public void encode(Message m, ByteBuf out) {
        int start = out.writerIndex();
        writeEnvelope(m.envelope(), 0, out);
        if (m.header() == null) {
            if (!(m.body() instanceof OpaqueBody opaque)) {
                throw new IllegalArgumentException("a message without header must carry an opaque body");
            }
            out.writeBytes(opaque.bytes());
        } else {
            encodeHeaderAndBody(m, out);
            CredentialCodec.writeSection(m.credential(), out);
        }
        out.setInt(start + 16, out.writerIndex() - start - Limits.ENVELOPE_LENGTH);
    }

    /** Encodes a whole frame into a new array (convenience for tests, UDP and HTTP bodies). */
    public byte[] encode(Message m) {
        ByteBuf out = Unpooled.buffer(256);
        try {
            encode(m, out);
            return Codecs.toArray(out);
        } finally {
            out.release();
        }
    }

    /**
     * Encodes only header, RD block and body: the bytes a signature or MAC covers (§2.3) and a request
     * digest is computed over (§2.4).
     */
    public void encodeHeaderAndBody(Message m, ByteBuf out) {
        MessageHeader h = m.header();
        if (h == null) {
            throw new IllegalArgumentException("message has no header");
        }
        boolean rdBlock = h.isResponse() && h.hasFlag(OpFlags.REQUEST_DIGEST);
        if (rdBlock != (m.requestDigest() != null)) {
            // Otherwise the receiver would parse the body from the wrong offset.
            throw new IllegalArgumentException("a request digest block is required exactly for responses with RD");
        }
        out.writeInt(h.opCode().code());
        out.writeInt(h.responseCode().code());
        out.writeInt(h.opFlags());
        out.writeShort(h.siteInfoSerial());
        out.writeByte(h.recursionCount());
        out.writeByte(0);
        out.writeInt((int) h.expiration());
        int bodyLengthIndex = out.writerIndex();
        out.writeInt(0);
        if (m.requestDigest() != null) {
            BodyCodec.writeDigest(m.requestDigest(), out);
        }
        BodyCodec.write(m.body(), out);
        out.setInt(bodyLengthIndex, out.writerIndex() - bodyLengthIndex - 4);
    }

    /**
     * Writes envelope + the readable bytes of {@code headerAndBody} (its indexes are not moved) + the
     * credential section, so that a signer can sign exactly the bytes that are sent (§2.3).
     */
    public void encodeFrame(Envelope env, ByteBuf headerAndBody, Credential credential, ByteBuf out) {
        int start = out.writerIndex();
        writeEnvelope(env, 0, out);
        out.writeBytes(headerAndBody, headerAndBody.readerIndex(), headerAndBody.readableBytes());
        CredentialCodec.writeSection(credential, out);
        out.setInt(start + 16, out.writerIndex() - start - Limits.ENVELOPE_LENGTH);
    }

    /** Writes a 20-byte envelope with the given message length (§1.1). */
    public static void writeEnvelope(Envelope env, int messageLength, ByteBuf out) {
        out.writeByte(env.majorVersion());
        out.writeByte(env.minorVersion());
        out.writeByte((env.flags() & 0xE0) | (env.suggestedMajor() & 0x03));
        out.writeByte(env.suggestedMinor());
        out.writeInt(env.sessionId());
        out.writeInt(env.requestId());
        out.writeInt(env.messageId());
        out.writeInt(messageLength);
    }
}
