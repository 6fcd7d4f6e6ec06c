package io.idnode.client.cli;

import io.idnode.client.HandleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete}: an identifier and all its values (§4.4). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an identifier.")
final class DeleteCommand extends NodeCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The identifier.")
    String handle;

    @Override
    boolean administers() {
        return true;
    }

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) {
        client.delete(handle).join();
        if (output.json) {
            OutputOptions.print(out(), OutputOptions.object().put("handle", handle).put("deleted", true));
        } else {
            out().println("deleted " + handle);
        }
        return ExitCode.OK;
    }
}
