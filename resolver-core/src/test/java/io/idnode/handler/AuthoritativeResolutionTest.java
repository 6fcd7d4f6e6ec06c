package io.idnode.handler;

import static io.idnode.handler.AdminFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleRecord;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.store.RecordStore;
import io.idnode.store.StoreException;
import io.idnode.testing.Vectors;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authoritative resolutions (AT, handle-protocol.md §2.2) are answered from
 * {@link RecordStore#getLinearizable}: only once the store says it is current, with the record as of then; a
 * store that cannot tell is answered 2 (ERROR); plain resolutions never ask.
 */
class AuthoritativeResolutionTest {
    private static final String H = "88.100.1/AT";

    private final InMemoryRecordStore records = new InMemoryRecordStore();
    private final AtomicInteger asked = new AtomicInteger();
    private volatile CompletableFuture<Void> current = new CompletableFuture<>();
    private RequestChain chain;

    /** A store that is current only when the test says so, like a member waiting for its read index. */
    private final class Lagging implements RecordStore {
        @Override
        public CompletionStage<HandleRecord> getLinearizable(String handle) {
            asked.incrementAndGet();
            return current.thenApply(v -> records.get(handle));
        }

        @Override
        public HandleRecord get(String handle) {
            return records.get(handle);
        }

        @Override
        public boolean delete(String handle) {
            return records.delete(handle);
        }

        @Override
        public void write(List<RecordWrite> writes) {
            records.write(writes);
        }

        @Override
        public List<String> list(String prefix, String startAfter, int limit) {
            return records.list(prefix, startAfter, limit);
        }

        @Override
        public long approximateCount() {
            return records.approximateCount();
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        var rsa = KeyFactory.getInstance("RSA");
        chain = NodeFixtures.chain(new Lagging(),
                rsa.generatePrivate(new PKCS8EncodedKeySpec(Vectors.key("rsa_private_pkcs8"))),
                rsa.generatePublic(new X509EncodedKeySpec(Vectors.key("rsa_public_x509")))).build();
    }

    private static Message at(String handle) {
        return ResolutionLinkTest.resolution(handle, null, List.of(), OpFlags.AUTHORITATIVE, 5);
    }

    @Test
    void answeredOnceTheStoreIsCurrentWithTheRecordAsOfThen() throws Exception {
        var answer = chain.answer(at(H));
        assertThat(answer).isNotDone();
        // Written while the read index was under way: the answer carries it.
        records.put(HandleRecord.of(H, List.of(url(1, "https://example.com/at"))));
        current.complete(null);
        Message reply = ReplyCollector.single(answer.get(10, TimeUnit.SECONDS));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(((ResolutionResponse) reply.body()).values()).singleElement()
                .satisfies(v -> assertThat(v.dataAsString()).isEqualTo("https://example.com/at"));
        assertThat(asked).hasValue(1);
    }

    @Test
    void aStoreThatCannotTellIsAnsweredError() throws Exception {
        records.put(HandleRecord.of(H, List.of(url(1, "https://example.com/at"))));
        var answer = chain.answer(at(H));
        current.completeExceptionally(new StoreException("no read index (no majority)"));
        assertThat(ReplyCollector.single(answer.get(10, TimeUnit.SECONDS)).responseCode())
                .isEqualTo(ResponseCode.ERROR);
    }

    @Test
    void plainResolutionsAndOnesOutOfScopeNeverAsk() throws Exception {
        records.put(HandleRecord.of(H, List.of(url(1, "https://example.com/at"))));
        Message plain = ReplyCollector.single(chain.answer(ResolutionLinkTest.resolution(H, null, List.of(), 0, 6))
                .get(10, TimeUnit.SECONDS));
        assertThat(plain.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        Message elsewhere = ReplyCollector.single(chain.answer(at("99.999/OTHER")).get(10, TimeUnit.SECONDS));
        assertThat(elsewhere.responseCode()).isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
        assertThat(asked).hasValue(0);
        current.complete(null);
        assertThat(ReplyCollector.single(chain.answer(at("88.100.1/NONE")).get(10, TimeUnit.SECONDS))
                .responseCode()).isEqualTo(ResponseCode.HANDLE_NOT_FOUND);
        assertThat(asked).hasValue(1);
    }
}
