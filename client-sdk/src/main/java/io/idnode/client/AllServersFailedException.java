package io.idnode.client;

import java.util.List;

/**
 * Every server that could answer the operation failed without answering it: connection refused or lost, no
 * reply to a request in time. {@link #failures()} holds the last cause per server, in the order they were
 * tried; the message lists them, e.g. "node unreachable at 127.0.0.1:2641 (connection refused)".
 */
public final class AllServersFailedException extends HandleException {
    private static final long serialVersionUID = 1L;

    private final transient List<ServerFailure> failures;

    AllServersFailedException(String message, List<ServerFailure> failures) {
        super(message, failures.isEmpty() ? null : failures.get(failures.size() - 1).cause());
        this.failures = List.copyOf(failures);
    }

    /** The last failure of each server tried, in order. */
    public List<ServerFailure> failures() {
        return failures;
    }
}
