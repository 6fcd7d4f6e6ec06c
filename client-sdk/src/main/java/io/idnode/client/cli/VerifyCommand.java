package io.idnode.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idnode.client.HandleClient;
import io.idnode.client.ResolverRecordSource;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.sign.JwsEngine;
import io.idnode.sign.RecordVerifier;
import io.idnode.sign.TrustRoot;
import io.idnode.sign.VerificationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verify HANDLE}: resolves the record, follows each HS_SIGNATURE's certificate chain over the network
 * up to the trust roots given, and prints the report (values covered, signer, chain, what failed and why).
 * Exit code 0 only when everything verifies, 1 otherwise.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify a record's signatures up to"
        + " trusted roots; exit code 0 only when everything verifies.")
final class VerifyCommand extends NodeCommand {
    @Parameters(index = "0", paramLabel = "HANDLE", description = "The identifier, e.g. 88.100.1/PUMP-2026-000124.")
    String handle;

    @Option(names = "--trust-root", required = true, paramLabel = "[HANDLE@]FILE", description = "A trusted root"
            + " public key (X.509 PEM), at HANDLE only if given (e.g. 88.111.1/0.0@root.pub.pem) (repeatable).")
    List<String> roots;

    @Option(names = "--chain-limit", paramLabel = "N", description = "Most certificates followed. Default:"
            + " ${DEFAULT-VALUE}.")
    int chainLimit = RecordVerifier.DEFAULT_MAX_CHAIN_LENGTH;

    @Override
    boolean administers() {
        return false;
    }

    @Override
    ExitCode run(HandleClient client, Diagnosis diagnosis) throws CommandFailure {
        if (chainLimit < 1) {
            throw CommandFailure.usage("--chain-limit must be at least 1, was " + chainLimit);
        }
        KeyFiles files = new KeyFiles(providers);
        List<TrustRoot> trusted = new ArrayList<>();
        for (String r : roots) {
            int at = r.indexOf('@');
            try {
                trusted.add(new TrustRoot(at < 0 ? null : r.substring(0, at), files.readPublicKeyPem(
                        Path.of(r.substring(at + 1)))));
            } catch (IOException e) {
                throw CommandFailure.usage("--trust-root: " + e.getMessage());
            }
        }
        RecordVerifier verifier = new RecordVerifier(new JwsEngine(providers), trusted,
                new ResolverRecordSource(client), chainLimit, Clock.systemUTC());
        VerificationReport report = verifier.verify(handle, client.resolve(handle).join().values(), true);
        if (output.json) {
            ObjectNode doc = OutputOptions.object().put("handle", handle).put("verified", report.verified());
            ArrayNode failures = doc.putArray("failures");
            report.failures().forEach(failures::add);
            OutputOptions.print(out(), doc);
        } else {
            out().print(report.render());
            out().flush();
        }
        return report.verified() ? ExitCode.OK : ExitCode.FAILED;
    }
}
