package io.idnode.client;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A resolution (handle-protocol.md §4.1): the handle, optional filters by type and by index (a value is
 * returned if it matches either; none means every value; a type ending in '.' also matches its subtypes,
 * {@code URL.} matches {@code URL.ALT}), and the flags: {@code certified} asks the server to sign its reply,
 * which the client verifies against the server key of its site (§2.3); {@code authoritative} goes to a primary
 * site only (§2.2); {@code publicOnly} (the default) asks for public values only, while without it values
 * restricted to administrators are returned to an {@link Identity} with read permission. Immutable.
 */
public record ResolveRequest(String handle, List<String> types, List<Integer> indexes, boolean certified,
        boolean authoritative, boolean publicOnly) {

    public ResolveRequest {
        Objects.requireNonNull(handle, "handle");
        types = List.copyOf(types);
        indexes = List.copyOf(indexes);
    }

    /** Every public value of {@code handle}, neither certified nor authoritative. */
    public static ResolveRequest of(String handle) {
        return new ResolveRequest(handle, List.of(), List.of(), false, false, true);
    }

    /** This request selecting the values of {@code types} (and their subtypes for types ending in '.'). */
    public ResolveRequest withTypes(String... types) {
        return new ResolveRequest(handle, Arrays.asList(types), indexes, certified, authoritative, publicOnly);
    }

    /** This request selecting the values at {@code indexes}. */
    public ResolveRequest withIndexes(int... indexes) {
        return new ResolveRequest(handle, types, Arrays.stream(indexes).boxed().toList(), certified, authoritative,
                publicOnly);
    }

    /** This request with a signed, verified reply (CT, §2.2, §2.3) or not. */
    public ResolveRequest withCertified(boolean on) {
        return new ResolveRequest(handle, types, indexes, on, authoritative, publicOnly);
    }

    /** This request for a primary site's answer (AT, §2.2) or any site's. */
    public ResolveRequest withAuthoritative(boolean on) {
        return new ResolveRequest(handle, types, indexes, certified, on, publicOnly);
    }

    /** This request for public values only (PO, the default) or also for restricted ones (§4.1). */
    public ResolveRequest withPublicOnly(boolean on) {
        return new ResolveRequest(handle, types, indexes, certified, authoritative, on);
    }
}
