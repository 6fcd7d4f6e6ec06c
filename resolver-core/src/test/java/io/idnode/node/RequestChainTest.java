package io.idnode.node;

import io.idnode.model.ValueTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.MessageCodec;
import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.auth.RequestDigests;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.handler.AuthenticatedContext;
import io.idnode.handler.AuditLog;
import io.idnode.handler.ReplyCollector;
import io.idnode.handler.ReplySink;
import io.idnode.handler.RequestContext;
import io.idnode.handler.RequestHandler;
import io.idnode.handler.SessionSeal;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.CreateHandleResponse;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleListResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.OpaqueBody;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.SiteInfoResponse;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.store.RecordStore;
import io.idnode.store.StoreException;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The assembled chain (handle-protocol.md §9): the order of its links seen from outside, which requests may
 * block, faults, and the message-level entry point for requests built in memory, challenges included.
 */
class RequestChainTest {
    private static final HandleKeyCodec KEY_CODEC = new HandleKeyCodec(CryptoFixtures.PROVIDERS);
    private static final ChallengeAnswers ANSWERS = new ChallengeAnswers(CryptoFixtures.PROVIDERS);
    static final String PH = "0.NA/88.100.1";
    static final ValueReference ADMIN = new ValueReference(PH, 300);
    static final RequestContext AS_ADMIN = new AuthenticatedContext(ADMIN, RequestContext.NONE);

    final List<AuditLog.Entry> audit = new ArrayList<>();
    FailingStore store;
    PrivateKey nodeKey;
    PublicKey nodePublic;
    RequestChain chain;

