package io.idnode.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Writes one JSON text, member by member, for the data formats and the record writer. Output is held in
 * memory, so writing cannot fail; writing out of order (a value where a member name belongs) is a bug and
 * throws {@link IllegalStateException}.
 */
public final class JsonOutput {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonGenerator generator;

    private JsonOutput(JsonGenerator generator) {
        this.generator = generator;
    }

    /** What writes one JSON text. */
    @FunctionalInterface
    interface Body {
        void write(JsonOutput out);
    }

    /** The text {@code body} writes, compact or with the usual indentation. */
    static String text(boolean pretty, Body body) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator generator = FACTORY.createGenerator(text)) {
            if (pretty) {
                generator.useDefaultPrettyPrinter();
            }
            body.write(new JsonOutput(generator));
        } catch (IOException e) {
            throw outOfOrder(e);
        }
        return text.toString();
    }

    /** Starts an object. */
    public JsonOutput startObject() {
        try {
            generator.writeStartObject();
        } catch (IOException e) {
            throw outOfOrder(e);
        }
        return this;
    }

    /** Ends the current object. */
    public JsonOutput endObject() {
        try {
            generator.writeEndObject();
        } catch (IOException e) {
            throw outOfOrder(e);
        }
        return this;
    }

    /** Starts an array. */
    public JsonOutput startArray() {
        try {
            generator.writeStartArray();
        } catch (IOException e) {
            throw outOfOrder(e);
        }
        return this;
    }

    /** Ends the current array. */
    public JsonOutput endArray() {
        try {
            generator.writeEndArray();
        } catch (IOException e) {
            throw outOfOrder(e);
        }
        return this;
    }

    /** Writes a member name; its value follows. */
    public JsonOutput name(String name) {
        try {
            generator.writeFieldName(name);
        } catch (IOException e) {
            throw outOfOrder(e);
        }
        return this;
    }

    /** Writes a string value. */
    public JsonOutput string(String value) {
        try {
            generator.writeString(value);
        } catch (IOException e) {
            throw outOfOrder(e);
        }
        return this;
    }

    /** Writes a number value. */
    public JsonOutput number(long value) {
        try {
            generator.writeNumber(value);
        } catch (IOException e) {
            throw outOfOrder(e);
        }
        return this;
    }

    /** Writes a boolean value. */
    public JsonOutput bool(boolean value) {
        try {
            generator.writeBoolean(value);
        } catch (IOException e) {
            throw outOfOrder(e);
        }
        return this;
    }

    /** Writes a member with a string value. */
    public JsonOutput field(String name, String value) {
        return name(name).string(value);
    }

    /** Writes a member with a number value. */
    public JsonOutput field(String name, long value) {
        return name(name).number(value);
    }

    /** Writes a member with a boolean value. */
    public JsonOutput field(String name, boolean value) {
        return name(name).bool(value);
    }

    // The generator writes to a StringWriter, which never fails: what remains is a value written out of order.
    private static IllegalStateException outOfOrder(IOException e) {
        return new IllegalStateException("JSON written out of order: " + e.getMessage(), e);
    }
}
