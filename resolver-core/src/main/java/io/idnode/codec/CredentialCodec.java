package io.idnode.codec;

import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The credential section that follows the body (handle-protocol.md §2.3): {@code u32 length} + credential,
 * length 0 meaning unsigned. The credential itself is
 * {@code u8 version, u8 reserved, u16 options, bytes signer, i32 sessionCounter, str type,
 * u32 signedInfoLength, str hashId, bytes signature}.
 */
public final class CredentialCodec {
    private CredentialCodec() {
    }

    /** Reads a credential that fills exactly the reader's region (the bytes after the section's length word). */
    public static Credential read(WireReader r) throws CodecException {
        int version = r.u8("credential version");
        int reserved = r.u8("credential reserved");
        int options = r.u16("credential options");
        String signer = r.str("credential signer handle");
        int sessionCounter = r.i32("credential session counter");
        String type = r.str("credential type");
        int signedInfoLength = r.length("credential signed info", r.remaining() - 4);
        // The signed-info block has its own length; hashId and signature must fill it exactly.
        WireReader info = new WireReader(r.array(), r.position(), signedInfoLength);
        String hashId = info.str("credential hash id");
        int signatureLength = info.length("credential signature", Limits.MAX_FIELD_LENGTH);
        int signatureAt = info.position();
        info.skip(signatureLength, "credential signature");
        Bytes signature = Bytes.wrap(info.array(), signatureAt, signatureLength);
        info.expectEnd("credential signed info");
        r.skip(signedInfoLength, "credential signed info");
        r.expectEnd("credential");
        return new Credential(version, reserved, options, signer, sessionCounter, type, hashId, signature);
    }

    /**
     * Reads the whole credential section: nothing at all (the message ends after the body, which the library
     * accepts), or {@code u32 length} + credential; length 0 gives {@code null}.
     */
    public static Credential readSection(WireReader r) throws CodecException {
        if (!r.hasRemaining()) {
            return null;
        }
        int length = r.length("credential section", r.remaining() - 4);
        if (length == 0) {
            r.expectEnd("credential section");
            return null;
        }
        Credential c = read(new WireReader(r.array(), r.position(), length));
        r.skip(length, "credential");
        r.expectEnd("credential section");
        return c;
    }

    /** Writes the credential section: {@code u32 0} for {@code null}, else {@code u32 length} + credential. */
    public static void writeSection(Credential c, ByteBuf out) {
        if (c == null) {
            out.writeInt(0);
            return;
        }
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        write(c, out);
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }

    /** Writes the credential itself (without the section's length word). */
    public static void write(Credential c, ByteBuf out) {
        out.writeByte(c.version());
        out.writeByte(c.reserved());
        out.writeShort(c.options());
        WireWriter.str(out, c.signerHandle());
        out.writeInt(c.sessionCounter());
        WireWriter.str(out, c.type());
        int infoIndex = out.writerIndex();
        out.writeInt(0);
        WireWriter.str(out, c.hashId());
        out.writeInt(c.signature().length());
        c.signature().writeTo(out);
        out.setInt(infoIndex, out.writerIndex() - infoIndex - 4);
    }

    /** The credential's encoding (without the section's length word), e.g. to compare or store it. */
    public static byte[] encode(Credential c) {
        ByteBuf buf = Unpooled.buffer(64 + c.signature().length());
        try {
            write(c, buf);
            return Codecs.toArray(buf);
        } finally {
            buf.release();
        }
    }

    /** Decodes a credential from exactly {@code data} (without the section's length word); it keeps a view of {@code data}. */
    public static Credential decode(byte[] data) throws CodecException {
        return read(new WireReader(data));
    }
}
