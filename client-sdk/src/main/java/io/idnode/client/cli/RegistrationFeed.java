package io.idnode.client.cli;

import io.idnode.client.Registration;
import io.idnode.model.ValueReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The registrations of an import, read from its {@link RecordSource} as the batch asks for them: records
 * before the resume line are skipped, bad lines go straight to the ledger as failed, every other record is
 * begun in the ledger and handed to the batch, which numbers them from 0 in the order handed out. Stops
 * handing out when told to. Read by the batch's one reading thread.
 */
final class RegistrationFeed implements Iterator<Registration> {
    private final RecordSource source;
    private final ImportLedger ledger;
    private final long resumeLine;
    private final ValueReference owner;
    private final BooleanSupplier stopped;
    private final Runnable onBadLine;
    /** Ledger items of the registrations handed out and not yet finished, by batch position. */
    private final Map<Long, ImportLedger.Item> handedOut = new ConcurrentHashMap<>();
    private long position;
    private Registration next;
    private boolean ended;

    /**
     * @param resumeLine the first line to register; earlier ones are done
     * @param owner who owns records given no HS_ADMIN ({@link NodeCommand#withOwner})
     * @param stopped true once no more should be handed out
     * @param onBadLine told after a bad line has gone to the ledger
     */
    RegistrationFeed(RecordSource source, ImportLedger ledger, long resumeLine, ValueReference owner,
            BooleanSupplier stopped, Runnable onBadLine) {
        this.source = source;
        this.ledger = ledger;
        this.resumeLine = resumeLine;
        this.owner = owner;
        this.stopped = stopped;
        this.onBadLine = onBadLine;
    }

    @Override
    public boolean hasNext() {
        while (next == null && !ended) {
            if (stopped.getAsBoolean()) {
                ended = true;
                break;
            }
            SourceItem item;
            try {
                item = source.next();
            } catch (IOException e) {
                ended = true;
                throw new UncheckedIOException(e);
            }
            if (item == null) {
                ended = true;
            } else if (item.line() >= resumeLine) {
                take(item);
            }
        }
        return next != null;
    }

    private void take(SourceItem item) {
        if (item instanceof SourceItem.BadLine bad) {
            ledger.finish(ledger.begin(bad.line(), null), ImportLedger.Result.FAILED, bad.message());
            onBadLine.run();
        } else if (item instanceof SourceItem.Entry entry) {
            String handle = entry.record().handle();
            handedOut.put(position++, ledger.begin(entry.line(), handle));
            next = new Registration(handle, NodeCommand.withOwner(entry.record().values(), owner));
        }
    }

    @Override
    public Registration next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Registration r = next;
        next = null;
        return r;
    }

    /** The ledger item of the registration the batch numbered {@code position}; once per position. */
    ImportLedger.Item item(long position) {
        ImportLedger.Item item = handedOut.remove(position);
        if (item == null) {
            throw new IllegalStateException("no registration " + position + " in flight");
        }
        return item;
    }
}
