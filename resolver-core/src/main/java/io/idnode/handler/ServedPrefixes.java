package io.idnode.handler;

import io.idnode.model.Handles;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The prefixes homed on this node. A handle is in scope when its governing prefix (the prefix of
 * {@code P/S}, or {@code P} of a prefix handle {@code 0.NA/P}) is one of them, matched case-insensitively.
 */
public final class ServedPrefixes {
    private final List<String> prefixes;
    private final Set<String> upper;

    public ServedPrefixes(List<String> prefixes) {
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("a node must serve at least one prefix");
        }
        this.prefixes = List.copyOf(prefixes);
        Set<String> u = new LinkedHashSet<>();
        for (String p : prefixes) {
            u.add(Handles.asciiUpper(p));
        }
        this.upper = Set.copyOf(u);
    }

    /** The prefixes as configured. */
    public List<String> list() {
        return prefixes;
    }

    /** True if this node is responsible for {@code handle}. */
    public boolean covers(String handle) {
        return upper.contains(Handles.asciiUpper(Handles.governingPrefix(handle)));
    }

    /** True if {@code prefix} itself is homed here. */
    public boolean isServed(String prefix) {
        return upper.contains(Handles.asciiUpper(prefix));
    }
}
