package io.idnode.client;

import java.util.Objects;

/**
 * The outcome of a create: the handle the record is under (the minted one for a minted create), and whether
 * this create made or replaced it ({@code created} true) or found it already holding exactly the values sent
 * (false; see {@link IfExists}).
 */
public record CreateResult(String handle, boolean created) {
    public CreateResult {
        Objects.requireNonNull(handle, "handle");
    }
}
