package io.idnode.codec;

import io.idnode.model.AdminValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Data of an HS_ADMIN value (handle-protocol.md §5.2, RFC 3651 §3.2.2):
 * {@code u16 permissions, str adminHandle, i32 adminIndex}. Some old records carry two extra zero bytes;
 * they are accepted on decoding (the stored value keeps its exact bytes) and never written.
 */
public final class AdminValueCodec {
    private AdminValueCodec() {
    }

    /** Encodes the value's data. */
    public static byte[] encode(AdminValue admin) {
        ByteBuf out = Unpooled.buffer(10 + WireWriter.strSize(admin.adminHandle()));
        try {
            write(admin, out);
            return Codecs.toArray(out);
        } finally {
            out.release();
        }
    }

    /** Writes the value's data onto {@code out}. */
    public static void write(AdminValue admin, ByteBuf out) {
        out.writeShort(admin.permissions());
        WireWriter.str(out, admin.adminHandle());
        out.writeInt(admin.adminIndex());
    }

    /** Decodes HS_ADMIN data; anything after the fields other than two zero bytes is rejected. */
    public static AdminValue decode(byte[] data) throws CodecException {
        WireReader r = new WireReader(data);
        int permissions = r.u16("admin permissions");
        String handle = r.handle("admin handle");
        int index = r.i32("admin index");
        if (r.remaining() == 2 && data[data.length - 2] == 0 && data[data.length - 1] == 0) {
            r.skip(2, "admin padding");
        }
        r.expectEnd("HS_ADMIN data");
        return new AdminValue(permissions, handle, index);
    }
}
