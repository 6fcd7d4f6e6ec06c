package io.idnode.store;

import java.nio.file.Path;

/** The store contract against {@link InMemoryRecordStore}. */
class InMemoryRecordStoreTest extends RecordStoreContract {
    @Override
    protected RecordStore open(Path directory) {
        return new InMemoryRecordStore();
    }

    @Override
    protected boolean persistent() {
        return false;
    }
}
