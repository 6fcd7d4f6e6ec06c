package io.idnode.client.cli;

import io.idnode.crypto.CryptoException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.ValueReference;
import io.idnode.sign.Jws;
import io.idnode.sign.JwsEngine;
import io.idnode.sign.Permission;
import io.idnode.sign.RecordSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cert}: certificates (HS_CERT, handle-protocol.md §5.6) for keys that sign records. */
@Command(name = "cert", mixinStandardHelpOptions = true, description = "Certificates of signing keys (HS_CERT).",
        subcommands = CertCommand.Issue.class)
final class CertCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /**
     * {@code cert issue}: the issuer's key certifies a subject's public key with permissions, as a compact
     * JWS for the subject's handle (index 400 by convention). A root certifies itself: subject = issuer.
     */
    @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue a certificate: --key (the"
            + " issuer's private key) grants --subject-key the --perm permissions.")
    static final class Issue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The issuer's private key.")
        Path key;

        @Option(names = "--issuer", required = true, paramLabel = "INDEX:HANDLE",
                description = "Who issues, e.g. 300:88.111.1/0.0 (the handle holding the issuer's certificate).")
        String issuer;

        @Option(names = "--subject", paramLabel = "INDEX:HANDLE", description = "Whose key is certified, e.g."
                + " 300:88.111.1/LINE-1. Default: the issuer (a self-issued root).")
        String subject;

        @Option(names = "--subject-key", required = true, paramLabel = "FILE",
                description = "The certified public key (X.509 PEM, e.g. keygen's NAME.pub.pem).")
        Path subjectKey;

        @Option(names = "--perm", required = true, paramLabel = "PERM", description = "everything,"
                + " thisHandle:HANDLE, handlesUnderThisPrefix:0.NA/PREFIX or derivedPrefixes:0.NA/PREFIX"
                + " (repeatable).")
        List<String> perms;

        @Option(names = "--days", paramLabel = "DAYS", description = "Validity. Default: ${DEFAULT-VALUE}.")
        long days = 365;

        @Option(names = "--valid-until", paramLabel = "INSTANT", description = "End of validity instead of --days,"
                + " e.g. 2027-12-31T00:00:00Z (a past instant makes an expired certificate, for tests).")
        Instant validUntil;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the JWS here instead of printing it.")
        Path out;

        @Override
        public Integer call() throws CommandFailure {
            ValueReference issuerRef = reference("--issuer", issuer);
            ValueReference subjectRef = subject == null ? issuerRef : reference("--subject", subject);
            if (days < 1) {
                throw CommandFailure.usage("--days must be at least 1, was " + days);
            }
            List<Permission> granted = new ArrayList<>();
            for (String p : perms) {
                try {
                    granted.add(Permission.parse(p));
                } catch (IllegalArgumentException e) {
                    throw CommandFailure.usage("--perm: " + e.getMessage());
                }
            }
            CryptoProviders providers = CryptoProviders.create();
            KeyFiles files = new KeyFiles(providers);
            Jws cert;
            try {
                PrivateKey issuerKey = files.readPrivateKey(key, null);
                PublicKey certified = files.readPublicKeyPem(subjectKey);
                // One instant for iat and exp, so that --valid-until is exact to the second.
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                RecordSigner signer = new RecordSigner(new JwsEngine(providers), issuerKey, issuerRef, List.of(),
                        Duration.ofDays(days), Clock.fixed(now, ZoneOffset.UTC));
                Duration validity = validUntil == null ? Duration.ofDays(days) : Duration.between(now, validUntil);
                cert = signer.certify(subjectRef, certified, granted, validity);
            } catch (IOException | CryptoException e) {
                throw CommandFailure.usage(e.getMessage());
            }
            if (out == null) {
                spec.commandLine().getOut().println(cert.compact());
                spec.commandLine().getOut().flush();
            } else {
                try {
                    Files.writeString(out, cert.compact() + "\n", StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw CommandFailure.usage("cannot write " + out + ": " + e.getMessage());
                }
            }
            return ExitCode.OK.code();
        }

        private static ValueReference reference(String option, String text) throws CommandFailure {
            int colon = text.indexOf(':');
            try {
                if (colon > 0 && colon < text.length() - 1) {
                    return new ValueReference(text.substring(colon + 1), Integer.parseInt(text.substring(0, colon)));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw CommandFailure.usage(option + " must be INDEX:HANDLE, e.g. 300:88.111.1/0.0, was '" + text + "'");
        }
    }
}
