package io.idnode.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.client.HandleClient;
import io.idnode.model.HandleValue;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code add} and {@code modify}: values added to, or replaced in, an existing identifier (§4.4). */
abstract class ValuesChangeCommand extends NodeCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The identifier.")
    String handle;

    @Mixin
    ValueOptions values;

    @Override
    boolean administers() {
        return true;
    }

    /** Sends the change. */
    abstract void send(HandleClient client, List<HandleValue> values);

    /** The past participle for people and the member name for scripts: "added", "modified". */
    abstract String verb();

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) throws CommandFailure {
        List<HandleValue> given = values.values(valueText());
        send(client, given);
        if (output.json) {
            ObjectNode doc = OutputOptions.object().put("handle", handle);
            ArrayNode indexes = doc.putArray(verb());
            given.forEach(v -> indexes.add(v.index()));
            OutputOptions.print(out(), doc);
        } else {
            out().println(handle + ": " + verb() + " " + given.stream().map(v -> v.index() + ":" + v.type())
                    .collect(Collectors.joining(", ")));
        }
        return ExitCode.OK;
    }

    /** {@code add}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add values to an identifier.")
    static final class Add extends ValuesChangeCommand {
        @Override
        void send(HandleClient client, List<HandleValue> values) {
            client.addValues(handle, values).join();
        }

        @Override
        String verb() {
            return "added";
        }
    }

    /** {@code modify}. */
    @Command(name = "modify", mixinStandardHelpOptions = true, description = "Replace values of an identifier, by"
            + " index.")
    static final class Modify extends ValuesChangeCommand {
        @Override
        void send(HandleClient client, List<HandleValue> values) {
            client.modifyValues(handle, values).join();
        }

        @Override
        String verb() {
            return "modified";
        }
    }
}
