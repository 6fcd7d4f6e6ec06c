package io.idnode.json;

import java.util.Base64;

/** The {@code base64} format (handle-protocol.md §8): any data, as standard base64 with padding. */
final class Base64Format implements DataFormat<byte[]> {
    @Override
    public String name() {
        return "base64";
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
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw in.error("is not base64: " + e.getMessage());
        }
    }

    @Override
    public void write(byte[] value, JsonOutput out) {
        out.string(Base64.getEncoder().encodeToString(value));
    }
}
