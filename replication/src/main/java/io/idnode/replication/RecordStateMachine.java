package io.idnode.replication;

import io.idnode.model.HandleRecord;
import io.idnode.model.Handles;
import io.idnode.store.RecordStore;
import io.idnode.store.RecordStore.RecordWrite;
import io.idnode.store.RocksDbRecordStore;
import io.idnode.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of one replicated store: applies each committed {@link GuardedBatch} to the member's
 * RocksDB store (through the hot cache, so that it follows) if its guards hold, in log order; a snapshot is a
 * RocksDB checkpoint ({@link CheckpointSnapshots}). On start and after a snapshot was installed from the leader,
 * the live store is rebuilt from the newest snapshot, so it holds exactly the log up to the snapshot's index
 * and Ratis replays the rest: the live store's own write-ahead log is never synced, the Raft log is the record.
 */
final class RecordStateMachine extends BaseStateMachine {
    /** Reply of an applied batch. */
    static final byte APPLIED = 0;
    /** Reply of a batch refused because a guard no longer held. */
    static final byte CONFLICT = 1;
    /** Reply of a group entry: the outcome of each of its batches ({@link #outcomes}). */
    static final byte GROUP = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RecordStateMachine.class);

    private final Path liveDir;
    private final Function<Path, RocksDbRecordStore> opener;
    private final CheckpointSnapshots snapshots = new CheckpointSnapshots();
    private final LocalReplica local = new LocalReplica();
    // Where applied writes go: the hot cache over the local replica, or the replica itself.
    private volatile RecordStore target = local;
    private volatile Runnable afterReload = () -> { };
    // Futures completed once the member has applied their index.
    private final ConcurrentSkipListMap<Long, List<CompletableFuture<Void>>> waiters = new ConcurrentSkipListMap<>();

    /**
     * A state machine whose live store is opened in {@code liveDir} by {@code opener} (a store that does not sync
     * its writes: the Raft log makes them durable).
     */
    RecordStateMachine(Path liveDir, Function<Path, RocksDbRecordStore> opener) {
        this.liveDir = liveDir.toAbsolutePath();
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** The member's own copy of the records (reads from the live store, whichever it is now). */
    LocalReplica local() {
        return local;
    }

    /** Applies committed writes to {@code store} (the hot cache over {@link #local()}), run after reloads. */
    void applyThrough(RecordStore store, Runnable onReload) {
        this.target = Objects.requireNonNull(store, "store");
        this.afterReload = Objects.requireNonNull(onReload, "onReload");
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        super.initialize(server, groupId, storage);
        snapshots.init(storage);
        getLifeCycle().startAndTransition(this::reload, IOException.class);
    }

    /** Stops applying while Ratis installs a snapshot from the leader. */
    @Override
    public synchronized void pause() {
        if (getLifeCycleState() != LifeCycle.State.RUNNING) {
            return; // once per installation, however many chunks it takes
        }
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After a snapshot was installed: the live store is rebuilt from it. */
    @Override
    public synchronized void reinitialize() throws IOException {
        reload();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    /** Rebuilds the live store from the newest snapshot (or empty without one) and sets the applied index. */
    private synchronized void reload() throws IOException {
        local.swap(null);
        Path newest = snapshots.newest();
        if (newest == null) {
            CheckpointSnapshots.deleteTree(liveDir);
            Files.createDirectories(liveDir);
        } else {
            CheckpointSnapshots.copyForWriting(newest, liveDir);
        }
        local.swap(opener.apply(liveDir));
        var latest = snapshots.getLatestSnapshot();
        if (latest != null) {
            setLastAppliedTermIndex(latest.getTermIndex());
            LOG.info("store rebuilt from snapshot {}", latest.getTermIndex());
        }
        afterReload.run();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        Message reply;
        synchronized (this) {
            reply = apply(data);
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
        wake(entry.getIndex());
        return CompletableFuture.completedFuture(reply);
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        wake(index);
    }

    /**
     * Applies the batches of one log entry in order, each one whole if its guards hold (checked against the
     * store as the entry's earlier batches leave it), all of them in one write to the store; the reply says which
     * (for a group entry, one outcome per batch: a refused batch does not stop the others).
     */
    private Message apply(byte[] data) {
        List<byte[]> batches;
        try {
            batches = GuardedBatch.decodeAll(data);
        } catch (RuntimeException e) {
            // Every member refuses it alike, so the stores stay equal.
            LOG.warn("unreadable log entry skipped: {}", e.getMessage());
            return reply(CONFLICT, "unreadable entry: " + e.getMessage());
        }
        EntryWrites entry = new EntryWrites(batches, local);
        List<String> refusals = entry.refusals();
        if (!entry.writes().isEmpty()) {
            target.apply(entry.writes());
        }
        if (batches.size() == 1 && batches.get(0) == data) {
            String refusal = refusals.get(0);
            return reply(refusal == null ? APPLIED : CONFLICT, refusal == null ? "" : refusal);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(GROUP);
            out.writeInt(batches.size());
            for (String refusal : refusals) {
                out.writeByte(refusal == null ? APPLIED : CONFLICT);
                out.writeUTF(refusal == null ? "" : refusal);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Message.valueOf(ByteString.copyFrom(bytes.toByteArray()));
    }

    /**
     * The writes of one log entry's batches that hold, gathered to go to the store in one write: the handles the
     * batches guard are read from the replica at once, and each batch's guards are checked against the replica as
     * the entry's earlier accepted batches leave it. The replica, not the hot cache: only this state machine writes
     * to it, and it is always as current as the cache.
     */
    private static final class EntryWrites {
        private final List<RecordWrite> writes = new ArrayList<>();
        private final List<String> refusals;

        EntryWrites(List<byte[]> batches, LocalReplica replica) {
            List<GuardedBatch> decoded = new ArrayList<>(batches.size());
            refusals = new ArrayList<>(batches.size());
            Map<String, String> handles = new LinkedHashMap<>(); // by match key, as first written
            for (byte[] data : batches) {
                GuardedBatch batch = null;
                String refusal = null;
                try {
                    batch = GuardedBatch.decode(data);
                    for (GuardedBatch.Guarded g : batch.writes()) {
                        handles.putIfAbsent(Handles.matchKey(g.write().handle()), g.write().handle());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("unreadable batch skipped: {}", e.getMessage());
                    refusal = "unreadable entry: " + e.getMessage();
                }
                decoded.add(batch);
                refusals.add(refusal);
            }
            // Each handle as the entry's accepted batches leave it (null: absent), starting from the replica.
            Map<String, HandleRecord> current = new HashMap<>();
            List<String> keys = new ArrayList<>(handles.keySet());
            List<HandleRecord> stored = replica.getAll(new ArrayList<>(handles.values()));
            for (int i = 0; i < keys.size(); i++) {
                current.put(keys.get(i), stored.get(i));
            }
            for (int i = 0; i < decoded.size(); i++) {
                GuardedBatch batch = decoded.get(i);
                if (batch == null) {
                    continue;
                }
                String refusal = null;
                for (GuardedBatch.Guarded g : batch.writes()) {
                    if (!g.holds(current.get(Handles.matchKey(g.write().handle())))) {
                        refusal = g.write().handle() + " was changed meanwhile";
                        break;
                    }
                }
                if (refusal != null) {
                    refusals.set(i, refusal);
                    continue;
                }
                for (GuardedBatch.Guarded g : batch.writes()) {
                    current.put(Handles.matchKey(g.write().handle()), g.write().record());
                    writes.add(g.write());
                }
            }
        }

        /** For each batch, in order: null if it is taken, else why it was refused. */
        List<String> refusals() {
            return refusals;
        }

        /** The writes of the batches taken, in order. */
        List<RecordWrite> writes() {
            return writes;
        }
    }

    private static Message reply(byte code, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[t.length + 1];
        out[0] = code;
        System.arraycopy(t, 0, out, 1, t.length);
        return Message.valueOf(ByteString.copyFrom(out));
    }

    /**
     * The outcome of each of the {@code batches} batches of the entry that {@code reply} answers: null for an
     * applied batch, else why it was refused. A reply to a single batch (or a refusal of the whole entry) counts
     * for all of them.
     */
    static List<String> outcomes(Message reply, int batches) {
        byte[] r = reply.getContent().toByteArray();
        if (r.length > 0 && r[0] == GROUP) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(r))) {
                in.readByte();
                int count = in.readInt();
                if (count == batches) {
                    List<String> out = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        byte code = in.readByte();
                        String text = in.readUTF();
                        out.add(code == APPLIED ? null : text.isEmpty() ? "conflict" : text);
                    }
                    return out;
                }
            } catch (IOException e) {
                // answered below as unreadable
            }
            return Collections.nCopies(batches, "unreadable reply of the group");
        }
        String whole = r.length > 0 && r[0] == APPLIED ? null
                : r.length > 1 ? new String(r, 1, r.length - 1, StandardCharsets.UTF_8) : "conflict";
        return Collections.nCopies(batches, whole);
    }

    /**
     * A read-only request, at the leader: Ratis calls it once the leader has confirmed its leadership with a
     * majority and applied up to its commit index (read option LINEARIZABLE); the reply carries the applied
     * index, 8 bytes, for {@link #appliedIndexOf}.
     */
    @Override
    public CompletableFuture<Message> query(Message request) {
        byte[] applied = java.nio.ByteBuffer.allocate(Long.BYTES).putLong(appliedIndex()).array();
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(applied)));
    }

    /** The applied index in a reply of {@link #query}. */
    static long appliedIndexOf(Message reply) {
        ByteString content = reply.getContent();
        return content.size() == Long.BYTES ? content.asReadOnlyByteBuffer().getLong() : RaftLog.INVALID_LOG_INDEX;
    }

    /** Completes once this member has applied the entry {@code index} (at once if it has). */
    CompletableFuture<Void> whenApplied(long index) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiters.computeIfAbsent(index, i -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(done);
        wake(appliedIndex());
        return done;
    }

    /** The index of the last entry applied here. */
    long appliedIndex() {
        TermIndex t = getLastAppliedTermIndex();
        return t == null ? RaftLog.INVALID_LOG_INDEX : t.getIndex();
    }

    private void wake(long index) {
        while (true) {
            var first = waiters.firstEntry();
            if (first == null || first.getKey() > index) {
                return;
            }
            if (waiters.remove(first.getKey(), first.getValue())) {
                first.getValue().forEach(f -> f.complete(null));
            }
        }
    }

    @Override
    public synchronized long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        Path done = snapshots.folderOf(last);
        if (Files.exists(done.resolve(CheckpointSnapshots.COMPLETE))) {
            return last.getIndex();
        }
        Path partial = done.resolveSibling(done.getFileName() + ".partial");
        CheckpointSnapshots.deleteTree(partial);
        try {
            local.current().checkpoint(partial);
        } catch (StoreException e) {
            throw new IOException("snapshot at " + last + " failed: " + e.getMessage(), e);
        }
        Files.writeString(partial.resolve(CheckpointSnapshots.COMPLETE), last.toString() + "\n");
        CheckpointSnapshots.deleteTree(done);
        Files.move(partial, done);
        snapshots.deleteAllBut(done);
        LOG.info("snapshot taken at {}", last);
        return last.getIndex();
    }

    @Override
    public void close() throws IOException {
        super.close();
        local.swap(null);
        waiters.values().forEach(l -> l.forEach(f -> f.completeExceptionally(
                new StoreException("replicated store is closed"))));
        waiters.clear();
    }
}
