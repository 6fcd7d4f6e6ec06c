package io.idnode.sign;

import io.idnode.model.HandleValue;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records held in memory, e.g. the certificates a verifier was given with the record to verify offline.
 * Prefixes are matched case-insensitively, as handles are. Thread-safe.
 */
public final class InMemoryRecordSource implements RecordSource {
    private final Map<String, List<HandleValue>> records = new ConcurrentHashMap<>();

    /** Puts (or replaces) the values of {@code handle}; returns this source. */
    public InMemoryRecordSource put(String handle, List<HandleValue> values) {
        records.put(key(handle), List.copyOf(values));
        return this;
    }

    /** Removes {@code handle}. */
    public void remove(String handle) {
        records.remove(key(handle));
    }

    @Override
    public List<HandleValue> values(String handle) {
        return records.getOrDefault(key(handle), List.of());
    }

    private static String key(String handle) {
        int slash = handle.indexOf('/');
        return slash < 0 ? handle.toUpperCase(Locale.ROOT)
                : handle.substring(0, slash).toUpperCase(Locale.ROOT) + handle.substring(slash);
    }
}
