package io.idnode.client;

/**
 * What a create does when the handle exists already (handle-protocol.md §4.4, response code 101). Whatever
 * the choice, a create sent again after its reply was lost counts as done when the record holds exactly the
 * values sent (value timestamps aside: the node stamps them), so retries never fail a registration that went
 * through.
 */
public enum IfExists {
    /** Fail with a {@link ResponseException} (101), or a {@link ConflictException} after a lost reply. */
    FAIL,
    /**
     * Count an existing record with exactly the values sent as done ({@link CreateResult#created()} false);
     * one with other values fails with a {@link ConflictException} and is left as it is.
     */
    ACCEPT_IDENTICAL,
    /** Replace the existing record (the OVERWRITE flag, §2.2). */
    OVERWRITE
}
