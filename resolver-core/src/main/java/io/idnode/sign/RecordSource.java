package io.idnode.sign;

import io.idnode.model.HandleValue;
import java.io.IOException;
import java.util.List;

/**
 * Where a verifier finds the certificates of a chain (cn-extensions.md §5.3 step 2): the values of a handle.
 * Implementations: {@link InMemoryRecordSource}, the node's store, and the SDK's resolver over the network.
 */
@FunctionalInterface
public interface RecordSource {
    /**
     * The public values of {@code handle}; empty if it does not exist.
     *
     * @throws IOException if the values cannot be fetched (network, store), as opposed to not existing
     */
    List<HandleValue> values(String handle) throws IOException;
}
