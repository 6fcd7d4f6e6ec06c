package io.idnode.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Group commit for a store whose writes reach its write-ahead log unsynced: each applied write takes the next
 * position, and {@link #durable} completes once a sync has covered a position. The first caller that finds
 * no sync running leads: it syncs on its own thread and completes every waiter that sync covered, itself
 * included; if others wait by then, it hands the lead to the sync thread ({@code syncThread}, one at most at
 * a time), which syncs while anyone waits. So a lone writer syncs at once, with no hand-off, a leader's own
 * caller is answered after one sync, and under load one sync covers every write applied while the previous
 * one ran. At most {@code maxWaiting} callers wait; one more waits for room (back-pressure on the writers,
 * never an unbounded queue).
 *
 * <p>A failed sync fails every waiter, and every later write is refused ({@link #checkWritable}): after a
 * failed fsync the kernel may have dropped the dirty pages, and the log replays only up to the first hole, so
 * nothing written since the last good sync is known to be on disk, whatever a later sync reports. Thread-safe.
 */
final class GroupCommit {

    /** Makes every write applied so far durable; fails with a {@link StoreException} naming the store. */
    @FunctionalInterface
    interface Sync {
        void sync();
    }

    private final String name;
    private final Sync sync;
    private final Executor syncThread;
    private final int maxWaiting;
    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private long applied;
    private long synced;
    private long syncs;
    private boolean leading;
    // The thread syncing now; null while the lead passes to the sync thread.
    private Thread leader;
    private StoreException failure;

    /**
     * Commits of the store {@code name}, made durable by {@code sync}, with at most {@code maxWaiting} waiting;
     * a lead that outlasts its first sync goes on on {@code syncThread} (a single thread, or a caller's thread
     * once it refuses work).
     */
    GroupCommit(String name, Sync sync, Executor syncThread, int maxWaiting) {
        if (maxWaiting < 1) {
            throw new IllegalArgumentException("maxWaiting must be at least 1, got " + maxWaiting);
        }
        this.name = name;
        this.sync = sync;
        this.syncThread = syncThread;
        this.maxWaiting = maxWaiting;
    }

    /** Fails if a sync has failed: called before applying a write, which could then never be made durable. */
    void checkWritable() {
        synchronized (lock) {
            if (failure != null) {
                throw refusal("writes are refused until the store is reopened");
            }
        }
    }

    /**
     * The position of a write that has just reached the log (the log's write returned); callers apply writes
     * and take their positions in the same order, under the store's write lock.
     */
    long applied() {
        synchronized (lock) {
            return ++applied;
        }
    }

    /** Syncs of the log so far, failed ones included: the writes applied per sync tell the size of the groups. */
    long syncs() {
        synchronized (lock) {
            return syncs;
        }
    }

    /** The position of every write applied so far. */
    long position() {
        synchronized (lock) {
            return applied;
        }
    }

    /**
     * A future that completes once a sync has covered {@code position}, or fails with a {@link StoreException}
     * if a sync failed first. If no sync is running, the calling thread leads for one sync (see the class
     * comment) and returns with its own future complete; it may complete other callers' futures, running their
     * actions. Call it holding no lock that a writer needs.
     */
    CompletableFuture<Void> durable(long position) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (position > applied) {
                throw new IllegalArgumentException("position " + position + " was never applied (last: " + applied
                        + ")");
            }
            while (true) {
                if (position <= synced) {
                    done.complete(null);
                    return done;
                }
                if (failure != null) {
                    done.completeExceptionally(refusal("the write may not be on disk"));
                    return done;
                }
                // The leader itself never waits for room: only it makes room.
                if (waiting.size() < maxWaiting || leader == Thread.currentThread()) {
                    break;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    done.completeExceptionally(new StoreException(name + ": interrupted while waiting for a sync"
                            + " (the write may or may not be on disk)", e));
                    return done;
                }
            }
            waiting.add(new Waiter(position, done));
            if (leading) {
                return done;
            }
            leading = true;
            leader = Thread.currentThread();
        }
        if (syncOnce()) {
            handOff();
        }
        return done;
    }

    /** Passes the lead to the sync thread; if it takes no more work (the store is closing), leads here. */
    private void handOff() {
        synchronized (lock) {
            leader = null;
        }
        try {
            syncThread.execute(this::leadUntilNobodyWaits);
        } catch (RejectedExecutionException closing) {
            leadUntilNobodyWaits();
        }
    }

    private void leadUntilNobodyWaits() {
        synchronized (lock) {
            leader = Thread.currentThread();
        }
        while (syncOnce()) {
            // each round covers whatever was applied during the last one
        }
    }

    /**
     * One sync by the leader, then the waiters it covered are completed; true if others still wait and this
     * thread keeps the lead, false if it gave it up.
     */
    private boolean syncOnce() {
        long target;
        synchronized (lock) {
            target = applied;
            syncs++;
        }
        Throwable error = null;
        try {
            sync.sync();
        } catch (RuntimeException | Error e) {
            error = e;
        }
        List<Waiter> finished = new ArrayList<>();
        boolean more;
        StoreException failed = null;
        synchronized (lock) {
            if (error == null) {
                synced = target;
                for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
                    Waiter w = it.next();
                    if (w.position() <= target) {
                        finished.add(w);
                        it.remove();
                    }
                }
            } else {
                failure = error instanceof StoreException s ? s
                        : new StoreException(name + ": sync of the write-ahead log failed: " + error, error);
                failed = failure;
                finished.addAll(waiting);
                waiting.clear();
            }
            more = !waiting.isEmpty();
            if (!more) {
                leading = false;
                leader = null;
            }
            lock.notifyAll();
        }
        // Outside the lock: completing runs the waiters' actions (encoding and sending their replies).
        for (Waiter w : finished) {
            if (failed == null) {
                w.done().complete(null);
            } else {
                w.done().completeExceptionally(failed);
            }
        }
        if (error instanceof Error e) {
            throw e;
        }
        return more;
    }

    private StoreException refusal(String consequence) {
        return new StoreException(name + ": an earlier sync of the write-ahead log failed, so " + consequence
                + " (" + failure.getMessage() + ")", failure);
    }

    /** A caller waiting for a sync to cover {@code position}. */
    private record Waiter(long position, CompletableFuture<Void> done) {
    }
}
