package io.idnode.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * Output for people (the default) or, with {@code --json}, exactly one JSON document on standard output per
 * call, errors included ({@code {"error": ...}}); messages for people go to standard error either way.
 */
final class OutputOptions {
    /** The one mapper of the command line's documents. */
    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "Print one JSON document for scripts instead of text.")
    boolean json;

    /** A new empty JSON object. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** The tree of JSON text written by the record writer, to embed in a document. */
    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    /** Prints {@code document} as one line. */
    static void print(PrintWriter out, JsonNode document) {
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree that does not serialize", e);
        }
        out.flush();
    }
}
