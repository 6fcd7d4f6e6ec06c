package io.idnode.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recorded history of a run against a replicated service (writes, plain and authoritative reads, each
 * with the moments it was sent and answered) and the checks made over it: no acknowledged write is missing
 * from the final stores, no read returns a value that no write put, and no authoritative read is older than a
 * write acknowledged before it was sent. Every write puts a value of its own, so a value names its write.
 * Thread-safe to record; checked once the run is over.
 */
final class History {
    /** What an operation was. */
    enum Kind { WRITE, READ, AUTHORITATIVE_READ }

    /**
     * One finished operation: for a write, {@code value} is what it put and {@code acknowledged} whether it was
     * answered with success (otherwise it may or may not have taken effect); for a read, {@code value} is what
     * it saw (null: no record) and {@code acknowledged} whether it was answered at all.
     */
    record Op(long id, Kind kind, String handle, String value, long invoked, long completed, boolean acknowledged) {
        boolean before(Op other) {
            return completed < other.invoked;
        }
    }

    private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();

    /** The moment an operation is sent, on the history's clock. */
    long now() {
        return System.nanoTime();
    }

    /** Records a write of {@code value} to {@code handle}, sent at {@code invoked}, answered now. */
    void write(String handle, String value, long invoked, boolean acknowledged) {
        ops.add(new Op(ids.incrementAndGet(), Kind.WRITE, handle, value, invoked, now(), acknowledged));
    }

    /** Records a read of {@code handle} answered now with {@code value} (null: no record). */
    void read(String handle, boolean authoritative, String value, long invoked) {
        ops.add(new Op(ids.incrementAndGet(), authoritative ? Kind.AUTHORITATIVE_READ : Kind.READ, handle, value,
                invoked, now(), true));
    }

    /** Every operation recorded. */
    List<Op> ops() {
        return List.copyOf(ops);
    }

    /** Operations of {@code kind} recorded (answered ones, for writes: acknowledged ones). */
    long count(Kind kind) {
        return ops.stream().filter(o -> o.kind() == kind && o.acknowledged()).count();
    }

    /**
     * The violations of the history against {@code store}, the final records of one member (handle to value, the
     * handles written in the run): an empty list when the run was correct.
     */
    List<String> violations(Map<String, String> store) {
        Map<String, List<Op>> writes = new HashMap<>();
        for (Op o : ops) {
            if (o.kind() == Kind.WRITE) {
                writes.computeIfAbsent(o.handle(), h -> new ArrayList<>()).add(o);
            }
        }
        List<String> out = new ArrayList<>();
        for (Op w : ops) {
            if (w.kind() == Kind.WRITE && w.acknowledged()) {
                String kept = store.get(w.handle());
                // The final value is this write's or one of a write not finished before this one began.
                boolean ok = kept != null && writes.get(w.handle()).stream()
                        .anyMatch(o -> o.value().equals(kept) && !o.before(w));
                if (!ok) {
                    out.add("acknowledged write #" + w.id() + " of " + w.handle() + " = " + w.value()
                            + " is missing: the store holds " + kept);
                }
            }
        }
        for (Op r : ops) {
            if (r.kind() == Kind.WRITE) {
                continue;
            }
            List<Op> of = writes.getOrDefault(r.handle(), List.of());
            if (r.value() != null && of.stream().noneMatch(w -> w.value().equals(r.value()) && !r.before(w))) {
                out.add("read #" + r.id() + " of " + r.handle() + " saw " + r.value() + ", which no write put");
            }
            if (r.kind() == Kind.AUTHORITATIVE_READ) {
                for (Op w : of) {
                    if (!w.acknowledged() || !w.before(r)) {
                        continue;
                    }
                    // It must see w or a write not finished before w began.
                    boolean current = r.value() != null && of.stream()
                            .anyMatch(o -> o.value().equals(r.value()) && !o.before(w) && !r.before(o));
                    if (!current) {
                        out.add("authoritative read #" + r.id() + " of " + r.handle() + " saw " + r.value()
                                + ", older than acknowledged write #" + w.id() + " = " + w.value()
                                + " finished before it");
                    }
                }
            }
        }
        return out;
    }
}
