package io.idnode.codec;

import io.idnode.budget.MemoryBudget;
import io.idnode.protocol.Envelope;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Reassembles multi-packet UDP messages (handle-protocol.md §1.3): chunks are collected per sender (any key
 * with value equality, e.g. the socket address) and requestId; chunk <i>i</i> belongs at offset
 * <i>i</i>·492, every chunk but the last must be exactly 492 bytes, chunks may arrive in any order or twice,
 * and the total comes from the envelope's messageLength. TC is ignored, as the client ignores it.
 *
 * <p>Bounded: at most {@code maxPending} incomplete messages and the buffered chunk bytes within a
 * {@link MemoryBudget} (the oldest message is dropped to make room: a sender, possibly spoofed, cannot keep
 * newer messages out), each kept at most {@code maxAge} after its first chunk. Memory follows the bytes
 * actually received, never a length announced by the sender. Thread-safe: every method is synchronized
 * (uncontended unless several UDP sockets receive multi-packet messages at the same moment; single-packet
 * messages never reach it).
 */
public final class MultiPacketAssembler {
    /** Default bound on incomplete messages. */
    public static final int DEFAULT_MAX_PENDING = 1024;
    /** Default bound on buffered chunk bytes (16 MiB). */
    public static final long DEFAULT_MAX_PENDING_BYTES = 16L << 20;
    /** Default lifetime of an incomplete message: longer than the client's 3 s UDP retry schedule. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);

    private final int maxPending;
    private final MemoryBudget budget;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    /** Insertion order is arrival order of the first chunk, so the head is always the oldest entry. */
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private long pendingBytes;

    /** An assembler with the default bounds and {@link System#nanoTime()}. */
    public MultiPacketAssembler() {
        this(DEFAULT_MAX_PENDING, DEFAULT_MAX_PENDING_BYTES, DEFAULT_MAX_AGE, System::nanoTime);
    }

    /** As {@link #MultiPacketAssembler(int, MemoryBudget, Duration, LongSupplier)} with a budget of its own. */
    public MultiPacketAssembler(int maxPending, long maxPendingBytes, Duration maxAge, LongSupplier nanoClock) {
        this(maxPending, new MemoryBudget("reassembly-memory", maxPendingBytes), maxAge, nanoClock);
    }

    /**
     * An assembler with explicit bounds; {@code nanoClock} supplies monotonic nanoseconds (injectable for
     * tests). {@code budget}, used by this assembler alone, must hold at least one message of
     * {@link Limits#MAX_MESSAGE_LENGTH}.
     */
    public MultiPacketAssembler(int maxPending, MemoryBudget budget, Duration maxAge, LongSupplier nanoClock) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
        }
        if (budget.limit() < Limits.MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException(budget.name() + " must be at least " + Limits.MAX_MESSAGE_LENGTH
                    + " bytes, got " + budget.limit());
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
        this.maxPending = maxPending;
        this.budget = budget;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Adds one datagram's chunk ({@code chunkLength} message bytes at {@code chunkOffset}, i.e. the datagram
     * without its envelope). Returns the complete message (without envelope) once every chunk has arrived,
     * else {@code null}; a single-packet message is returned at once. Fails on a messageId outside the
     * message, a chunk of the wrong size, or a messageLength that differs from earlier chunks (the pending
     * message is then dropped).
     */
    public synchronized byte[] offer(Object sender, Envelope envelope, byte[] datagram, int chunkOffset,
            int chunkLength) throws CodecException {
        int messageLength = envelope.messageLength();
        if (messageLength < 0 || messageLength > Limits.MAX_MESSAGE_LENGTH) {
            throw new CodecException("message length " + messageLength + " outside 0.." + Limits.MAX_MESSAGE_LENGTH);
        }
        int packets = UdpFragmenter.packetCount(messageLength);
        int id = envelope.messageId();
        if (id < 0 || id >= packets) {
            throw new CodecException("message id " + id + " outside 0.." + (packets - 1));
        }
        int expected = id == packets - 1 ? messageLength - id * Limits.UDP_CHUNK : Limits.UDP_CHUNK;
        if (chunkLength != expected) {
            throw new CodecException("chunk " + id + " has " + chunkLength + " bytes, expected " + expected);
        }
        Objects.checkFromIndexSize(chunkOffset, chunkLength, datagram.length);
        if (packets == 1) {
            return Arrays.copyOfRange(datagram, chunkOffset, chunkOffset + chunkLength);
        }

        long now = nanoClock.getAsLong();
        evictExpired(now);
        Key key = new Key(sender, envelope.requestId());
        Pending p = pending.get(key);
        if (p == null) {
            if (pending.size() >= maxPending) {
                removeEldestExcept(null);
            }
            p = new Pending(messageLength, packets, now);
            pending.put(key, p);
        } else if (p.messageLength != messageLength) {
            remove(key);
            throw new CodecException("chunk " + id + " announces " + messageLength + " bytes, earlier chunks "
                    + p.messageLength);
        }
        if (p.chunks[id] != null) {
            return null;
        }
        while (!budget.tryReserve(chunkLength)) {
            if (!removeEldestExcept(p)) {
                remove(key); // only possible if the budget is shared: give up this message, not the others
                return null;
            }
        }
        p.chunks[id] = Arrays.copyOfRange(datagram, chunkOffset, chunkOffset + chunkLength);
        p.received++;
        p.bytes += chunkLength;
        pendingBytes += chunkLength;
        if (p.received < packets) {
            return null;
        }
        remove(key);
        byte[] message = new byte[messageLength];
        for (int i = 0; i < packets; i++) {
            System.arraycopy(p.chunks[i], 0, message, i * Limits.UDP_CHUNK, p.chunks[i].length);
        }
        return message;
    }

    /** Drops every incomplete message older than the maximum age (also done on every {@link #offer}). */
    public synchronized void evictExpired() {
        evictExpired(nanoClock.getAsLong());
    }

    /** Number of incomplete messages held. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    /** Chunk bytes currently buffered. */
    public synchronized long pendingBytes() {
        return pendingBytes;
    }

    /** The budget the buffered chunks are charged to. */
    public MemoryBudget budget() {
        return budget;
    }

    private void evictExpired(long now) {
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (now - p.createdNanos <= maxAgeNanos) {
                break;
            }
            it.remove();
            released(p);
        }
    }

    /** Drops the oldest incomplete message but {@code keep}; false if there is none. */
    private boolean removeEldestExcept(Pending keep) {
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p != keep) {
                it.remove();
                released(p);
                return true;
            }
        }
        return false;
    }

    private void remove(Key key) {
        Pending p = pending.remove(key);
        if (p != null) {
            released(p);
        }
    }

    private void released(Pending p) {
        pendingBytes -= p.bytes;
        budget.release(p.bytes);
    }

    private record Key(Object sender, int requestId) {
    }

    private static final class Pending {
        final int messageLength;
        final byte[][] chunks;
        final long createdNanos;
        int received;
        long bytes;

        Pending(int messageLength, int packets, long createdNanos) {
            this.messageLength = messageLength;
            this.chunks = new byte[packets][];
            this.createdNanos = createdNanos;
        }
    }
}
