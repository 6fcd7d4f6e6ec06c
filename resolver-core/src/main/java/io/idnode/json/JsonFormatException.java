package io.idnode.json;

/** JSON input that does not describe a valid record or value; the message says what to fix. */
public final class JsonFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonFormatException(String message) {
        super(message, null, false, false);
    }
}
