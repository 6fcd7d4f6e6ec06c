package io.idnode.model;

import java.util.Objects;

/** A reference {@code index:handle} to one value of a handle (HS_VLIST members, value references, admins). */
public record ValueReference(String handle, int index) {
    public ValueReference {
        Objects.requireNonNull(handle, "handle");
    }

    @Override
    public String toString() {
        return index + ":" + handle;
    }
}
