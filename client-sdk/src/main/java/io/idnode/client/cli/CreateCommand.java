package io.idnode.client.cli;

import io.idnode.client.CreateRequest;
import io.idnode.client.CreateResult;
import io.idnode.client.HandleClient;
import io.idnode.client.IfExists;
import io.idnode.client.RecordSigning;
import io.idnode.model.HandleValue;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code create}: registers one identifier with its values (§4.4). A record given no HS_ADMIN gets one naming
 * the identity as its owner ({@link NodeCommand#withOwner}). With {@code --sign-with} and {@code --cert}, the
 * values (the owner's HS_ADMIN included) are signed before they are sent.
 */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Register an identifier with its values.")
final class CreateCommand extends NodeCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The identifier, e.g. 88.100.1/PUMP-2026-000124;"
            + " with --mint, the prefix alone.")
    String handle;

    @Mixin
    ValueOptions values;

    @Option(names = "--if-exists", paramLabel = "POLICY", description = "When the identifier exists: FAIL,"
            + " ACCEPT_IDENTICAL (done if it holds exactly these values) or OVERWRITE. Default: ${DEFAULT-VALUE}.")
    IfExists ifExists = IfExists.FAIL;

    @Option(names = "--mint", description = "Let the node make up the suffix under the prefix HANDLE.")
    boolean mint;

    @Mixin
    SigningOptions signingOptions;

    @Override
    boolean administers() {
        return true;
    }

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) throws CommandFailure {
        List<HandleValue> given = withOwner(values.values(valueText()), profile.profile().identityReference());
        RecordSigning signing = signingOptions.signing(providers);
        if (signing != null) {
            if (mint) {
                throw CommandFailure.usage("--mint and --sign-with do not go together: a signature names its handle,"
                        + " which the node makes up only when it mints");
            }
            given = signing.sign(handle, given);
        }
        CreateRequest request = (mint ? CreateRequest.minting(handle, given) : CreateRequest.of(handle, given))
                .withIfExists(ifExists);
        CreateResult result = client.create(request).join();
        if (output.json) {
            OutputOptions.print(out(), OutputOptions.object().put("handle", result.handle())
                    .put("created", result.created()));
        } else {
            out().println(result.created() ? "created " + result.handle()
                    : result.handle() + " was registered already with these values; nothing changed");
        }
        return ExitCode.OK;
    }
}
