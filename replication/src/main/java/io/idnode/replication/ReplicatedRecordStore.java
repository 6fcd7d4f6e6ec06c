package io.idnode.replication;

import io.idnode.model.HandleRecord;
import io.idnode.model.Handles;
import io.idnode.store.RecordStore;
import io.idnode.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The {@link RecordStore} of a member of a replicated group: reads come from the member's own replica; writes
 * go through the group's Raft log (forwarded to the leader by the Ratis client, whichever member receives them)
 * and are applied by every member's {@link RecordStateMachine}. {@link #apply} returns as soon as the batch is
 * queued for the group, its writes visible to this member's later reads at once (a pending overlay, so that the
 * next plan on this member sees them, as the single-node store shows a write before its sync); {@link #durable}
 * completes once the leader has committed the batch to a majority and applied it. Each write carries what this
 * member saw of its handle; a batch that another member's write overtook is refused by the state machine and
 * fails here with a {@link StoreException}. A write not committed within the write timeout fails the same way
 * (it may still be committed later): with no majority, writes fail fast while reads go on. Thread-safe.
 */
public final class ReplicatedRecordStore implements RecordStore {
    private final LocalReplica replicaReads;
    private final RecordStore reads;
    private final RecordStateMachine machine;
    private final Supplier<RaftClient> clients;
    // Replaced after a failure: a Ratis client whose retries ran out takes no more requests.
    private RaftClient client;
    // Asks for read indexes; apart from the writes' client, so a read never queues behind a write.
    private RaftClient reader;
    private final Duration writeTimeout;
    // How long without a leader before writes are refused at once.
    private final Duration leaderless;
    private final LeaderSilence silence;
    // Writes sent and not yet applied here, by match key: what this member's reads show meanwhile.
    private final ConcurrentHashMap<String, Pending> overlay = new ConcurrentHashMap<>();
    // Outcome of every batch sent and not yet reported to a durable() caller, by position.
    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> inFlight = new ConcurrentSkipListMap<>();
    private final Object sendLock = new Object();
    private long position;
    private volatile boolean closed;
    // Batches waiting for the entry under way to be answered; all of them then go as the next entry.
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private boolean underWay;

    /** A write under way: the record it puts (null for a delete) and the position of its batch. */
    private record Pending(long position, HandleRecord record) {
    }

    /** A batch applied here and not yet answered by the group: its log form, keys in the overlay and outcome. */
    private record Queued(long position, byte[] batch, List<String> keys, CompletableFuture<Void> outcome,
            long deadline) {
    }

    ReplicatedRecordStore(LocalReplica replicaReads, RecordStore reads, RecordStateMachine machine,
            Supplier<RaftClient> clients, Duration writeTimeout, LeaderSilence silence, Duration leaderless) {
        this.replicaReads = Objects.requireNonNull(replicaReads, "replicaReads");
        this.reads = Objects.requireNonNull(reads, "reads");
        this.machine = Objects.requireNonNull(machine, "machine");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.client = clients.get();
        this.reader = clients.get();
        this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
        this.silence = Objects.requireNonNull(silence, "silence");
        this.leaderless = Objects.requireNonNull(leaderless, "leaderless");
    }

    /**
     * Why a write cannot be committed now, or null: this member has heard from no leader for longer than
     * {@link #leaderless} (a candidate, or a follower whose leader went silent). A leader that has lost its
     * majority steps down by itself after the election timeout, so a majority lost for good shows here too, and
     * its writes are refused at once instead of each waiting out the write timeout.
     */
    private String noLeader() {
        long silent = silence.millis();
        return silent > leaderless.toMillis() ? "no leader has been heard from for " + silent + " ms (no majority of"
                + " the group reachable?); it was not sent" : null;
    }

    @Override
    public HandleRecord get(String handle) {
        if (!overlay.isEmpty()) {
            Pending p = overlay.get(Handles.matchKey(handle));
            if (p != null) {
                return p.record();
            }
        }
        return reads.get(handle);
    }

    /**
     * {@inheritDoc} Reads this member's replica (not its writes still under way) once {@link #readIndex} says it
     * has applied everything the group had committed when called.
     */
    @Override
    public CompletionStage<HandleRecord> getLinearizable(String handle) {
        return readIndex().thenApply(applied -> reads.get(handle));
    }

    /**
     * Completes with this member's applied index once it has applied every entry the group had committed at the
     * call: the leader this member follows is asked for a read index (a read-only Raft request; the leader
     * confirms with a majority that it still leads, waits until it has applied its commit index and answers with
     * its applied index), then this member waits until it has applied as far. Fails with a
     * {@link StoreException} when no leader answers within the write timeout (no majority reachable, no leader
     * known) or the store is closed. A success also says that the member has joined its group.
     */
    public CompletableFuture<Long> readIndex() {
        RaftClient sender;
        synchronized (sendLock) {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreException("replicated store is closed (read index)"));
            }
            sender = reader;
        }
        RaftPeerId leader;
        try {
            leader = machine.getServer().join().getDivision(machine.getGroupId()).getInfo().getLeaderId();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new StoreException("read index: the member is not running: " + e, e));
        }
        if (leader == null) {
            return CompletableFuture.failedFuture(new StoreException("read index: no leader known (an election is"
                    + " under way, or no majority reachable)"));
        }
        // Sent to the leader named: Ratis' Netty transport carries no read-index request between servers.
        return sender.async().sendReadOnly(Message.EMPTY, leader)
                .thenCompose(reply -> {
                    if (!reply.isSuccess()) {
                        throw new StoreException("read index refused by " + leader + ": " + reply.getException());
                    }
                    long index = RecordStateMachine.appliedIndexOf(reply.getMessage());
                    return machine.whenApplied(index).thenApply(v -> machine.appliedIndex());
                })
                .orTimeout(writeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((applied, error) -> {
                    if (error == null) {
                        return applied;
                    }
                    Throwable cause = cause(error);
                    if (cause instanceof StoreException s) {
                        throw s;
                    }
                    renewReader(sender);
                    throw new StoreException(cause instanceof TimeoutException
                            ? "no read index within " + writeTimeout.toMillis() + " ms (no majority of the group"
                                    + " reachable?)"
                            : "read index failed: " + cause, cause);
                });
    }

    /** Replaces the read client {@code failed} by a new one, unless that was done already. */
    private void renewReader(RaftClient failed) {
        synchronized (sendLock) {
            if (reader != failed || closed) {
                return;
            }
            reader = clients.get();
        }
        try {
            failed.close();
        } catch (IOException | RuntimeException e) {
            // its reads fail and are answered as store faults
        }
    }

    @Override
    public boolean delete(String handle) {
        if (get(handle) == null) {
            await(durable(apply(List.of())));
            return false;
        }
        write(List.of(RecordWrite.delete(handle)));
        return true;
    }

    @Override
    public void write(List<RecordWrite> writes) {
        await(durable(apply(writes)));
    }

    /**
     * {@inheritDoc} Queues the batch for the group; {@link #durable} tells when it is committed and applied.
     * One log entry is under way at a time: the batches applied meanwhile go together as the next entry (up to
     * {@link #ENTRY_BYTES}), so one Raft round commits many of them, and the log keeps this member's order.
     */
    @Override
    public long apply(List<RecordWrite> writes) {
        Objects.requireNonNull(writes, "writes");
        for (int i = 0; i < writes.size(); i++) {
            check(Objects.requireNonNull(writes.get(i), "write"), i);
        }
        synchronized (sendLock) {
            if (closed) {
                throw new StoreException("replicated store is closed (write)");
            }
            String refused = writes.isEmpty() ? null : noLeader();
            if (refused != null) {
                throw new StoreException("replicated write refused: " + refused);
            }
            long at = ++position;
            if (writes.isEmpty()) {
                // A barrier: settled once every batch applied before it is answered, whatever the answer.
                CompletableFuture<?>[] before = inFlight.values().toArray(new CompletableFuture<?>[0]);
                CompletableFuture<Void> barrier = CompletableFuture.allOf(before).handle((v, e) -> null);
                inFlight.put(at, barrier);
                barrier.thenRun(() -> inFlight.remove(at, barrier));
                return at;
            }
            List<GuardedBatch.Guarded> guarded = new ArrayList<>(writes.size());
            List<String> keys = new ArrayList<>(writes.size());
            for (RecordWrite w : writes) {
                HandleRecord seen = get(w.handle());
                guarded.add(new GuardedBatch.Guarded(w, seen == null ? null : GuardedBatch.digest(seen)));
            }
            for (RecordWrite w : writes) {
                String key = Handles.matchKey(w.handle());
                overlay.put(key, new Pending(at, w.record()));
                keys.add(key);
            }
            CompletableFuture<Void> outcome = new CompletableFuture<>();
            inFlight.put(at, outcome);
            queued.add(new Queued(at, new GuardedBatch(guarded).encode(), keys, outcome,
                    System.nanoTime() + writeTimeout.toNanos()));
            if (!underWay) {
                sendQueued();
            }
            return at;
        }
    }

    /** Most bytes of batches that go in one log entry (a larger batch goes alone). */
    static final int ENTRY_BYTES = 1 << 20;

    /** Sends the queued batches as one entry; holding {@link #sendLock}, with no entry under way. */
    private void sendQueued() {
        List<Queued> entry = new ArrayList<>();
        List<Queued> late = new ArrayList<>();
        long bytes = 0;
        long now = System.nanoTime();
        while (!queued.isEmpty()) {
            Queued q = queued.peek();
            if (q.deadline() - now <= 0) {
                late.add(queued.poll());
                continue;
            }
            if (!entry.isEmpty() && bytes + q.batch().length > ENTRY_BYTES) {
                break;
            }
            entry.add(queued.poll());
            bytes += q.batch().length;
        }
        for (Queued q : late) {
            fail(q, "not sent within " + writeTimeout.toMillis() + " ms (the group answered too slowly);"
                    + " it was not committed");
        }
        if (entry.isEmpty()) {
            return;
        }
        underWay = true;
        byte[] data = GuardedBatch.encodeAll(entry.stream().map(Queued::batch).toList());
        long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(entry.get(0).deadline() - now));
        RaftClient sender = client;
        sender.async().send(Message.valueOf(ByteString.copyFrom(data)))
                .orTimeout(wait, TimeUnit.MILLISECONDS)
                .whenComplete((reply, error) -> {
                    if (error != null) {
                        renew(sender);
                    }
                    settle(entry, reply, error);
                    synchronized (sendLock) {
                        underWay = false;
                        if (!closed) {
                            sendQueued();
                        }
                    }
                });
    }

    /** Replaces {@code failed} by a new client, unless that was done already. */
    private void renew(RaftClient failed) {
        synchronized (sendLock) {
            if (client != failed || closed) {
                return;
            }
            client = clients.get();
        }
        try {
            failed.close();
        } catch (IOException | RuntimeException e) {
            // its requests fail, and were reported as of unknown outcome
        }
    }

    /** Reports the group's answer to the entry of {@code batches} to each batch's writer. */
    private void settle(List<Queued> batches, RaftClientReply reply, Throwable error) {
        String failure = null;
        if (error != null) {
            Throwable cause = cause(error);
            failure = cause instanceof TimeoutException
                    ? "not committed within " + writeTimeout.toMillis() + " ms (no majority of the group reachable?);"
                            + " it may still be committed"
                    : "failed (" + cause + "); it may or may not be committed";
        } else if (!reply.isSuccess()) {
            failure = "replication failed: " + reply.getException();
        }
        if (failure != null) {
            for (Queued q : batches) {
                fail(q, failure);
            }
            return;
        }
        List<String> refusals = RecordStateMachine.outcomes(reply.getMessage(), batches.size());
        // Visible through the overlay until this member's replica has applied them too.
        CompletableFuture<Void> appliedHere = machine.whenApplied(reply.getLogIndex());
        for (int i = 0; i < batches.size(); i++) {
            Queued q = batches.get(i);
            if (refusals.get(i) != null) {
                fail(q, "refused by the group: " + refusals.get(i));
                continue;
            }
            appliedHere.whenComplete((v, e) -> dropOverlay(q.position(), q.keys()));
            inFlight.remove(q.position());
            q.outcome().complete(null);
        }
    }

    private void fail(Queued q, String why) {
        dropOverlay(q.position(), q.keys());
        q.outcome().completeExceptionally(new StoreException("replicated write #" + q.position() + " " + why));
    }

    private void dropOverlay(long at, List<String> keys) {
        for (String k : keys) {
            overlay.computeIfPresent(k, (key, p) -> p.position() == at ? null : p);
        }
    }

    /**
     * {@inheritDoc} Completes once the batch applied at {@code position} is committed by a majority and applied
     * (the log is in this member's order, so every batch before it has been answered too), or fails if it was
     * refused, timed out or failed; for an empty {@link #apply}, once every batch before it was answered.
     */
    @Override
    public CompletionStage<Void> durable(long position) {
        CompletableFuture<Void> own = inFlight.get(position);
        if (own == null) {
            return CompletableFuture.completedStage(null);
        }
        return own.handle((v, e) -> {
            if (e != null) {
                inFlight.remove(position, own);
                Throwable cause = cause(e);
                throw cause instanceof StoreException s ? s : new StoreException("replicated write failed", cause);
            }
            return null;
        });
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) {
        return reads.list(prefix, startAfter, limit);
    }

    /** Records in this member's replica (see {@link io.idnode.store.RocksDbRecordStore#approximateCount}). */
    @Override
    public long approximateCount() {
        return reads.approximateCount();
    }

    /** The member's replica, for checkpoints and comparisons; never written but by the state machine. */
    public LocalReplica replica() {
        return replicaReads;
    }

    /** Stops taking writes and closes the client; the member closes the state machine and the replica. */
    @Override
    public void close() {
        RaftClient last;
        RaftClient lastReader;
        List<Queued> unsent;
        synchronized (sendLock) {
            closed = true;
            last = client;
            lastReader = reader;
            unsent = new ArrayList<>(queued);
            queued.clear();
        }
        for (Queued q : unsent) {
            fail(q, "not sent: the replicated store was closed; it was not committed");
        }
        try {
            lastReader.close();
            last.close();
        } catch (IOException e) {
            throw new StoreException("closing the replication client failed: " + e, e);
        }
    }

    /** What failed: the cause a {@link CompletionException} wraps, or {@code error} itself. */
    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static void check(RecordWrite w, int i) {
        if (w.handle() == null || w.handle().isEmpty()) {
            throw new IllegalArgumentException("write #" + i + " names no handle");
        }
        if (!w.isDelete() && !Handles.matchKey(w.record().handle()).equals(Handles.matchKey(w.handle()))) {
            throw new IllegalArgumentException("write #" + i + " is for " + w.handle() + " but carries the record of "
                    + w.record().handle());
        }
    }

    private static void await(CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for replication (the write may or may not be kept)", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException s ? s : new StoreException("replicated write failed", e.getCause());
        }
    }
}
