package io.idnode.client.cli;

/** Something the user wrote (a value, a CSV cell, a line of an input file) that cannot be used; the message says why. */
final class InputException extends Exception {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}
