package io.idnode.json;

/**
 * One JSON data format of handle value data, the {@code {"format": name, "value": ...}} form of the REST API
 * (handle-protocol.md §8): a pair of conversions, value data bytes to and from {@code T}, and {@code T} to and
 * from the JSON {@code "value"}. Implementations are immutable and registered in {@link DataFormats}.
 *
 * @param <T> what the data holds, e.g. an {@link io.idnode.model.AdminValue} for the {@code admin} format
 */
public interface DataFormat<T> {
    /** The name written as {@code "format"}, e.g. {@code admin}. */
    String name();

    /**
     * What {@code data} holds, or null if it is not in this format; then the writer shows the data in another
     * format (string or base64). Never throws, whatever the bytes.
     */
    T decode(byte[] data);

    /** The value data bytes of {@code value}: the inverse of {@link #decode}. */
    byte[] encode(T value);

    /**
     * Reads the JSON {@code "value"} under the cursor. Anything malformed, missing or out of range is a
     * {@link JsonFormatException} naming its path ({@link JsonInput#error(String)}); nothing else is thrown.
     */
    T read(JsonInput in) throws JsonFormatException;

    /** Writes {@code value} as the JSON {@code "value"}. */
    void write(T value, JsonOutput out);
}
