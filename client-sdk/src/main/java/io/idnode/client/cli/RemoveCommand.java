package io.idnode.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.client.HandleClient;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code remove}: values taken out of an identifier by index (§4.4). */
@Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove values of an identifier, by index.")
final class RemoveCommand extends NodeCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The identifier.")
    String handle;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INDEX", description = "Indexes of the values to remove.")
    List<Integer> indexes;

    @Override
    boolean administers() {
        return true;
    }

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) {
        client.removeValues(handle, indexes.stream().mapToInt(Integer::intValue).toArray()).join();
        if (output.json) {
            ObjectNode doc = OutputOptions.object().put("handle", handle);
            ArrayNode removed = doc.putArray("removed");
            indexes.forEach(removed::add);
            OutputOptions.print(out(), doc);
        } else {
            out().println(handle + ": removed " + indexes.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")));
        }
        return ExitCode.OK;
    }
}
