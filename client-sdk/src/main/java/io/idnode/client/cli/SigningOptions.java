package io.idnode.client.cli;

import io.idnode.client.RecordSigning;
import io.idnode.crypto.CryptoProviders;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --sign-with KEY --cert CERT [--signature-days N]}: records are signed as they are registered, with
 * an HS_SIGNATURE by the key that {@code CERT} (an HS_CERT JWS) certifies (handle-protocol.md §5.6).
 */
final class SigningOptions {
    @Option(names = "--sign-with", paramLabel = "KEY", description = "Sign each record with this private key"
            + " (PKCS#8 PEM or a Handle key file); needs --cert.")
    Path key;

    @Option(names = "--cert", paramLabel = "CERT", description = "The certificate (HS_CERT JWS) of the --sign-with"
            + " key; its sub names the signer.")
    Path cert;

    @Option(names = "--signature-days", paramLabel = "DAYS", description = "How long the signatures are valid."
            + " Default: ${DEFAULT-VALUE}.")
    long days = RecordSigning.DEFAULT_VALIDITY.toDays();

    /** The signing asked for, or null when none. */
    RecordSigning signing(CryptoProviders providers) throws CommandFailure {
        if (key == null && cert == null) {
            return null;
        }
        if (key == null || cert == null) {
            throw CommandFailure.usage("--sign-with KEY and --cert CERT go together: the key signs, the certificate"
                    + " says whose key it is");
        }
        if (days < 1) {
            throw CommandFailure.usage("--signature-days must be at least 1, was " + days);
        }
        try {
            return RecordSigning.fromFiles(key, cert, providers, Duration.ofDays(days));
        } catch (IOException e) {
            throw CommandFailure.usage(e.getMessage());
        }
    }
}
