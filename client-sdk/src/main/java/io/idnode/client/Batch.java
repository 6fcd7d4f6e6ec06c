package io.idnode.client;

import io.idnode.json.JsonFormatException;
import io.idnode.json.RecordJsonReader;
import io.idnode.model.HandleRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A batch registration: each item becomes a create with the batch's {@link IfExists} policy, at most
 * {@link BatchOptions#maxInFlight()} of them outstanding; the input is read only when one completes (a
 * semaphore for an iterator, read on the batch's own thread; demand of one for a publisher), so memory stays
 * constant. Each result goes to the listener, one at a time in completion order, on the callback executor; the
 * summary completes after the last. Retries, fail-over and re-authentication are the creates' own.
 */
final class Batch implements BatchRegistration {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Engine engine;
    private final BatchOptions options;
    private final SerialExecutor delivery;
    private final CompletableFuture<BatchSummary> completion = new CompletableFuture<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong already = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final long startNanos = System.nanoTime();
    private volatile boolean inputDone;
    private volatile boolean cancelled;
    private volatile Throwable inputError;
    private volatile Thread reader;
    private volatile Flow.Subscription subscription;
    private final AtomicLong published = new AtomicLong();

    Batch(Engine engine, BatchOptions options) {
        this.engine = engine;
        this.options = Objects.requireNonNull(options, "options");
        this.delivery = new SerialExecutor(engine.settings.callbackExecutor());
    }

    /** One input item at its position: a registration, or the reason a line of a file is none. */
    private record Item(long position, Registration registration, RuntimeException unreadable) {
    }

    /** Reads {@code items} on a thread of the batch's own, one item per free place. */
    Batch fromIterator(Iterator<Registration> items) {
        Objects.requireNonNull(items, "items");
        return read(new Iterator<>() {
            private long position;

            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public Item next() {
                return new Item(position++, Objects.requireNonNull(items.next(), "registration"), null);
            }
        }, () -> { });
    }

    /** Reads the records of a JSON Lines file (the node's import form), a bad line being a failed item. */
    Batch fromFile(Path file) {
        BufferedReader in;
        try {
            in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int timestamp = (int) engine.settings.clock().instant().getEpochSecond();
        return read(new Iterator<>() {
            private String line;
            private long number;

            @Override
            public boolean hasNext() {
                try {
                    while (line == null) {
                        String next = in.readLine();
                        if (next == null) {
                            return false;
                        }
                        number++;
                        if (!next.isBlank()) {
                            line = next;
                        }
                    }
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(file + ": " + e.getMessage(), e);
                }
            }

            @Override
            public Item next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String text = line;
                line = null;
                try {
                    HandleRecord r = RecordJsonReader.STANDARD.readRecord(text, timestamp);
                    return new Item(number - 1, new Registration(r.handle(), r.values()), null);
                } catch (JsonFormatException e) {
                    return new Item(number - 1, null, new IllegalArgumentException(file + " line " + number + ": "
                            + e.getMessage(), e));
                }
            }
        }, () -> {
            try {
                in.close();
            } catch (IOException e) {
                // reading is over; a failing close loses nothing
            }
        });
    }

    private Batch read(Iterator<Item> items, Runnable closeInput) {
        Semaphore places = new Semaphore(options.maxInFlight());
        Thread t = new Thread(() -> {
            try {
                while (!cancelled) {
                    places.acquire();
                    if (engine.closed()) {
                        throw new IllegalStateException("the client is closed"); // the rest of the input is not read
                    }
                    if (cancelled || !items.hasNext()) {
                        break;
                    }
                    Item item = items.next();
                    long at = item.position();
                    if (item.unreadable() != null) {
                        places.release();
                        finished(at, null, null, item.unreadable());
                    } else {
                        submit(at, item.registration(), places::release);
                    }
                }
            } catch (InterruptedException e) {
                // cancelled while waiting for a place
            } catch (RuntimeException e) {
                inputError = e;
            } finally {
                closeInput.run();
                inputDone = true;
                maybeFinish();
            }
        }, "idnode-batch-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        reader = t;
        t.start();
        return this;
    }

    /** Takes the items {@code items} publishes, asking for one more as each create completes. */
    Batch fromPublisher(Flow.Publisher<Registration> items) {
        items.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                if (cancelled) {
                    s.cancel();
                } else {
                    s.request(options.maxInFlight());
                }
            }

            @Override
            public void onNext(Registration item) {
                submit(published.getAndIncrement(), item, () -> {
                    if (!cancelled) {
                        subscription.request(1);
                    }
                });
            }

            @Override
            public void onError(Throwable e) {
                inputError = e;
                inputDone = true;
                maybeFinish();
            }

            @Override
            public void onComplete() {
                inputDone = true;
                maybeFinish();
            }
        });
        return this;
    }

    private void submit(long at, Registration item, Runnable placeFree) {
        outstanding.incrementAndGet();
        CompletableFuture<CreateResult> create;
        RecordSigning signing = options.signing();
        if (signing == null) {
            create = startCreate(item);
        } else {
            // Signed on the signing pool, so that the reader goes on and the signatures are made in parallel.
            create = CompletableFuture.supplyAsync(() -> signing.sign(item), RecordSigning.pool())
                    .thenCompose(this::startCreate);
        }
        create.whenComplete((r, e) -> {
            // Counted before the place frees, so that what is read ahead never exceeds the places.
            finished(at, item.handle(), r, e == null ? null : Engine.unwrap(e));
            placeFree.run();
            outstanding.decrementAndGet();
            maybeFinish();
        });
    }

    private CompletableFuture<CreateResult> startCreate(Registration item) {
        try {
            return new Ops.Create(engine, new CreateRequest(item.handle(), item.values(), options.ifExists(), false))
                    .startUncounted();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void finished(long at, String handle, CreateResult r, Throwable error) {
        RegistrationResult result;
        if (error == null) {
            (r.created() ? created : already).incrementAndGet();
            result = new RegistrationResult(at, handle, r.created() ? RegistrationResult.Status.CREATED
                    : RegistrationResult.Status.ALREADY_REGISTERED, null);
        } else if (error instanceof ConflictException c) {
            conflicts.incrementAndGet();
            result = new RegistrationResult(at, handle, RegistrationResult.Status.CONFLICT, c);
        } else {
            failed.incrementAndGet();
            Exception e = error instanceof Exception x ? x : new IllegalStateException(error);
            result = new RegistrationResult(at, handle, RegistrationResult.Status.FAILED, e);
        }
        delivery.execute(() -> options.onResult().accept(result));
    }

    private void maybeFinish() {
        if (inputDone && outstanding.get() == 0 && !completion.isDone()) {
            delivery.execute(() -> {
                Throwable e = inputError;
                if (e != null) {
                    completion.completeExceptionally(e);
                } else {
                    completion.complete(progress());
                }
            });
        }
    }

    @Override
    public CompletableFuture<BatchSummary> completion() {
        return completion;
    }

    @Override
    public BatchSummary progress() {
        return new BatchSummary(created.get(), already.get(), conflicts.get(), failed.get(),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    @Override
    public void cancel() {
        cancelled = true;
        Thread t = reader;
        if (t != null) {
            t.interrupt();
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
            inputDone = true;
            maybeFinish();
        }
    }
}
