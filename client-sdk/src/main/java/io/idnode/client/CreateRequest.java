package io.idnode.client;

import io.idnode.model.HandleValue;
import java.util.List;
import java.util.Objects;

/**
 * A create (handle-protocol.md §4.4): the handle and its values, what to do if it exists
 * ({@link IfExists}), and whether the node mints the suffix (MINT, §2.2: the handle is then a prefix and a
 * slash, {@code 88.100.1/}, and the result names the handle made). A minted create is sent at most once
 * after it may have reached the node, since sending it again would mint a second handle. Immutable.
 */
public record CreateRequest(String handle, List<HandleValue> values, IfExists ifExists, boolean mint) {

    public CreateRequest {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(ifExists, "ifExists");
        values = List.copyOf(values);
    }

    /** A create of {@code handle} with {@code values} that fails if the handle exists ({@link IfExists#FAIL}). */
    public static CreateRequest of(String handle, List<HandleValue> values) {
        return new CreateRequest(handle, values, IfExists.FAIL, false);
    }

    /** A create of a handle under {@code prefix} whose suffix the node mints (§2.2). */
    public static CreateRequest minting(String prefix, List<HandleValue> values) {
        return new CreateRequest(prefix.endsWith("/") ? prefix : prefix + "/", values, IfExists.FAIL, true);
    }

    /** This create with another policy for an existing handle. */
    public CreateRequest withIfExists(IfExists policy) {
        return new CreateRequest(handle, values, policy, mint);
    }
}
