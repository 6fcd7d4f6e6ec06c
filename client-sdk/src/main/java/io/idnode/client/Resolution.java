package io.idnode.client;

import io.idnode.model.HandleValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The values a resolution returned (handle-protocol.md §4.2), as the node stores them: the handle as
 * requested, and the values (empty when the handle exists but no value matched the filters, response code
 * 200). {@code certified} is true when the reply was signed and the signature verified. Immutable.
 */
public record Resolution(String handle, List<HandleValue> values, boolean certified) {

    public Resolution {
        Objects.requireNonNull(handle, "handle");
        values = List.copyOf(values);
    }

    /** The value at {@code index}, if returned. */
    public Optional<HandleValue> value(int index) {
        for (HandleValue v : values) {
            if (v.index() == index) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** The values of type {@code type} or a subtype of it ({@code type.x}, §5.1), in order. */
    public List<HandleValue> valuesOfType(String type) {
        return values.stream().filter(v -> v.hasType(type)).toList();
    }

    /** The data of the first value of type {@code type} (or a subtype), as UTF-8 text, if any. */
    public Optional<String> firstText(String type) {
        for (HandleValue v : values) {
            if (v.hasType(type)) {
                return Optional.of(v.dataAsString());
            }
        }
        return Optional.empty();
    }
}
