package io.idnode.handler;

import static io.idnode.handler.AdminFixtures.admin;
import static io.idnode.handler.AdminFixtures.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.codec.SiteInfoCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ReferralResponse;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.Requests;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.store.RecordStore;
import io.idnode.testing.Vectors;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A parent node homing {@code 88} that keeps the delegation record {@code 0.NA/88.100} of its child (HS_SITE and
 * HS_SITE.PREFIX naming the child's site): held records are resolved, derived prefixes below them are referred
 * (303 with the nearest ancestor's public delegation values, handle-protocol.md §4.3), handles are referred to
 * their prefix record (302), DNRF is honoured, and a delegation created through administration is referred at
 * once, from the cache after the first time.
 */
class DelegationTest {
    static final ValueReference NODE_ADMIN = id(1, "0.NA/ROOT");
    static final RequestContext AS_NODE_ADMIN = new AuthenticatedContext(NODE_ADMIN, RequestContext.NONE);
    static final Requests REQ = Requests.expiringAt(2_000_000_000L);

    CountingStore store;
    RequestChain chain;
    byte[] childSite;

    @BeforeEach
    void setUp() throws Exception {
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Vectors.key("rsa_private_pkcs8")));
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                Vectors.key("rsa_public_x509")));
        store = new CountingStore(new InMemoryRecordStore());
        childSite = SiteInfoCodec.encode(NodeFixtures.site(pub));
        store.put(HandleRecord.of("0.NA/88", List.of(admin(100, NODE_ADMIN.handle(), 1, AdminValue.ALL))));
        store.put(HandleRecord.of("0.NA/88.100", List.of(
                HandleValue.builder(1, ValueTypes.HS_SITE).data(childSite).build(),
                HandleValue.builder(2, ValueTypes.HS_SITE_PREFIX).data(childSite).build(),
                HandleValue.builder(3, ValueTypes.HS_SERV_PREFIX).data("0.NA/88.100").permissions(
                        ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE).build(),
                admin(100, "0.NA/88.100", 300, AdminValue.ALL))));
        chain = RequestChain.builder(store, new ServedPrefixes(List.of("88")), NodeFixtures.identity(key, pub),
                CryptoFixtures.PROVIDERS).nodeAdmins(List.of(NODE_ADMIN)).build();
    }

    Message ask(Message request) {
        return ReplyCollector.single(chain.answer(request).join());
    }

    @Test
    void aDelegationRecordKeptHereIsResolved() {
        Message reply = ask(REQ.resolution("0.NA/88.100", List.of(ValueTypes.HS_SITE)));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(((ResolutionResponse) reply.body()).values()).extracting(HandleValue::index).containsExactly(1);
    }

    @Test
    void aDerivedPrefixBelowIsReferredWithThePublicDelegationValues() {
        Message reply = ask(REQ.resolution("0.NA/88.100.1"));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.PREFIX_REFERRAL);
        ReferralResponse body = (ReferralResponse) reply.body();
        assertThat(body.referralHandle()).isEmpty();
        assertThat(body.values()).extracting(HandleValue::index).containsExactly(2); // HS_SERV.PREFIX is not public
        assertThat(body.values().get(0).data()).isEqualTo(childSite);
        // deeper and slash-less forms find the same ancestor
        assertThat(ask(REQ.resolution("88.100.1.7")).responseCode()).isEqualTo(ResponseCode.PREFIX_REFERRAL);
    }

    @Test
    void doNotReferIsHonoured() {
        Requests dnrf = REQ.withFlags(Requests.DEFAULT_FLAGS | OpFlags.DO_NOT_REFER);
        assertThat(ask(dnrf.resolution("0.NA/88.100.1")).responseCode()).isEqualTo(ResponseCode.HANDLE_NOT_FOUND);
        assertThat(ask(dnrf.resolution("88.100/X")).responseCode()).isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
    }

    @Test
    void aHandleIsReferredToItsPrefixRecord() {
        Message reply = ask(REQ.resolution("88.100/PUMP-1"));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SERVICE_REFERRAL);
        ReferralResponse body = (ReferralResponse) reply.body();
        assertThat(body.referralHandle()).isEqualTo("0.NA/88.100");
        assertThat(body.values()).extracting(HandleValue::type).containsExactly(ValueTypes.HS_SITE);
        // below a delegated prefix: named, for the client to look the prefix up
        Message deeper = ask(REQ.resolution("88.100.1/PUMP-1"));
        assertThat(deeper.responseCode()).isEqualTo(ResponseCode.SERVICE_REFERRAL);
        assertThat(((ReferralResponse) deeper.body()).referralHandle()).isEqualTo("0.NA/88.100.1");
        assertThat(((ReferralResponse) deeper.body()).values()).isEmpty();
    }

    @Test
    void withoutDelegationOrOutsideTheTreeNothingIsReferred() {
        assertThat(ask(REQ.resolution("0.NA/88.200")).responseCode()).isEqualTo(ResponseCode.HANDLE_NOT_FOUND);
        assertThat(ask(REQ.resolution("88.200/X")).responseCode()).isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
        assertThat(ask(REQ.resolution("99/X")).responseCode()).isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
        assertThat(ask(REQ.resolution("0.NA/880")).responseCode()).isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
    }

    @Test
    void referralsComeFromTheCacheAndADelegationCreatedIsReferredAtOnce() {
        assertThat(ask(REQ.resolution("0.NA/88.200.1")).responseCode()).isEqualTo(ResponseCode.HANDLE_NOT_FOUND);
        int reads = store.reads.get();
        for (int i = 0; i < 10; i++) {
            assertThat(ask(REQ.resolution("0.NA/88.100.1")).responseCode()).isEqualTo(ResponseCode.PREFIX_REFERRAL);
        }
        int afterFirst = store.reads.get();
        assertThat(afterFirst).isGreaterThan(reads);
        assertThat(ask(REQ.resolution("0.NA/88.100.1")).responseCode()).isEqualTo(ResponseCode.PREFIX_REFERRAL);
        assertThat(store.reads.get()).isEqualTo(afterFirst);

        Message created = ReplyCollector.single(chain.answer(REQ.createHandle("0.NA/88.200", List.of(
                HandleValue.builder(2, ValueTypes.HS_SITE_PREFIX).data(childSite).build(),
                admin(100, "0.NA/88.200", 300, AdminValue.ALL))), AS_NODE_ADMIN).join());
        assertThat(created.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        Message reply = ask(REQ.resolution("0.NA/88.200.1"));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.PREFIX_REFERRAL);
        assertThat(((ReferralResponse) reply.body()).values()).extracting(HandleValue::index).containsExactly(2);
    }

    @Test
    void aDerivedPrefixIsCreatedOnlyWithAddDerivedPrefixOnItsParent() {
        ValueReference registrar = id(300, "88/REGISTRAR");
        RequestContext asRegistrar = new AuthenticatedContext(registrar, RequestContext.NONE);
        store.put(HandleRecord.of("0.NA/88.300", List.of(admin(100, registrar.handle(), 300,
                AdminValue.ADD_HANDLE))));
        Message refused = ReplyCollector.single(chain.answer(REQ.createHandle("0.NA/88.300.1", List.of(
                HandleValue.builder(2, ValueTypes.HS_SITE).data(childSite).build())), asRegistrar).join());
        assertThat(refused.responseCode()).isEqualTo(ResponseCode.INVALID_ADMIN);
        assertThat(store.get("0.NA/88.300.1")).isNull();
        store.put(HandleRecord.of("0.NA/88.300", List.of(admin(100, registrar.handle(), 300,
                AdminValue.ADD_DERIVED_PREFIX))));
        Message created = ReplyCollector.single(chain.answer(REQ.createHandle("0.NA/88.300.1", List.of(
                HandleValue.builder(2, ValueTypes.HS_SITE).data(childSite).build())), asRegistrar).join());
        assertThat(created.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(store.get("0.NA/88.300.1")).isNotNull();
    }

    /** A store counting its reads. */
    static final class CountingStore implements RecordStore {
        final RecordStore delegate;
        final AtomicInteger reads = new AtomicInteger();

        CountingStore(RecordStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public HandleRecord get(String handle) {
            reads.incrementAndGet();
            return delegate.get(handle);
        }

        @Override
        public boolean delete(String handle) {
            return delegate.delete(handle);
        }

        @Override
        public void write(List<RecordWrite> writes) {
            delegate.write(writes);
        }

        @Override
        public List<String> list(String prefix, String startAfter, int limit) {
            return delegate.list(prefix, startAfter, limit);
        }

        @Override
        public long approximateCount() {
            return delegate.approximateCount();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
