package io.idnode.codec;

import io.idnode.model.ValueReference;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Data of an HS_VLIST value, an admin group (handle-protocol.md §5.5, RFC 3651 §3.2.4):
 * {@code list<{str handle, i32 index}>}.
 */
public final class ValueListCodec {
    private ValueListCodec() {
    }

    /** Encodes the list of references. */
    public static byte[] encode(List<ValueReference> references) {
        ByteBuf out = Unpooled.buffer(4 + 32 * references.size());
        try {
            out.writeInt(references.size());
            for (ValueReference ref : references) {
                WireWriter.str(out, ref.handle());
                out.writeInt(ref.index());
            }
            return Codecs.toArray(out);
        } finally {
            out.release();
        }
    }

    /** Decodes HS_VLIST data; trailing bytes are rejected. */
    public static List<ValueReference> decode(byte[] data) throws CodecException {
        WireReader r = new WireReader(data);
        int n = r.count("value list", Limits.MAX_FIELD_LENGTH, 8);
        List<ValueReference> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String handle = r.handle("value list handle");
            refs.add(new ValueReference(handle, r.i32("value list index")));
        }
        r.expectEnd("HS_VLIST data");
        return List.copyOf(refs);
    }
}
