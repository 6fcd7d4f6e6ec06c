package io.idnode.server;

import io.idnode.store.RocksDbRecordStore;
import java.nio.file.Path;

/**
 * Settings of the node's RocksDB store, nested in {@link NodeConfig}. Writes always sync the write-ahead log:
 * a success reply means the change is on disk, so that is not a setting.
 *
 * @param blockCacheBytes size of RocksDB's block cache, in native memory outside the heap
 */
public record StoreSettings(long blockCacheBytes) {
    /** Opens (creating if needed) the store in {@code directory} with these settings. */
    RocksDbRecordStore open(Path directory) {
        return RocksDbRecordStore.builder(directory).blockCacheBytes(blockCacheBytes).open();
    }
}
