package io.idnode.bench;

import io.idnode.loadgen.KeyChooser;
import io.idnode.model.HandleRecord;
import io.idnode.store.RocksDbRecordStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * RocksDB point reads without the hot cache, random keys: {@code hot}, 10,000 records that fit the 64 MiB
 * block cache; {@code cold}, 2,000,000 records (about 107 MiB of files) behind a 4 MiB block cache, so most
 * reads miss it and decompress a block read from the files (the OS page cache still holds them).
 */
@State(Scope.Benchmark)
public class RocksDbReadBenchmark extends AbstractBenchmark {
    @Param({"hot", "cold"})
    String mode;

    BenchNode node;
    RocksDbRecordStore rocks;
    String[] handles;
    int[] sequence;

    @Setup(Level.Trial)
    public void setUp() {
        boolean hot = mode.equals("hot");
        int records = hot ? 10_000 : 2_000_000;
        node = BenchNode.create(records, hot ? 64L << 20 : 4L << 20, 0);
        rocks = node.rocks();
        handles = new String[records];
        for (int i = 0; i < records; i++) {
            handles[i] = node.keys().key(i);
        }
        sequence = KeyChooser.uniform(records).precompute(KeySequence.LENGTH, 7);
        if (rocks.get(handles[sequence[0]]) == null) {
            throw new IllegalStateException("benchmark record missing");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    @Benchmark
    public HandleRecord get(KeySequence keys) {
        return rocks.get(handles[sequence[keys.next()]]);
    }
}
