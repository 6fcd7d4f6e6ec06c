package io.idnode.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code profile}: shows the profile in use; given {@code --node}, {@code --site}, {@code --identity} or
 * {@code --key}, saves them into it first (keeping the members not given).
 */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "Show the profile; with --node, --site,"
        + " --identity or --key, save them in it first.")
final class ProfileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProfileOptions options;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws CommandFailure {
        Path file = options.profilePath();
        Profile given = new Profile(options.node, options.site, options.identity, options.key);
        boolean saving = !given.entries().isEmpty();
        if (given.identity() != null) {
            Profile.parseIdentity(given.identity());
        }
        Profile profile = Profile.read(file).overriddenBy(given);
        if (saving) {
            try {
                profile.write(file);
            } catch (IOException e) {
                throw CommandFailure.usage("cannot write the profile " + file + ": " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            ObjectNode doc = OutputOptions.object().put("profile", file.toAbsolutePath().toString());
            profile.entries().forEach(doc::put);
            OutputOptions.print(out, doc);
        } else {
            out.println((saving ? "saved " : "profile ") + file + (profile.entries().isEmpty() ? " (empty)" : ""));
            for (Map.Entry<String, String> e : profile.entries().entrySet()) {
                out.println("  " + e.getKey() + " = " + e.getValue());
            }
            out.flush();
        }
        return ExitCode.OK.code();
    }
}
