package io.idnode.client.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/**
 * {@code idctl}, the command line of the client SDK: keys, the profile, resolution, administration and the import
 * of CSV and JSON Lines files. Output is for people unless {@code --json} is given; the exit code says what
 * happened ({@link ExitCode}); every error is one line on standard error saying what to fix.
 */
@Command(name = "idctl", mixinStandardHelpOptions = true, version = "idctl 0.1.0",
        description = "Register and resolve identifiers on an Idnode (Handle protocol) node.",
        subcommands = {KeygenCommand.class, ProfileCommand.class, ResolveCommand.class, CreateCommand.class,
            ValuesChangeCommand.Add.class, ValuesChangeCommand.Modify.class, RemoveCommand.class, DeleteCommand.class,
            ListCommand.class, SiteCommand.class, DelegateCommand.class, ImportCommand.class, CertCommand.class, VerifyCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:refused by the node (not found, exists, conflict), or some items failed",
            "2:wrong command line, profile, key file or input file; nothing was sent",
            "3:node unreachable or not answering", "4:authentication failed or permission missing"})
public final class Idctl implements Runnable {

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, its errors reported as one line each and mapped to {@link ExitCode}s. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Idctl());
        // Values such as "@line1.pub" are data, not picocli argument files.
        cl.setExpandAtFiles(false);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage() + " (" + cmd.getCommandSpec().qualifiedName()
                    + " --help lists the options)");
            return ExitCode.USAGE.code();
        });
        cl.setExecutionExceptionHandler(Idctl::failed);
        return cl;
    }

    private static int failed(Exception ex, CommandLine cmd, ParseResult parsed) {
        CommandFailure failure = ex instanceof CommandFailure f ? f
                : new CommandFailure(ExitCode.FAILED, ex.getMessage() == null ? ex.toString() : ex.getMessage(), ex);
        PrintWriter err = cmd.getErr();
        err.println("error: " + failure.getMessage());
        err.flush();
        if (cmd.getParseResult().hasMatchedOption("--json")) {
            OutputOptions.print(cmd.getOut(), OutputOptions.object().set("error", OutputOptions.object()
                    .put("exitCode", failure.exitCode().code()).put("kind", failure.exitCode().label())
                    .put("message", failure.getMessage())));
        }
        return failure.exitCode().code();
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
