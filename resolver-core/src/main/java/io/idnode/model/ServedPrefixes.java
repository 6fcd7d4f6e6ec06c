package io.idnode.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The prefixes homed on this node. A handle is in scope when its governing prefix (the prefix of
 * {@code P/S}, or {@code P} of a prefix handle {@code 0.NA/P}) is one of them, matched case-insensitively.
 * HOME/UNHOME (handle-protocol.md §3.1, opCodes 300/301) change the set at run time; each change is handed
 * to a listener (the node persists it). Reads are lock-free; changes are serialised. Thread-safe.
 */
public final class ServedPrefixes {
    private volatile List<String> prefixes;
    private volatile Set<String> upper;
    private volatile int version;
    private final Consumer<List<String>> onChange;

    public ServedPrefixes(List<String> prefixes) {
        this(prefixes, p -> { });
    }

    /** Prefixes whose changes are reported to {@code onChange} (called with the new list, under the lock). */
    public ServedPrefixes(List<String> prefixes, Consumer<List<String>> onChange) {
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("a node must serve at least one prefix");
        }
        this.onChange = onChange;
        set(prefixes);
    }

    private void set(List<String> list) {
        Set<String> u = new LinkedHashSet<>();
        for (String p : list) {
            u.add(Handles.asciiUpper(p));
        }
        this.upper = Set.copyOf(u);
        this.prefixes = List.copyOf(list);
        this.version++;
    }

    /** A number that changes whenever the set of prefixes does, so that answers derived from it can be checked. */
    public int version() {
        return version;
    }

    /**
     * The longest prefix homed here from which {@code prefix} is derived (for {@code 88.100.1}: {@code 88.100},
     * else {@code 88}), upper-cased; null if there is none. The prefix itself does not count.
     */
    public String servedAncestor(String prefix) {
        Set<String> u = upper;
        String p = Handles.asciiUpper(prefix);
        for (int dot = p.lastIndexOf('.'); dot > 0; dot = p.lastIndexOf('.', dot - 1)) {
            String ancestor = p.substring(0, dot);
            if (u.contains(ancestor)) {
                return ancestor;
            }
        }
        return null;
    }

    /**
     * True if the record of {@code handle} may be kept here: its prefix is homed here ({@link #covers}), or it is
     * the prefix handle of a prefix derived from one homed here ({@code 0.NA/88.100.2} on the node of
     * {@code 88.100}), which the parent keeps as the delegation to the child (handle-protocol.md §4.3).
     */
    public boolean holds(String handle) {
        if (covers(handle)) {
            return true;
        }
        String h = Handles.lookupForm(handle);
        return Handles.isPrefixHandle(h) && servedAncestor(Handles.governingPrefix(h)) != null;
    }

    /** The prefixes as configured or homed. */
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

    /** Homes {@code prefix}; false if it already was. */
    public synchronized boolean home(String prefix) {
        if (isServed(prefix)) {
            return false;
        }
        List<String> next = new ArrayList<>(prefixes);
        next.add(prefix);
        onChange.accept(List.copyOf(next));
        set(next);
        return true;
    }

    /** Stops serving {@code prefix}; false if it was not homed here. The last prefix cannot be unhomed. */
    public synchronized boolean unhome(String prefix) {
        if (!isServed(prefix)) {
            return false;
        }
        List<String> next = new ArrayList<>(prefixes);
        next.removeIf(p -> Handles.asciiUpper(p).equals(Handles.asciiUpper(prefix)));
        if (next.isEmpty()) {
            throw new IllegalStateException("a node must serve at least one prefix");
        }
        onChange.accept(List.copyOf(next));
        set(next);
        return true;
    }
}
