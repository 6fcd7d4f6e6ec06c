package io.idnode.client.cli;

/**
 * Why a command stopped: the exit code and a message for people that says what to fix. Thrown by commands,
 * printed once by {@link Idctl}'s handler (and as a JSON document with {@code --json}).
 */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ExitCode exitCode;

    CommandFailure(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CommandFailure(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A problem with what the user gave: options, profile, files. */
    static CommandFailure usage(String message) {
        return new CommandFailure(ExitCode.USAGE, message);
    }

    ExitCode exitCode() {
        return exitCode;
    }
}
