package io.idnode.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.client.HandleClient;
import io.idnode.client.Resolution;
import io.idnode.client.ResolveRequest;
import io.idnode.json.RecordJsonWriter;
import io.idnode.model.HandleValue;
import io.idnode.protocol.ResponseCode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code resolve}: the values of an identifier, all or those of some types or indexes (§4.1). */
@Command(name = "resolve", mixinStandardHelpOptions = true, description = "Show the values of an identifier.")
final class ResolveCommand extends NodeCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The identifier, e.g. 88.100.1/PUMP-2026-000123.")
    String handle;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only values of this type; URL. also matches URL.x"
            + " (repeatable).")
    List<String> types = new ArrayList<>();

    @Option(names = "--index", paramLabel = "N", description = "Only the value at this index (repeatable).")
    List<Integer> indexes = new ArrayList<>();

    @Option(names = "--certified", description = "Ask for a signed reply and verify it against the node's key.")
    boolean certified;

    @Option(names = "--authoritative", description = "Ask a primary site only.")
    boolean authoritative;

    @Option(names = "--restricted", description = "Also values only administrators may read (authenticates as the"
            + " identity).")
    boolean restricted;

    @Override
    boolean administers() {
        return restricted;
    }

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) {
        ResolveRequest request = new ResolveRequest(handle, types, indexes, certified, authoritative, !restricted);
        Resolution r = client.resolve(request).join();
        if (output.json) {
            ObjectNode doc = (ObjectNode) OutputOptions.tree(RecordJsonWriter.STANDARD.writeReply(ResponseCode.SUCCESS,
                    r.handle(), r.values()));
            doc.put("certified", r.certified());
            OutputOptions.print(out(), doc);
        } else {
            out().println(r.handle() + (r.certified() ? " (certified)" : ""));
            printValues(r.values(), valueText());
        }
        return ExitCode.OK;
    }

    /** The values as a table: index, type, data in its text form; permissions when not the default. */
    private void printValues(List<HandleValue> values, ValueText text) {
        if (values.isEmpty()) {
            out().println("  (no value matches)");
            return;
        }
        int typeWidth = "type".length();
        for (HandleValue v : values) {
            typeWidth = Math.max(typeWidth, v.type().length());
        }
        String row = "  %-6s %-" + typeWidth + "s  %s%n";
        out().printf(row, "index", "type", "data");
        for (HandleValue v : values) {
            out().printf(row, v.index(), v.type(), text.show(v));
        }
        out().flush();
    }
}
