package io.idnode.json;

/**
 * JSON input that does not describe a valid record, value or data format (handle-protocol.md §8). The
 * message names the member at fault by its path, e.g. {@code values[2].data.value.servers[0].address}, and
 * says what to fix.
 */
public final class JsonFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String path;

    /** A complaint about the member at {@code path} ({@code ""} for the whole text). */
    public JsonFormatException(String path, String problem) {
        super(path.isEmpty() ? problem : path + " " + problem, null, false, false);
        this.path = path;
    }

    /** The path of the member at fault, {@code ""} for the whole text. */
    public String path() {
        return path;
    }
}
