package io.idnode.client.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The account of an import: items are begun in file order and finish in any order (many are in flight at
 * once). An item is settled once it and every item before it have finished; the checkpoint records only
 * settled items, as the line to resume from and their tally, so that what it says is true whatever was in
 * flight when it was written. Holds only the items in flight and the first failures. Thread-safe.
 */
final class ImportLedger {
    /** How an item ended. */
    enum Result {
        /** The node created the record. */
        CREATED,
        /** The record was there already with the same values (an earlier run, or a retry): nothing to do. */
        UNCHANGED,
        /** The line is bad or the node refused the record. */
        FAILED
    }

    /** A failed item: its line, its handle (null when the line has none) and what went wrong. */
    record Failure(long line, String handle, String message) {
    }

    /**
     * What is settled: every item starting before {@code resumeLine} has finished, with these counts and the
     * first {@code failures} (all {@code failed} of them, up to the ledger's limit).
     */
    record Tally(long resumeLine, long created, long unchanged, long failed, List<Failure> failures) {
        /** Items settled. */
        long settled() {
            return created + unchanged + failed;
        }
    }

    /** An item in flight. */
    static final class Item {
        private final long line;
        private final String handle;
        private Result result;
        private String message;

        private Item(long line, String handle) {
            this.line = line;
            this.handle = handle;
        }
    }

    private final int maxFailures;
    private final ArrayDeque<Item> inFlight = new ArrayDeque<>();
    private long resumeLine;
    private long created;
    private long unchanged;
    private long failed;
    private final List<Failure> failures = new ArrayList<>();
    private long finished;

    /** A ledger continuing from {@code from} (a checkpoint's tally, or a fresh one), keeping at most {@code maxFailures}. */
    ImportLedger(Tally from, int maxFailures) {
        this.maxFailures = maxFailures;
        this.resumeLine = from.resumeLine();
        this.created = from.created();
        this.unchanged = from.unchanged();
        this.failed = from.failed();
        this.failures.addAll(from.failures().subList(0, Math.min(from.failures().size(), maxFailures)));
        this.finished = from.settled();
    }

    /** A tally of nothing done, resuming at line 1. */
    static Tally fresh() {
        return new Tally(1, 0, 0, 0, List.of());
    }

    /** Begins the item starting at {@code line}; lines must come in increasing order. */
    synchronized Item begin(long line, String handle) {
        Item item = new Item(line, handle);
        inFlight.addLast(item);
        return item;
    }

    /** Records how {@code item} ended ({@code message} says why it failed) and settles what can be settled. */
    synchronized void finish(Item item, Result result, String message) {
        if (item.result != null) {
            throw new IllegalStateException("item of line " + item.line + " finished twice");
        }
        item.result = result;
        item.message = message;
        finished++;
        Item head;
        while ((head = inFlight.peekFirst()) != null && head.result != null) {
            inFlight.removeFirst();
            settle(head);
        }
    }

    private void settle(Item item) {
        switch (item.result) {
            case CREATED -> created++;
            case UNCHANGED -> unchanged++;
            case FAILED -> {
                failed++;
                if (failures.size() < maxFailures) {
                    failures.add(new Failure(item.line, item.handle, item.message));
                }
            }
        }
        resumeLine = item.line + 1;
    }

    /** What is settled now. */
    synchronized Tally tally() {
        return new Tally(resumeLine, created, unchanged, failed, List.copyOf(failures));
    }

    /** Items finished, settled or not: what the progress bar shows. */
    synchronized long finished() {
        return finished;
    }

    /** Items begun and not finished. */
    synchronized int inFlight() {
        int n = 0;
        for (Item i : inFlight) {
            if (i.result == null) {
                n++;
            }
        }
        return n;
    }
}
