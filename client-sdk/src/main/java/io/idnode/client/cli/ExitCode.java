package io.idnode.client.cli;

/**
 * The exit codes of {@code idctl}, one per kind of outcome a script may act on; the README's table lists the
 * same. Every code other than {@link #OK} comes with a message on standard error saying what to fix.
 */
enum ExitCode {
    /** Everything asked for was done. */
    OK(0),
    /** The node refused the operation (not found, exists, conflict), or some items of an import failed. */
    FAILED(1),
    /** The command line, the profile, a key file or an input file is wrong; nothing was sent. */
    USAGE(2),
    /** No server of the node answered in time, or none could be reached. */
    UNREACHABLE(3),
    /** Authentication failed (wrong key, unknown identity) or the identity lacks a permission. */
    DENIED(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    int code() {
        return code;
    }

    /** The name scripts see in {@code --json} errors, e.g. {@code "unreachable"}. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
