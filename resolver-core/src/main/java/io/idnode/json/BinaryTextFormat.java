package io.idnode.json;

import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * A format that shows any data as text (handle-protocol.md §8): {@code base64} (standard, with padding) and
 * {@code hex} (read in either case, written lowercase; accepted on input, shown only for types registered
 * for it). The two differ only in their text encoding.
 */
final class BinaryTextFormat implements DataFormat<byte[]> {
    private static final HexFormat HEX_DIGITS = HexFormat.of();

    /** The {@code base64} format. */
    static final BinaryTextFormat BASE64 = new BinaryTextFormat("base64",
            text -> Base64.getDecoder().decode(text), bytes -> Base64.getEncoder().encodeToString(bytes));
    /** The {@code hex} format. */
    static final BinaryTextFormat HEX = new BinaryTextFormat("hex", HEX_DIGITS::parseHex, HEX_DIGITS::formatHex);

    private final String name;
    private final Function<String, byte[]> parse;
    private final Function<byte[], String> format;

    private BinaryTextFormat(String name, Function<String, byte[]> parse, Function<byte[], String> format) {
        this.name = name;
        this.parse = parse;
        this.format = format;
    }

    @Override
    public String name() {
        return name;
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
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw in.error("is not " + name + ": " + e.getMessage());
        }
    }

    @Override
    public void write(byte[] value, JsonOutput out) {
        out.string(format.apply(value));
    }
}