    @BeforeEach
    void setUp() throws Exception {
        nodeKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Vectors.key("rsa_private_pkcs8")));
        nodePublic = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                Vectors.key("rsa_public_x509")));
        store = new FailingStore();
        store.put(HandleRecord.of(PH, List.of(
                HandleValue.builder(100, ValueTypes.HS_ADMIN).data(AdminValueCodec.encode(
                        new AdminValue(AdminValue.ALL, PH, 300))).build(),
                HandleValue.builder(300, "HS_PUBKEY").data(KEY_CODEC.encodePublicKey(nodePublic)).build())));
        store.put(HandleRecord.of("88.100.1/A", List.of(HandleValue.builder(1, "URL").data("u").build())));
        chain = NodeFixtures.chain(store, nodeKey, nodePublic).auditLog(audit::add).build();
    }

    static Message request(OpCode op, int responseCode, MessageBody body) {
        MessageHeader h = new MessageHeader(op, ResponseCode.valueOf(responseCode), OpFlags.RECURSIVE, 1, 0,
                2_000_000_000L);
        return Message.of(Envelope.request(0, 5), h, body);
    }

    static Message request(OpCode op, MessageBody body) {
        return request(op, 0, body);
    }

    static Message create(String handle) {
        return request(OpCode.CREATE_HANDLE, new ValuesRequest(handle, List.of(
                HandleValue.builder(1, "URL").data("https://example.com/" + handle).build())));
    }

    Message single(Message request) {
        return ReplyCollector.single(chain.answer(request).join());
    }

    Message single(Message request, RequestContext context) {
        return ReplyCollector.single(chain.answer(request, context).join());
    }

    // ------------------------------------------------------------------ order

    @Test
    void anEncryptedRequestOutsideASessionIsRefusedByValidationInsideOneBySessions() {
        Envelope ec = new Envelope(2, 11, Envelope.ENCRYPTED, 2, 11, 0, 9, 0, 4);
        Message outside = new Message(ec, null, null, new OpaqueBody(Bytes.wrap(new byte[4])), null, null);
        Message reply = single(outside);
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.OPERATION_NOT_SUPPORTED);
        assertThat(((ErrorResponse) reply.body()).message()).isEqualTo("encrypted messages need a session");

        Envelope inSession = new Envelope(2, 11, Envelope.ENCRYPTED, 2, 11, 4242, 9, 0, 4);
        Message unknown = new Message(inSession, null, null, new OpaqueBody(Bytes.wrap(new byte[4])), null, null);
        assertThat(single(unknown).responseCode()).isEqualTo(ResponseCode.SESSION_TIMEOUT);
    }

    @Test
    void validationComesBeforeAnyLinkThatReadsTheStore() {
        store.failing = true;
        Message reply = single(request(OpCode.RESOLUTION, 1, new ResolutionRequest("88.100.1/A", null, null, null)));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.PROTOCOL_ERROR);
    }

    @Test
    void siteInfoAndUnsupportedOperationsAreAnsweredAfterResolution() {
        Message site = single(request(OpCode.GET_SITE_INFO, new HandleRequest("/")));
        assertThat(site.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(((SiteInfoResponse) site.body()).siteInfo()).isEqualTo(chain.replies().identity().site());
        Message unknown = single(request(OpCode.valueOf(777), new HandleRequest("/")));
        assertThat(unknown.responseCode()).isEqualTo(ResponseCode.OPERATION_NOT_SUPPORTED);
        assertThat(((ErrorResponse) unknown.body()).message()).isEqualTo("operation UNKNOWN(777) is not supported");
        // A known operation with a body it cannot have reaches the end of the chain too.
        Message odd = single(request(OpCode.CHALLENGE_RESPONSE, new HandleRequest("/")));
        assertThat(odd.responseCode()).isEqualTo(ResponseCode.OPERATION_NOT_SUPPORTED);
    }

    // ------------------------------------------------------------------ blocking

    @Test
    void mayBlockCombinesWhatEachLinkDeclares() {
        assertThat(chain.mayBlock(OpCode.RESOLUTION)).isFalse();
        assertThat(chain.mayBlock(OpCode.GET_SITE_INFO)).isFalse();
        assertThat(chain.mayBlock(OpCode.SESSION_TERMINATE)).isFalse();
        assertThat(chain.mayBlock(OpCode.LOGIN)).isFalse();
        assertThat(chain.mayBlock(OpCode.valueOf(777))).isFalse();
        // Sessions: key agreement, and decryption before the operation is known.
        assertThat(chain.mayBlock(OpCode.SESSION_SETUP)).isTrue();
        assertThat(chain.mayBlock((OpCode) null)).isTrue();
        // The challenge gate: signature checks and PBKDF2.
        assertThat(chain.mayBlock(OpCode.CHALLENGE_RESPONSE)).isTrue();
        // Administration: synced writes.
        for (OpCode op : List.of(OpCode.CREATE_HANDLE, OpCode.DELETE_HANDLE, OpCode.ADD_VALUE, OpCode.REMOVE_VALUE,
                OpCode.MODIFY_VALUE, OpCode.LIST_HANDLES, OpCode.HOME_PREFIX, OpCode.UNHOME_PREFIX,
                OpCode.LIST_HOMED_PREFIXES)) {
            assertThat(chain.mayBlock(op)).as("%s", op).isTrue();
        }
        assertThat(chain.mayBlock(request(OpCode.RESOLUTION, new ResolutionRequest("88.100.1/A", null, null, null))))
                .isFalse();
        assertThat(chain.mayBlock(create("88.100.1/B"))).isTrue();
    }

    @Test
    void anInterposedLinksDeclarationCountsBelowAndAboveTheTable() {
        RequestHandler blocksLogins = new RequestHandler() {
            @Override
            public void handle(Message request, RequestContext context, ReplySink out) {
                out.reply(chain.replies().error(request, ResponseCode.ERROR, "unused"), null);
            }

            @Override
            public boolean mayBlock(OpCode op) {
                return op != null && (op.code() == OpCode.LOGIN.code() || op.code() == 7);
            }
        };
        RequestChain withLink = NodeFixtures.chain(store, nodeKey, nodePublic).interpose(rest -> blocksLogins)
                .build();
        assertThat(withLink.mayBlock(OpCode.LOGIN)).isTrue();
        assertThat(withLink.mayBlock(OpCode.valueOf(7))).isTrue();
        assertThat(withLink.mayBlock(OpCode.valueOf(8))).isFalse();
    }

    // ------------------------------------------------------------------ faults

    @Test
    void aStoreFailureIsAnsweredTwoAndAuditedForAdministration() {
        store.failing = true;
        Message resolution = single(request(OpCode.RESOLUTION, new ResolutionRequest("88.100.1/A", null, null, null)));
        assertThat(resolution.responseCode()).isEqualTo(ResponseCode.ERROR);
        assertThat(((ErrorResponse) resolution.body()).message()).isEqualTo("internal error");

        Message created = single(create("88.100.1/B"), AS_ADMIN);
        assertThat(created.responseCode()).isEqualTo(ResponseCode.ERROR);
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.op()).isEqualTo(OpCode.CREATE_HANDLE);
            assertThat(e.handle()).isEqualTo("88.100.1/B");
            assertThat(e.identity()).isEqualTo(ADMIN);
            assertThat(e.result()).isEqualTo(ResponseCode.ERROR);
            assertThat(e.message()).isEqualTo("store is failing");
        });
    }

    @Test
    void anyOtherExceptionIsAFaultHandedToTheSink() {
        IllegalStateException bug = new IllegalStateException("a bug");
        RequestChain failing = NodeFixtures.chain(store, nodeKey, nodePublic).interpose(rest -> (r, c, o) -> {
            throw bug;
        }).build();
        Message request = request(OpCode.RESOLUTION, new ResolutionRequest("88.100.1/A", null, null, null));
        assertThatThrownBy(() -> failing.answer(request).join()).isInstanceOf(CompletionException.class)
                .hasCause(bug);

        List<Object> seen = new ArrayList<>();
        failing.handle(request, RequestContext.NONE, new ReplySink() {
            @Override
            public void reply(Message reply, SessionSeal seal) {
                seen.add(reply);
            }

            @Override
            public void fault(Message failed, Throwable cause) {
                seen.add(failed);
                seen.add(cause);
            }
        });
        assertThat(seen).containsExactly(request, bug);
    }

    // ------------------------------------------------------------------ the message-level entry point

    @Test
    void aRequestBuiltInMemoryIsChallengedOverItsEncodingAndPerformedOnTheAnswer() {
        Message create = create("88.100.1/MEMORY");
        assertThat(create.headerAndBody()).isNull();
        Message challenge = single(create);
        assertThat(challenge.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        ByteBuf encoded = Unpooled.buffer();
        try {
            MessageCodec.DEFAULT.encodeHeaderAndBody(create, encoded);
            assertThat(challenge.requestDigest().digest()).isEqualTo(RequestDigests.forReply(2, 11,
                    ByteBufUtil.getBytes(encoded)).digest());
        } finally {
            encoded.release();
        }

        byte[] signed = ANSWERS.signPublicKeyAnswer(nodeKey, ((Challenge) challenge.body()).nonce(),
                challenge.requestDigest().digest(), 211);
        MessageHeader h = new MessageHeader(OpCode.CHALLENGE_RESPONSE, ResponseCode.RESERVED, OpFlags.RECURSIVE, 1, 0,
                2_000_000_000L);
        Message answer = Message.of(Envelope.request(challenge.sessionId(), 6), h,
                new ChallengeAnswer("HS_PUBKEY", PH, 300, signed));
        Message done = single(answer);
        assertThat(done.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(done.requestId()).isEqualTo(6);
        assertThat(((CreateHandleResponse) done.body()).handle()).isEqualTo("88.100.1/MEMORY");
        assertThat(store.get("88.100.1/MEMORY")).isNotNull();
        assertThat(audit).last().satisfies(e -> {
            assertThat(e.identity()).isEqualTo(ADMIN);
            assertThat(e.result()).isEqualTo(ResponseCode.SUCCESS);
            assertThat(e.requestId()).isEqualTo(6);
        });
    }

    @Test
    void aListingInPagesComesBackWholeAndIsNoSingleReply() {
        for (int i = 0; i < 60; i++) {
            store.put(HandleRecord.of(String.format("88.100.1/P%02d", i),
                    List.of(HandleValue.builder(1, "URL").data("u").build())));
        }
        List<Message> pages = chain.answer(request(OpCode.LIST_HANDLES, new HandleRequest(PH)), AS_ADMIN)
                .join();
        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).hasFlag(OpFlags.CONTINUOUS)).isTrue();
        assertThat(pages.get(1).hasFlag(OpFlags.CONTINUOUS)).isFalse();
        assertThat(pages).flatExtracting(m -> ((HandleListResponse) m.body()).handles()).hasSize(60 + 1)
                .doesNotHaveDuplicates().contains("88.100.1/A", "88.100.1/P00", "88.100.1/P59");
        assertThatThrownBy(() -> ReplyCollector.single(pages)).isInstanceOf(IllegalStateException.class)
                .hasMessage("2 replies where one was expected");
    }

    /** An in-memory store whose reads and writes fail with a {@link StoreException} while {@code failing}. */
    static final class FailingStore implements RecordStore {
        private final InMemoryRecordStore records = new InMemoryRecordStore();
        volatile boolean failing;

        private void check() {
            if (failing) {
                throw new StoreException("store is failing");
            }
        }

        @Override
        public HandleRecord get(String handle) {
            check();
            return records.get(handle);
        }

        @Override
        public boolean delete(String handle) {
            check();
            return records.delete(handle);
        }

        @Override
        public void write(List<RecordWrite> writes) {
            check();
            records.write(writes);
        }

        @Override
        public List<String> list(String prefix, String startAfter, int limit) {
            check();
            return records.list(prefix, startAfter, limit);
        }

        @Override
        public long approximateCount() {
            return records.approximateCount();
        }

        @Override
        public void close() {
            records.close();
        }
    }
}
