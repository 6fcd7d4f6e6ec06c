package io.idnode.client.cli;

import io.idnode.client.ClientSettings;
import io.idnode.client.HandleClient;
import io.idnode.client.Identity;
import io.idnode.client.InvalidSettingException;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.ValueReference;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options that say where the node is and who the user is there, each overriding the profile file's
 * member of the same name for one call; and the client made from them.
 */
final class ProfileOptions {
    @Option(names = "--profile", paramLabel = "FILE", description = "Profile file (default: $IDCTL_PROFILE, else"
            + " ~/.config/idctl/profile.properties).")
    Path profileFile;

    @Option(names = "--node", paramLabel = "HOST:PORT", description = "Node to talk to (port 2641 if omitted).")
    String node;

    @Option(names = "--site", paramLabel = "FILE", description = "The node's siteinfo.bin or siteinfo.json instead"
            + " of --node.")
    Path site;

    @Option(names = "--identity", paramLabel = "INDEX:HANDLE", description = "Who administers, e.g."
            + " 300:88.100.1/LINE-1.")
    String identity;

    @Option(names = "--key", paramLabel = "FILE", description = "The identity's private key (PKCS#8 PEM, as idctl"
            + " keygen writes).")
    Path key;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest wait for one operation, retries and"
            + " fail-over included. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    /** The default of {@code --timeout}: long enough to ride out a node's restart, short enough to report one down. */
    static final long DEFAULT_TIMEOUT_SECONDS = 20;

    /** The profile file in use. */
    Path profilePath() {
        return profileFile != null ? profileFile : Profile.defaultLocation();
    }

    /** The profile file's settings overridden by the options given. */
    Profile profile() throws CommandFailure {
        if (profileFile != null && !java.nio.file.Files.exists(profileFile)) {
            throw CommandFailure.usage("profile " + profileFile + " does not exist; write it with: idctl profile"
                    + " --profile " + profileFile + " --node HOST:PORT --identity INDEX:HANDLE --key FILE");
        }
        return Profile.read(profilePath()).overriddenBy(new Profile(node, site, identity, key));
    }

    /** Where the node is, for messages: its address or its site file. */
    String where() throws CommandFailure {
        Profile p = profile();
        return p.node() != null ? p.node() : p.site() != null ? "the site in " + p.site() : "(no node given)";
    }

    /**
     * A client of the node; with {@code administer}, authenticated as the profile's identity with its key.
     *
     * @throws CommandFailure naming the missing or wrong setting
     */
    HandleClient connect(boolean administer, CryptoProviders providers) throws CommandFailure {
        Profile p = profile();
        HandleClient.Builder b = HandleClient.builder();
        try {
            if (p.node() != null) {
                b.node(p.node());
            }
            if (p.site() != null) {
                b.siteFile(p.site());
            }
        } catch (InvalidSettingException e) {
            throw CommandFailure.usage((p.node() != null ? "--node " : "--site ") + e.problem());
        }
        if (timeoutSeconds < 1) {
            throw CommandFailure.usage("--timeout must be at least 1 second, was " + timeoutSeconds);
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        b.operationTimeout(timeout).requestTimeout(timeout.compareTo(ClientSettings.DEFAULT_REQUEST_TIMEOUT) < 0 ? timeout
                : ClientSettings.DEFAULT_REQUEST_TIMEOUT);
        if (p.node() == null && p.site() == null) {
            throw CommandFailure.usage("no node given: use --node HOST:PORT (e.g. 127.0.0.1:2641) or --site FILE,"
                    + " or save one with: idctl profile --node HOST:PORT");
        }
        if (administer) {
            b.identity(identity(p, providers));
        }
        return b.build();
    }

    private static Identity identity(Profile p, CryptoProviders providers) throws CommandFailure {
        ValueReference reference = p.identityReference();
        if (p.key() == null) {
            throw CommandFailure.usage("no key for " + reference + ": give --key FILE (the private key made by"
                    + " idctl keygen), or save it with: idctl profile --key FILE");
        }
        PrivateKey key;
        try {
            key = new KeyFiles(providers).readPrivateKey(p.key(), null);
        } catch (NoSuchFileException e) {
            throw CommandFailure.usage("the key file " + p.key() + " does not exist; give --key FILE, the private key"
                    + " of " + reference + " (idctl keygen makes one)");
        } catch (IOException e) {
            throw CommandFailure.usage("cannot use the key: " + e.getMessage());
        }
        try {
            return Identity.of(reference, key);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(p.key() + ": " + e.getMessage());
        }
    }
}
