package io.idnode.cache;

import io.idnode.store.RecordStore;
import io.idnode.store.RecordStoreContract;
import io.idnode.store.RocksDbRecordStore;
import java.nio.file.Path;

/** The store contract against {@link CachingRecordStore} over {@link RocksDbRecordStore}. */
class CachingRecordStoreContractTest extends RecordStoreContract {
    @Override
    protected RecordStore open(Path directory) {
        return new CachingRecordStore(RocksDbRecordStore.open(directory), CacheSettings.defaults());
    }
}
