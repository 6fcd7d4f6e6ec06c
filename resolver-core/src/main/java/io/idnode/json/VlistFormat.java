package io.idnode.json;

import io.idnode.codec.CodecException;
import io.idnode.codec.ValueListCodec;
import io.idnode.model.ValueReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code vlist} format of HS_VLIST data, an admin group (handle-protocol.md §5.5, §8):
 * {@code [{"handle": ..., "index": ...}, ...]}. The same form is a value's {@code references}.
 */
final class VlistFormat implements DataFormat<List<ValueReference>> {
    @Override
    public String name() {
        return "vlist";
    }

    @Override
    public List<ValueReference> decode(byte[] data) {
        try {
            return ValueListCodec.decode(data);
        } catch (CodecException e) {
            return null;
        }
    }

    @Override
    public byte[] encode(List<ValueReference> value) {
        return ValueListCodec.encode(value);
    }

    @Override
    public List<ValueReference> read(JsonInput in) throws JsonFormatException {
        return readReferences(in);
    }

    @Override
    public void write(List<ValueReference> value, JsonOutput out) {
        writeReferences(value, out);
    }

    /** Reads an array of {@code {"handle", "index"}}. */
    static List<ValueReference> readReferences(JsonInput in) throws JsonFormatException {
        in.startArray();
        List<ValueReference> references = new ArrayList<>();
        while (in.nextElement()) {
            in.startObject();
            String handle = null;
            Integer index = null;
            String name;
            while ((name = in.nextField()) != null) {
                switch (name) {
                    case "handle" -> handle = in.handle();
                    case "index" -> index = in.integer();
                    default -> {
                        // not part of a reference
                    }
                }
            }
            references.add(new ValueReference(in.require(handle, "handle"), in.require(index, "index")));
        }
        return List.copyOf(references);
    }

    /** Writes an array of {@code {"handle", "index"}}. */
    static void writeReferences(List<ValueReference> references, JsonOutput out) {
        out.startArray();
        for (ValueReference r : references) {
            out.startObject().field("handle", r.handle()).field("index", r.index()).endObject();
        }
        out.endArray();
    }
}
