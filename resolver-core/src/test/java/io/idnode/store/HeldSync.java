package io.idnode.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A seam around a real RocksDB store's sync of its write-ahead log, for tests of group commit: every sync is
 * counted; once {@link #holdNext()} is called, the next sync to start waits until {@link #release()}; syncs
 * from the {@link #failFrom}th on fail instead of syncing. The real sync runs otherwise. One hold per seam.
 */
public final class HeldSync implements RocksDbRecordStore.WalSync {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile int failFrom = Integer.MAX_VALUE;

    /** Opens a store in {@code dir}, with the default settings, whose log is synced through this seam. */
    public RocksDbRecordStore open(Path dir) {
        return open(RocksDbRecordStore.builder(dir));
    }

    RocksDbRecordStore open(RocksDbRecordStore.Builder builder) {
        return builder.walSync(this).open();
    }

    /** Holds the next sync to start until {@link #release()}. */
    public void holdNext() {
        armed.set(true);
    }

    /** Makes the {@code n}th sync (counted from 1) and every later one fail. */
    public void failFrom(int n) {
        failFrom = n;
    }

    /** Lets the held sync go on. */
    public void release() {
        release.countDown();
    }

    /** Waits until the held sync has started. */
    public void awaitEntered() throws InterruptedException {
        if (!entered.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no sync started within 30 s");
        }
    }

    /** Syncs so far. */
    public int calls() {
        return calls.get();
    }

    /** Syncs that have completed (and succeeded) so far. */
    public int done() {
        return done.get();
    }

    /** The threads that ran the syncs, in order. */
    public List<Thread> threads() {
        synchronized (threads) {
            return List.copyOf(threads);
        }
    }

    @Override
    public void sync(RocksDB db) throws RocksDBException {
        int call = calls.incrementAndGet();
        synchronized (threads) {
            threads.add(Thread.currentThread());
        }
        if (armed.compareAndSet(true, false)) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RocksDBException("interrupted while held");
            }
        }
        if (call >= failFrom) {
            throw new RocksDBException("injected sync failure");
        }
        FLUSH_AND_SYNC.sync(db);
        done.incrementAndGet();
    }
}
