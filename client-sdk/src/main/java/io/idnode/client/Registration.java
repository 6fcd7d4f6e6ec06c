package io.idnode.client;

import io.idnode.model.HandleValue;
import java.util.List;
import java.util.Objects;

/** One identifier to register in a batch: the handle and its values. Immutable. */
public record Registration(String handle, List<HandleValue> values) {
    public Registration {
        Objects.requireNonNull(handle, "handle");
        values = List.copyOf(values);
    }

    /** A registration of {@code handle} with {@code values}. */
    public static Registration of(String handle, HandleValue... values) {
        return new Registration(handle, List.of(values));
    }
}
