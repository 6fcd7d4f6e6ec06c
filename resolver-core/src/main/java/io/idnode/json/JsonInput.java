package io.idnode.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.idnode.codec.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one JSON text, read where it stands without building a tree (a bulk import reads every line
 * through it). The cursor is on one value at a time; every complaint is a {@link JsonFormatException} naming
 * that value's path, e.g. {@code values[2].data.value.servers[0].address}.
 *
 * <p>Objects are read as {@code startObject(); while ((name = nextField()) != null) { ... }} and arrays as
 * {@code startArray(); while (nextElement()) { ... }}; a member or element left unread is skipped.
 */
public final class JsonInput implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonParser parser;
    private final String basePath;
    // True right after startObject/startArray: the cursor is on the container itself, which must not be skipped.
    private boolean entered;

    private JsonInput(JsonParser parser, String basePath) {
        this.parser = parser;
        this.basePath = basePath;
    }

    /** A cursor on the first value of {@code json}. */
    static JsonInput of(String json) throws JsonFormatException {
        JsonParser parser;
        try {
            parser = FACTORY.createParser(json);
        } catch (IOException e) {
            throw new UncheckedIOException("opening JSON held in memory", e);
        }
        JsonInput in = new JsonInput(parser, "");
        try {
            if (in.next() == null) {
                throw new JsonFormatException("", "not valid JSON: no content");
            }
            return in;
        } catch (JsonFormatException e) {
            in.close(); // gives the parser's buffers back for the next text
            throw e;
        }
    }

    /** True if the value is {@code null}. */
    public boolean isNull() {
        return parser.currentToken() == JsonToken.VALUE_NULL;
    }

    /** True if the value is a string. */
    public boolean isString() {
        return parser.currentToken() == JsonToken.VALUE_STRING;
    }

    /** True if the value is a number without fraction or exponent. */
    public boolean isInteger() {
        return parser.currentToken() == JsonToken.VALUE_NUMBER_INT;
    }

    /** True if the value is {@code true} or {@code false}. */
    public boolean isBoolean() {
        JsonToken t = parser.currentToken();
        return t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE;
    }

    /** True if the value is an object. */
    public boolean isObject() {
        return parser.currentToken() == JsonToken.START_OBJECT;
    }

    /** True if the value is an array. */
    public boolean isArray() {
        return parser.currentToken() == JsonToken.START_ARRAY;
    }

    /** The value, which must be a string. */
    public String string() throws JsonFormatException {
        if (!isString()) {
            throw error("must be a string");
        }
        try {
            return parser.getText();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * The value as a handle: a non-empty string of at most {@link Limits#MAX_HANDLE_LENGTH} UTF-8 bytes, the most
     * the wire carries (handle-protocol.md §0).
     */
    public String handle() throws JsonFormatException {
        String handle = string();
        if (handle.isEmpty()) {
            throw error("must be a non-empty handle");
        }
        // A char is at most 3 UTF-8 bytes: only a long handle needs its bytes counted.
        if (handle.length() * 3 > Limits.MAX_HANDLE_LENGTH
                && handle.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_HANDLE_LENGTH) {
            throw error("is longer than " + Limits.MAX_HANDLE_LENGTH + " UTF-8 bytes");
        }
        return handle;
    }

    /** The value, which must be an integer that fits 32 bits. */
    public int integer() throws JsonFormatException {
        return integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** The value, which must be an integer from {@code min} to {@code max}. */
    public int integer(int min, int max) throws JsonFormatException {
        return (int) integer((long) min, max);
    }

    /** The value, which must be an integer from {@code min} to {@code max}. */
    public long integer(long min, long max) throws JsonFormatException {
        if (!isInteger()) {
            throw error(range(min, max));
        }
        try {
            if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                long v = parser.getLongValue();
                if (v >= min && v <= max) {
                    return v;
                }
            }
            throw error(range(min, max) + ", got " + parser.getText());
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static String range(long min, long max) {
        return min == Integer.MIN_VALUE && max == Integer.MAX_VALUE ? "must be a 32-bit integer"
                : "must be an integer from " + min + " to " + max;
    }

    /** The value, which must be {@code true} or {@code false}. */
    public boolean bool() throws JsonFormatException {
        if (!isBoolean()) {
            throw error("must be true or false");
        }
        return parser.currentToken() == JsonToken.VALUE_TRUE;
    }

    /** Enters the value, which must be an object; then read its members with {@link #nextField()}. */
    public void startObject() throws JsonFormatException {
        if (!isObject()) {
            throw error("must be an object");
        }
        entered = true;
    }

    /**
     * Moves to the value of the next member of the object entered last and returns the member's name, or returns
     * null at the end of the object. A previous member's object or array left unread is skipped.
     */
    public String nextField() throws JsonFormatException {
        skipUnread();
        if (next() == JsonToken.END_OBJECT) {
            return null;
        }
        String name;
        try {
            name = parser.currentName();
        } catch (IOException e) {
            throw failure(e);
        }
        next();
        return name;
    }

    /** Enters the value, which must be an array; then read its elements with {@link #nextElement()}. */
    public void startArray() throws JsonFormatException {
        if (!isArray()) {
            throw error("must be an array");
        }
        entered = true;
    }

    /**
     * Moves to the next element of the array entered last and returns true, or returns false at the end of the
     * array. A previous element's object or array left unread is skipped.
     */
    public boolean nextElement() throws JsonFormatException {
        skipUnread();
        return next() != JsonToken.END_ARRAY;
    }

    /**
     * {@code value}, which must not be null: else a complaint that the member {@code name} is missing from the
     * object just read (called after {@link #nextField()} has returned null).
     */
    public <T> T require(T value, String name) throws JsonFormatException {
        if (value == null) {
            throw error(name, "is missing");
        }
        return value;
    }

    /** A complaint about the value under the cursor. */
    public JsonFormatException error(String problem) {
        return new JsonFormatException(path(), problem);
    }

    /**
     * A complaint about the member {@code name} of the object under the cursor, e.g. one that is missing (called
     * after {@link #nextField()} has returned null).
     */
    public JsonFormatException error(String name, String problem) {
        String path = path();
        return new JsonFormatException(path.isEmpty() ? name : path + "." + name, problem);
    }

    /** The path of the value under the cursor, e.g. {@code values[0].data}; {@code ""} for the whole text. */
    public String path() {
        JsonStreamContext context = parser.getParsingContext();
        if (isObject() || isArray()) {
            context = context.getParent(); // the parser has already entered the container
        }
        StringBuilder path = new StringBuilder(basePath);
        append(path, context);
        return path.toString();
    }

    private static void append(StringBuilder path, JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return;
        }
        append(path, context.getParent());
        if (context.inArray()) {
            path.append('[').append(Math.max(0, context.getCurrentIndex())).append(']');
        } else if (context.getCurrentName() != null) {
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(context.getCurrentName());
        }
    }

    /**
     * A copy of the value under the cursor, to be read later (a {@code "value"} met before its {@code "format"});
     * this cursor moves to the value's end. The copy names paths as this cursor would.
     */
    JsonInput copyValue() throws JsonFormatException {
        String at = path();
        try {
            // Not TokenBuffer(parser): that would make the copy's paths continue from this cursor's, which moves on.
            TokenBuffer buffer = new TokenBuffer((ObjectCodec) null, false);
            buffer.copyCurrentStructure(parser);
            JsonParser replay = buffer.asParser();
            replay.nextToken();
            return new JsonInput(replay, at);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Checks that nothing but white space follows the value read last. */
    void end() throws JsonFormatException {
        skipUnread();
        if (next() != null) {
            throw new JsonFormatException("", "not valid JSON: more than one value");
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing JSON held in memory", e);
        }
    }

    private void skipUnread() throws JsonFormatException {
        if (entered) {
            entered = false;
            return;
        }
        if (isObject() || isArray()) {
            try {
                parser.skipChildren();
            } catch (IOException e) {
                throw failure(e);
            }
        }
    }

    private JsonToken next() throws JsonFormatException {
        try {
            return parser.nextToken();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The complaint for a syntax error; any other failure cannot happen on text held in memory. */
    private static JsonFormatException failure(IOException e) {
        if (e instanceof JsonProcessingException syntax) {
            return syntax(syntax);
        }
        throw new UncheckedIOException("reading JSON held in memory", e);
    }

    private static JsonFormatException syntax(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : at.getLineNr() > 1 ? " (line " + at.getLineNr() + ", column "
                + at.getColumnNr() + ")" : " (column " + at.getColumnNr() + ")";
        // The end-of-input message would describe where the open object or array began, in the parser's terms.
        String problem = e instanceof JsonEOFException ? "unexpected end of input" : e.getOriginalMessage();
        return new JsonFormatException("", "not valid JSON: " + problem + where);
    }
}
