package io.idnode.codec;

import io.idnode.protocol.Bytes;
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

/**
 * The one Handle message codec shared by UDP, TCP and HTTP (handle-protocol.md §1–§6, RFC 3652 §2–§3):
 * envelope ({@link EnvelopeLayout}), header ({@link HeaderLayout}), optional request-digest block, body and
 * credential section. Decoding works on heap arrays and returns immutable messages; every malformed input is
 * a {@link CodecException}, and every length is checked before anything is allocated. A decoded message keeps
 * views of the array it was decoded from instead of copies ({@link Message#headerAndBody()}, an opaque body, a
 * credential's signature): whoever hands an array to the decoder must not modify it afterwards. Stateless and
 * thread-safe.
 */
public final class MessageCodec {
    /** The shared instance. */
    public static final MessageCodec DEFAULT = new MessageCodec();

    private static final int SUPPORTED_MAJOR = 2;
    private static final int FLAG_BITS = 0xE0;
    private static final int SUGGESTED_MAJOR_BITS = 0x03;

    private MessageCodec() {
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes the 20-byte envelope at {@code offset} (§1.1): flags are byte 2 masked with 0xE0; the suggested
     * version is byte 2's low bits and byte 3, or the envelope's own version when those bits are 0. Rejects
     * a major version other than 2 and a message length outside 0..{@link Limits#MAX_MESSAGE_LENGTH}.
     */
    public Envelope decodeEnvelope(byte[] b, int offset) throws CodecException {
        if (offset < 0 || b.length - offset < EnvelopeLayout.LENGTH) {
            throw new CodecException("truncated envelope: " + Math.max(0, b.length - Math.max(0, offset))
                    + " bytes");
        }
        int major = b[offset + EnvelopeLayout.MAJOR_VERSION] & 0xFF;
        int minor = b[offset + EnvelopeLayout.MINOR_VERSION] & 0xFF;
        int flags = b[offset + EnvelopeLayout.FLAGS] & 0xFF;
        int messageLength = Codecs.getInt(b, offset + EnvelopeLayout.MESSAGE_LENGTH);
        if (major != SUPPORTED_MAJOR) {
            throw new CodecException("unsupported protocol major version " + major);
        }
        if (messageLength < 0 || messageLength > Limits.MAX_MESSAGE_LENGTH) {
            throw new CodecException("message length " + (messageLength & 0xFFFF_FFFFL) + " outside 0.."
                    + Limits.MAX_MESSAGE_LENGTH);
        }
        int suggestedMajor = flags & SUGGESTED_MAJOR_BITS;
        int suggestedMinor = b[offset + EnvelopeLayout.SUGGESTED_MINOR] & 0xFF;
        if (suggestedMajor == 0) {
            suggestedMajor = major;
            suggestedMinor = minor;
        }
        return new Envelope(major, minor, flags & FLAG_BITS, suggestedMajor, suggestedMinor,
                Codecs.getInt(b, offset + EnvelopeLayout.SESSION_ID), Codecs.getInt(b, offset + EnvelopeLayout.REQUEST_ID),
                Codecs.getInt(b, offset + EnvelopeLayout.MESSAGE_ID), messageLength);
    }

    /**
     * Decodes a whole frame (envelope + message) as read from TCP, HTTP or a single UDP datagram; the message
     * must be exactly the envelope's {@code messageLength} long. The message keeps views of {@code frame}.
     */
    public Message decode(byte[] frame) throws CodecException {
        Envelope env = decodeEnvelope(frame, 0);
        int length = frame.length - EnvelopeLayout.LENGTH;
        if (length != env.messageLength()) {
            throw new CodecException("envelope announces " + env.messageLength() + " message bytes, frame has "
                    + length);
        }
        return decodeMessage(env, frame, EnvelopeLayout.LENGTH, length);
    }

    /**
     * Decodes the message that follows an envelope: after UDP reassembly, or after decryption (then with the
     * EC flag cleared; {@code len} is authoritative, the envelope's length is not checked). A message whose
     * envelope has EC is returned undecoded: no header, the ciphertext as an {@link OpaqueBody}. Otherwise
     * header, optional RD block (responses with RD, §2.4), body and credential section (which may be absent
     * entirely, §2.1; bytes after it are rejected) are decoded, and {@link Message#headerAndBody()} is the
     * exact header and body bytes. The message keeps views of {@code message}.
     */
    public Message decodeMessage(Envelope env, byte[] message, int off, int len) throws CodecException {
        if (len > Limits.MAX_MESSAGE_LENGTH) {
            throw new CodecException("message of " + len + " bytes exceeds " + Limits.MAX_MESSAGE_LENGTH);
        }
        WireReader r = new WireReader(message, off, len);
        if (env.hasFlag(Envelope.ENCRYPTED)) {
            return new Message(env, null, null, new OpaqueBody(Bytes.wrap(message, off, len)), null, null);
        }
        if (len < HeaderLayout.LENGTH) {
            throw new CodecException("truncated header: " + len + " bytes");
        }
        int bodyLength = Codecs.getInt(message, off + HeaderLayout.BODY_LENGTH);
        int bodyStart = off + HeaderLayout.LENGTH;
        if (bodyLength < 0 || bodyLength > len - HeaderLayout.LENGTH) {
            throw new CodecException("body length " + (bodyLength & 0xFFFF_FFFFL) + " exceeds the "
                    + (len - HeaderLayout.LENGTH) + " bytes left");
        }
        MessageHeader header = new MessageHeader(OpCode.valueOf(Codecs.getInt(message, off + HeaderLayout.OP_CODE)),
                ResponseCode.valueOf(Codecs.getInt(message, off + HeaderLayout.RESPONSE_CODE)),
                Codecs.getInt(message, off + HeaderLayout.OP_FLAGS),
                Codecs.getU16(message, off + HeaderLayout.SITE_INFO_SERIAL),
                message[off + HeaderLayout.RECURSION_COUNT] & 0xFF,
                Codecs.getInt(message, off + HeaderLayout.EXPIRATION) & 0xFFFF_FFFFL);

        WireReader body = new WireReader(message, bodyStart, bodyLength);
        RequestDigest digest = null;
        if (header.isResponse() && header.hasFlag(OpFlags.REQUEST_DIGEST)) {
            digest = BodyCodec.readDigest(body);
        }
        MessageBody decodedBody = BodyCodec.read(header, body);
        r.skip(HeaderLayout.LENGTH + bodyLength, "header and body");
        Credential credential = CredentialCodec.readSection(r);
        return new Message(env, header, digest, decodedBody, credential,
                Bytes.wrap(message, off, HeaderLayout.LENGTH + bodyLength));
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
            opaque.bytes().writeTo(out);
        } else {
            encodeHeaderAndBody(m, out);
            CredentialCodec.writeSection(m.credential(), out);
        }
        out.setInt(start + EnvelopeLayout.MESSAGE_LENGTH, out.writerIndex() - start - EnvelopeLayout.LENGTH);
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
        int header = out.writerIndex();
        out.ensureWritable(HeaderLayout.LENGTH);
        out.setInt(header + HeaderLayout.OP_CODE, h.opCode().code());
        out.setInt(header + HeaderLayout.RESPONSE_CODE, h.responseCode().code());
        out.setInt(header + HeaderLayout.OP_FLAGS, h.opFlags());
        out.setShort(header + HeaderLayout.SITE_INFO_SERIAL, h.siteInfoSerial());
        out.setByte(header + HeaderLayout.RECURSION_COUNT, h.recursionCount());
        out.setByte(header + HeaderLayout.RESERVED, 0);
        out.setInt(header + HeaderLayout.EXPIRATION, (int) h.expiration());
        out.writerIndex(header + HeaderLayout.LENGTH);
        if (m.requestDigest() != null) {
            BodyCodec.writeDigest(m.requestDigest(), out);
        }
        BodyCodec.write(m.body(), out);
        out.setInt(header + HeaderLayout.BODY_LENGTH, out.writerIndex() - header - HeaderLayout.LENGTH);
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
        out.setInt(start + EnvelopeLayout.MESSAGE_LENGTH, out.writerIndex() - start - EnvelopeLayout.LENGTH);
    }

    /** Writes a 20-byte envelope with the given message length (§1.1). */
    public static void writeEnvelope(Envelope env, int messageLength, ByteBuf out) {
        int at = out.writerIndex();
        out.ensureWritable(EnvelopeLayout.LENGTH);
        out.setByte(at + EnvelopeLayout.MAJOR_VERSION, env.majorVersion());
        out.setByte(at + EnvelopeLayout.MINOR_VERSION, env.minorVersion());
        out.setByte(at + EnvelopeLayout.FLAGS, (env.flags() & FLAG_BITS) | (env.suggestedMajor() & SUGGESTED_MAJOR_BITS));
        out.setByte(at + EnvelopeLayout.SUGGESTED_MINOR, env.suggestedMinor());
        out.setInt(at + EnvelopeLayout.SESSION_ID, env.sessionId());
        out.setInt(at + EnvelopeLayout.REQUEST_ID, env.requestId());
        out.setInt(at + EnvelopeLayout.MESSAGE_ID, env.messageId());
        out.setInt(at + EnvelopeLayout.MESSAGE_LENGTH, messageLength);
        out.writerIndex(at + EnvelopeLayout.LENGTH);
    }
}
