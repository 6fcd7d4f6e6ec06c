package io.idnode.json;

import java.util.HexFormat;

/**
 * The {@code hex} format (handle-protocol.md §8): any data, as hexadecimal digits (read in either case,
 * written lowercase). Accepted on input; shown only for types registered for it.
 */
final class HexDataFormat implements DataFormat<byte[]> {
    private static final HexFormat HEX = HexFormat.of();

    @Override
    public String name() {
        return "hex";
    }

    @Override
    public byte[] decode(byte[] data) {
        return data;
    }

    @Override
    public byte[] encode(byte[] value) {
        return value;
    }

    @Override
    public byte[] read(JsonInput in) throws JsonFormatException {
        String text = in.string();
        try {
            return HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
            throw in.error("is not hex: " + e.getMessage());
        }
    }

    @Override
    public void write(byte[] value, JsonOutput out) {
        out.string(HEX.formatHex(value));
    }
}
