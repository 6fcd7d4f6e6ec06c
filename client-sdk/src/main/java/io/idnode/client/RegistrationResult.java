package io.idnode.client;

/**
 * The outcome of one item of a batch: its position in the input (0 for the first item; for a file, the line
 * number minus one), its handle (null for an input line that could not be read), what happened, and for
 * {@link Status#CONFLICT} and {@link Status#FAILED} the error: a {@link ConflictException}, another
 * {@link HandleException}, or an {@link IllegalArgumentException} for an input line that is not a record.
 */
public record RegistrationResult(long position, String handle, Status status, Exception error) {

    /** What happened to an item. */
    public enum Status {
        /** The record was created (or replaced, with {@link IfExists#OVERWRITE}). */
        CREATED,
        /** The record existed already with exactly these values: done, nothing changed. */
        ALREADY_REGISTERED,
        /** The record existed with other values; it was left as it is. */
        CONFLICT,
        /** The item could not be registered; {@link #error()} says why. */
        FAILED
    }

    /** True for {@link Status#CREATED} and {@link Status#ALREADY_REGISTERED}: the identifier is registered. */
    public boolean registered() {
        return status == Status.CREATED || status == Status.ALREADY_REGISTERED;
    }
}
