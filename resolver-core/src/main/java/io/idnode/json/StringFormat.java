package io.idnode.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The {@code string} format (handle-protocol.md §8): data that is UTF-8 text. Written only for text without
 * the control bytes 0x00–0x08, 0x14–0x1F and 0x7F, which is shown as base64 instead; read from any string.
 */
final class StringFormat implements DataFormat<String> {
    @Override
    public String name() {
        return "string";
    }

    @Override
    public String decode(byte[] data) {
        for (byte b : data) {
            int c = b & 0xFF;
            if (c <= 0x08 || c >= 0x14 && c <= 0x1F || c == 0x7F) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String read(JsonInput in) throws JsonFormatException {
        return in.string();
    }

    @Override
    public void write(String value, JsonOutput out) {
        out.string(value);
    }
}
