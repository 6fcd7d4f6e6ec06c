package io.idnode.client.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.idnode.client.HandleClient;
import io.idnode.model.Handles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code list}: the identifiers under a prefix (§3.1), printed page by page as the node sends them, so a prefix
 * of millions needs no memory. With {@code --json}: {@code {"prefix": P, "handles": [...], "count": N}}, written
 * as it comes.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the identifiers under a prefix.")
final class ListCommand extends NodeCommand {
    @Parameters(index = "0", paramLabel = "PREFIX", description = "The prefix, e.g. 88.100.1 (or 0.NA/88.100.1).")
    String prefix;

    @Override
    boolean administers() {
        return true;
    }

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) {
        String p = Handles.isPrefixHandle(prefix) ? Handles.governingPrefix(prefix) : prefix;
        if (!output.json) {
            client.listHandles(p, page -> {
                page.forEach(out()::println);
                out().flush();
            }).join();
            return ExitCode.OK;
        }
        try (JsonGenerator json = OutputOptions.JSON.getFactory().createGenerator(out())) {
            json.writeStartObject();
            json.writeStringField("prefix", p);
            json.writeArrayFieldStart("handles");
            long count = client.listHandles(p, page -> write(json, page)).join();
            json.writeEndArray();
            json.writeNumberField("count", count);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out().println();
        out().flush();
        return ExitCode.OK;
    }

    private static void write(JsonGenerator json, List<String> page) {
        try {
            for (String h : page) {
                json.writeString(h);
            }
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
