package io.idnode.sign.policy;

import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.sign.RecordSource;
import io.idnode.store.RecordStore;
import java.util.List;
import java.util.Objects;

/** Certificates from this node's own store: the public values of its records. Thread-safe as the store is. */
public final class StoreRecordSource implements RecordSource {
    private final RecordStore store;

    /** Reads from {@code store}. */
    public StoreRecordSource(RecordStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public List<HandleValue> values(String handle) {
        HandleRecord r = store.get(handle);
        return r == null ? List.of() : r.values().stream().filter(HandleValue::isPublicReadable).toList();
    }
}
