package io.idnode.admin;

import static io.idnode.admin.AdminOperationsTest.ADMIN;
import static io.idnode.admin.AdminOperationsTest.NOW;
import static io.idnode.admin.AdminOperationsTest.P;
import static io.idnode.admin.AdminOperationsTest.PH;
import static io.idnode.admin.AdminOperationsTest.create;
import static io.idnode.admin.AdminOperationsTest.request;
import static io.idnode.admin.AdminOperationsTest.values;
import static io.idnode.handler.AdminFixtures.admin;
import static io.idnode.handler.AdminFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.cache.CacheSettings;
import io.idnode.cache.CachingRecordStore;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.handler.AuthenticatedContext;
import io.idnode.handler.AuditLog;
import io.idnode.handler.Authorizer;
import io.idnode.handler.Outcome;
import io.idnode.handler.ReplyCollector;
import io.idnode.handler.RequestContext;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.ValueReference;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.RecordStore;
import io.idnode.store.HeldSync;
import io.idnode.store.RocksDbRecordStore;
import io.idnode.store.StoreException;
import io.idnode.testing.Vectors;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutations over a real RocksDB store behind the hot cache, as the node runs them: concurrent operations
 * keep check-then-write atomic while they share syncs, an outcome (refusals too) comes only once what it
 * rests on is durable, in the order of the syncs, and a change the store cannot make durable is never
 * answered with success. The store's sync of its log can be held or made to fail ({@link HeldSync}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminGroupCommitTest {
    static final int THREADS = 8;
    static final int DISTINCT_PER_THREAD = 40;
    static final int SHARED = 20;

    @TempDir
    Path dir;

    final HeldSync sync = new HeldSync();
    RecordStore store;
    AdminOperations ops;

    @BeforeEach
    void setUp() {
        store = new CachingRecordStore(sync.open(dir), CacheSettings.defaults());
        store.put(HandleRecord.of(PH, List.of(admin(100, PH, 300, AdminValue.ALL))));
        ops = new AdminOperations(store, new ServedPrefixes(List.of(P)),
                new Authorizer(store::get, List.of()), Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        sync.release(); // a test that failed while a sync was held must not hold up closing
        store.close();
    }

    /** Runs {@code request} as {@link AdminOperationsTest#ADMIN} and waits for its one outcome. */
    Outcome run(Message request) {
        List<Outcome> out = Collections.synchronizedList(new ArrayList<>());
        ops.execute(request, ADMIN, out::add).toCompletableFuture().join();
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void concurrentCreatesOfOneHandleHaveExactlyOneWinnerAndEveryAcknowledgedCreateIsStored() throws Exception {
        // Every thread creates its own handles and races all the others for the shared ones.
        Map<String, List<Integer>> winners = new ConcurrentHashMap<>();
        Map<String, Integer> refusedAsExisting = new ConcurrentHashMap<>();
        List<String> distinct = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < Math.max(DISTINCT_PER_THREAD, SHARED); i++) {
                        if (i < SHARED) {
                            String shared = P + "/SHARED-" + i;
                            Outcome o = run(create(shared, 0, url(1, "thread " + thread)));
                            if (o.isSuccess()) {
                                winners.computeIfAbsent(shared, k -> Collections.synchronizedList(new ArrayList<>()))
                                        .add(thread);
                            } else {
                                assertThat(o.code()).isEqualTo(ResponseCode.HANDLE_ALREADY_EXISTS);
                                refusedAsExisting.merge(shared, 1, Integer::sum);
                            }
                        }
                        if (i < DISTINCT_PER_THREAD) {
                            String own = P + "/T" + thread + "-" + i;
                            assertThat(run(create(own, 0, url(1, own))).isSuccess()).isTrue();
                            distinct.add(own);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(winners).hasSize(SHARED);
        winners.forEach((handle, won) -> assertThat(won).as(handle).hasSize(1));
        assertThat(refusedAsExisting).hasSize(SHARED).allSatisfy((handle, n) -> assertThat(n).isEqualTo(THREADS - 1));
        assertThat(distinct).hasSize(THREADS * DISTINCT_PER_THREAD);

        store.close();
        try (RocksDbRecordStore reopened = RocksDbRecordStore.open(dir)) {
            for (String h : distinct) {
                assertThat(reopened.get(h).value(1).dataAsString()).isEqualTo(h);
            }
            winners.forEach((handle, won) -> assertThat(reopened.get(handle).value(1).dataAsString())
                    .isEqualTo("thread " + won.get(0)));
        }
    }

    @Test
    void concurrentAddsToOneRecordLoseNoValue() throws Exception {
        assertThat(run(create(P + "/MANY", 0, url(1, "first"), admin(100, PH, 300, AdminValue.ALL))).isSuccess())
                .isTrue();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Outcome>> adds = new ArrayList<>();
            for (int index = 2; index < 2 + 10 * THREADS; index++) {
                HandleValue v = url(index, "value " + index);
                adds.add(pool.submit(() -> run(values(OpCode.ADD_VALUE, P + "/MANY", 0, v))));
            }
            for (Future<Outcome> f : adds) {
                assertThat(f.get().isSuccess()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        HandleRecord r = store.get(P + "/MANY");
        assertThat(r.values()).hasSize(2 + 10 * THREADS);
        assertThat(r.metadata().version()).isEqualTo(1 + 10 * THREADS);
    }

    /**
     * Runs {@code request} on another thread, which leads the next sync and is held in it; the future ends when
     * that thread is done leading (its outcome comes to {@code out} as soon as its own sync is done).
     */
    CompletableFuture<Void> heldInItsSync(Message request, Consumer<Outcome> out) throws InterruptedException {
        sync.holdNext();
        CompletableFuture<Void> leading = CompletableFuture.runAsync(
                () -> ops.execute(request, ADMIN, out).toCompletableFuture().join());
        sync.awaitEntered();
        return leading;
    }

    @Test
    void anOutcomeComesOnlyOnceItsChangeIsDurableButTheChangeIsVisibleAtOnce() throws Exception {
        List<Outcome> out = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> held = heldInItsSync(create(P + "/HELD", 0, url(1, "u")), out::add);
        assertThat(out).isEmpty();
        assertThat(store.get(P + "/HELD")).as("applied, visible to reads").isNotNull();

        sync.release();
        held.join();
        assertThat(out).singleElement().satisfies(o -> assertThat(o.isSuccess()).isTrue());
    }

    @Test
    void outcomesJudgedOnAChangeNotYetDurableWaitForItsSync() throws Exception {
        // Each outcome with the number of syncs done when it came.
        Map<String, Integer> out = new ConcurrentHashMap<>();
        CompletableFuture<Void> first = heldInItsSync(create(P + "/RACE", 0, url(1, "first"),
                admin(100, PH, 300, AdminValue.ALL)), o -> out.put("first " + o.code().code(), sync.done()));
        // Planned on the first create, which is applied but held in its sync: they return with no outcome yet.
        CompletionStage<Void> second = ops.execute(create(P + "/RACE", 0, url(1, "second")), ADMIN,
                o -> out.put("second " + o.code().code(), sync.done()));
        CompletionStage<Void> delete = ops.execute(request(OpCode.DELETE_HANDLE, 0, new HandleRequest(P + "/RACE")),
                ADMIN, o -> out.put("delete " + o.code().code(), sync.done()));
        assertThat(out).isEmpty();
        assertThat(store.get(P + "/RACE")).as("deleted by the third, not yet durably").isNull();

        sync.release();
        CompletableFuture.allOf(first, second.toCompletableFuture(), delete.toCompletableFuture()).join();
        // Syncs: the setup's write, the held one of the first create, one for the delete. The refusal rests on
        // the first create alone, so it came after the held sync (or later: the delete's sync may finish before
        // the first's outcome is handed on); the delete after its own.
        assertThat(out).containsOnlyKeys("first 1", "second 101", "delete 1");
        assertThat(out.get("first 1")).as("syncs done when the first create's outcome came").isGreaterThanOrEqualTo(2);
        assertThat(out.get("second 101")).as("syncs done when the refusal came").isGreaterThanOrEqualTo(2);
        assertThat(out.get("delete 1")).as("syncs done when the delete's outcome came").isEqualTo(3);
        assertThat(sync.calls()).isEqualTo(3);
    }

    @Test
    void aChangeTheStoreCannotMakeDurableHandsNoOutcomeAndLaterChangesAreRefused() {
        sync.failFrom(sync.calls() + 1);
        List<Outcome> out = new ArrayList<>();
        CompletionStage<Void> done = ops.execute(create(P + "/LOST", 0, url(1, "u")), ADMIN, out::add);
        assertThatThrownBy(() -> done.toCompletableFuture().join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(StoreException.class).hasMessageContaining("injected sync failure");
        assertThat(out).isEmpty();
        assertThatThrownBy(() -> ops.execute(create(P + "/LATER", 0, url(1, "u")), ADMIN, out::add))
                .isInstanceOf(StoreException.class).hasMessageContaining("refused");
        assertThat(out).isEmpty();
        assertThat(store.get(P + "/LATER")).isNull();
    }

    @Test
    void theChainAnswersTwoAndAuditsTheFailureWhenAChangeCannotBeMadeDurable() throws Exception {
        PublicKey nodePublic = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                Vectors.key("rsa_public_x509")));
        PrivateKey nodeKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Vectors.key("rsa_private_pkcs8")));
        store.put(HandleRecord.of(PH, List.of(admin(100, PH, 300, AdminValue.ALL),
                HandleValue.builder(300, "HS_PUBKEY").data(new HandleKeyCodec(CryptoFixtures.PROVIDERS)
                        .encodePublicKey(nodePublic)).build())));
        List<AuditLog.Entry> audit = Collections.synchronizedList(new ArrayList<>());
        RequestChain chain = NodeFixtures.chain(store, nodeKey, nodePublic).auditLog(audit::add).build();
        sync.failFrom(sync.calls() + 1);

        RequestContext asAdmin = new AuthenticatedContext(ADMIN, RequestContext.NONE);
        Message reply = ReplyCollector.single(chain.answer(create(P + "/LOST", 0, url(1, "u")), asAdmin).join());
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.ERROR);
        assertThat(((ErrorResponse) reply.body()).message()).isEqualTo("internal error");
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.handle()).isEqualTo(P + "/LOST");
            assertThat(e.result()).isEqualTo(ResponseCode.ERROR);
            assertThat(e.message()).contains("injected sync failure");
        });
    }
}
