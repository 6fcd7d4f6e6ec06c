package io.idnode.json;

import io.idnode.codec.Limits;

/**
 * Value data as {@code {"format": name, "value": ...}} (handle-protocol.md §8), read and written through the
 * {@link DataFormat} of that name.
 */
final class FormattedData {
    private FormattedData() {
    }

    /** Reads the object under the cursor into data bytes, with the format it names among {@code formats}. */
    static byte[] read(JsonInput in, DataFormats formats) throws JsonFormatException {
        in.startObject();
        DataFormat<?> format = null;
        byte[] data = null;
        JsonInput early = null; // a "value" met before its "format", read once the format is known
        String name;
        while ((name = in.nextField()) != null) {
            switch (name) {
                case "format" -> {
                    String formatName = in.string();
                    format = formats.named(formatName);
                    if (format == null) {
                        throw in.error("'" + formatName + "' is not one of " + formats.names());
                    }
                }
                case "value" -> {
                    if (format != null) {
                        data = convert(format, in);
                    } else {
                        early = in.copyValue();
                    }
                }
                default -> {
                    // not part of formatted data
                }
            }
        }
        if (format == null) {
            throw in.error("format", "is missing");
        }
        if (data == null) {
            if (early == null) {
                throw in.error("value", "is missing");
            }
            try (JsonInput value = early) {
                data = convert(format, value);
            }
        }
        if (data.length > Limits.MAX_FIELD_LENGTH) {
            throw in.error("is longer than " + Limits.MAX_FIELD_LENGTH + " bytes");
        }
        return data;
    }

    private static <T> byte[] convert(DataFormat<T> format, JsonInput in) throws JsonFormatException {
        return format.encode(format.read(in));
    }

    /**
     * Writes {@code data} in the first of {@code formats} that decodes it (null entries are passed over); the last
     * must take any bytes.
     */
    static void write(byte[] data, JsonOutput out, DataFormat<?>... formats) {
        for (DataFormat<?> format : formats) {
            if (format != null && write(format, data, out)) {
                return;
            }
        }
        throw new IllegalStateException("the last data format must take any bytes");
    }

    private static <T> boolean write(DataFormat<T> format, byte[] data, JsonOutput out) {
        T value = format.decode(data);
        if (value == null) {
            return false;
        }
        out.startObject().field("format", format.name()).name("value");
        format.write(value, out);
        out.endObject();
        return true;
    }
}
