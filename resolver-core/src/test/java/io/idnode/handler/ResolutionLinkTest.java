package io.idnode.handler;

import io.idnode.model.ValuePermissions;
import static io.idnode.handler.AdminFixtures.admin;
import static io.idnode.handler.AdminFixtures.id;
import static io.idnode.handler.AdminFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.crypto.auth.ChallengeAnswers;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ResolutionResponse;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.testing.Vectors;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resolution link as a table (handle-protocol.md §4.1): scope, record, value selection by index and
 * type, public-only, and the restricted values that need READ_VALUE, each row a request built in memory and
 * answered through the assembled chain with the reply code and the values it must carry.
 */
class ResolutionLinkTest {
    private static final HandleKeyCodec KEY_CODEC = new HandleKeyCodec(CryptoFixtures.PROVIDERS);
    private static final ChallengeAnswers ANSWERS = new ChallengeAnswers(CryptoFixtures.PROVIDERS);
    static final String OPEN = "88.100.1/OPEN";
    static final String MIXED = "88.100.1/MIXED";
    static final String SEALED = "88.100.1/SEALED";
    static final ValueReference READER = id(300, "88.100.1/READER");
    static final ValueReference OUTSIDER = id(300, "88.100.1/OUTSIDER");
    static final ValueReference NODE_ADMIN = id(1, "0.NA/ROOT");
    static final int PO = OpFlags.PUBLIC_ONLY;

    InMemoryRecordStore store;
    RequestChain chain;
    PrivateKey nodeKey;

    @BeforeEach
    void setUp() throws Exception {
        nodeKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Vectors.key("rsa_private_pkcs8")));
        PublicKey nodePublic = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                Vectors.key("rsa_public_x509")));
        store = new InMemoryRecordStore();
        store.put(HandleRecord.of(OPEN, List.of(url(1, "https://example.com/open"),
                HandleValue.builder(2, "EMAIL").data("info@example.com").build(),
                HandleValue.builder(3, "URL.mirror").data("https://mirror.example.com/open").build(),
                HandleValue.builder(7, "DESC").data("an open record").build())));
        store.put(HandleRecord.of(MIXED, List.of(url(1, "https://example.com/mixed"),
                HandleValue.builder(2, "SECRET").data("restricted").permissions(ValuePermissions.ADMIN_READ).build(),
                admin(100, READER.handle(), READER.index(), AdminValue.READ_VALUE))));
        store.put(HandleRecord.of(SEALED, List.of(url(1, "https://example.com/sealed"),
                HandleValue.builder(2, "NOBODY").data("unreadable").permissions(ValuePermissions.ADMIN_WRITE).build())));
        chain = NodeFixtures.chain(store, nodeKey, nodePublic).nodeAdmins(List.of(NODE_ADMIN)).build();
    }

    /** One resolution: what is asked, by whom (null: nobody known yet), and the expected code and values. */
    record Row(String name, String handle, int[] indexes, List<String> types, int flags, ValueReference as,
            ResponseCode rc, List<Integer> values) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, String handle, int[] indexes, List<String> types, int flags, ValueReference as,
            ResponseCode rc, Integer... values) {
        return new Row(name, handle, indexes, types, flags, as, rc, List.of(values));
    }

    static int[] at(int... indexes) {
        return indexes;
    }

    static Stream<Row> table() {
        List<String> any = List.of();
        return Stream.of(
                row("empty handle", "", at(), any, PO, null, ResponseCode.INVALID_HANDLE),
                row("prefix not homed here", "99.9/X", at(), any, PO, null, ResponseCode.SERVER_NOT_RESPONSIBLE),
                row("handle matched without case", "88.100.1/open", at(1), any, PO, null, ResponseCode.SUCCESS, 1),
                row("no record", "88.100.1/NONE", at(), any, PO, null, ResponseCode.HANDLE_NOT_FOUND),
                row("every value", OPEN, at(), any, PO, null, ResponseCode.SUCCESS, 1, 2, 3, 7),
                row("one index", OPEN, at(2), any, PO, null, ResponseCode.SUCCESS, 2),
                row("indexes in stored order", OPEN, at(7, 2), any, PO, null, ResponseCode.SUCCESS, 2, 7),
                row("type, exactly", OPEN, at(), List.of("URL"), PO, null, ResponseCode.SUCCESS, 1),
                row("type without case", OPEN, at(), List.of("url"), PO, null, ResponseCode.SUCCESS, 1),
                row("type and its subtypes", OPEN, at(), List.of("URL."), PO, null, ResponseCode.SUCCESS, 1, 3),
                row("index or type", OPEN, at(7), List.of("EMAIL"), PO, null, ResponseCode.SUCCESS, 2, 7),
                row("no such index", OPEN, at(42), any, PO, null, ResponseCode.VALUES_NOT_FOUND),
                row("no such type", OPEN, at(), List.of("NOTHING"), PO, null, ResponseCode.VALUES_NOT_FOUND),
                row("public-only drops restricted", MIXED, at(), any, PO, null, ResponseCode.SUCCESS, 1, 100),
                row("public-only leaves nothing", MIXED, at(2), any, PO, null, ResponseCode.VALUES_NOT_FOUND),
                row("public values need nobody", MIXED, at(1), any, 0, null, ResponseCode.SUCCESS, 1),
                row("restricted, sender unknown", MIXED, at(), any, 0, null, ResponseCode.AUTHENTICATION_NEEDED),
                row("restricted, READ_VALUE held", MIXED, at(2), any, 0, READER, ResponseCode.SUCCESS, 2),
                row("restricted, all to a reader", MIXED, at(), any, 0, READER, ResponseCode.SUCCESS, 1, 2, 100),
                row("restricted, READ_VALUE lacking", MIXED, at(2), any, 0, OUTSIDER, ResponseCode.INVALID_ADMIN),
                row("restricted, node administrator", MIXED, at(2), any, 0, NODE_ADMIN, ResponseCode.SUCCESS, 2),
                row("readable by nobody, unknown", SEALED, at(), any, 0, null, ResponseCode.INSUFFICIENT_PERMISSIONS),
                row("readable by nobody, reader", SEALED, at(2), any, 0, READER,
                        ResponseCode.INSUFFICIENT_PERMISSIONS),
                row("readable by nobody, public-only", SEALED, at(), any, PO, null, ResponseCode.SUCCESS, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void resolves(Row row) {
        Message request = resolution(row.handle, row.indexes, row.types, row.flags, 17);
        Message reply = ReplyCollector.single(chain.answer(request, known(row.as)).join());
        assertThat(reply.responseCode()).isEqualTo(row.rc);
        assertThat(reply.requestId()).isEqualTo(17);
        assertThat(reply.opCode()).isEqualTo(OpCode.RESOLUTION);
        if (row.rc.equals(ResponseCode.SUCCESS)) {
            ResolutionResponse body = (ResolutionResponse) reply.body();
            assertThat(body.handle()).isEqualTo(row.handle);
            assertThat(body.values()).extracting(HandleValue::index).containsExactlyElementsOf(row.values);
        } else if (row.rc.equals(ResponseCode.AUTHENTICATION_NEEDED)) {
            assertThat(reply.body()).isInstanceOf(Challenge.class);
            assertThat(reply.sessionId()).isNotZero();
            assertThat(reply.requestDigest()).isNotNull();
        } else {
            assertThat(reply.body()).isInstanceOf(ErrorResponse.class);
        }
    }

    @Test
    void anAnsweredChallengeIsResolvedWithTheAnswersRequestId() throws Exception {
        // The node's key doubles as READER's key here: an HS_PUBKEY on READER's handle.
        store.put(HandleRecord.of(READER.handle(), List.of(HandleValue.builder(READER.index(), "HS_PUBKEY")
                .data(KEY_CODEC.encodePublicKey(chain.replies().identity().publicKey())).build())));
        Message challenge = ReplyCollector.single(chain.answer(resolution(MIXED, at(2), List.of(), 0, 17)).join());
        assertThat(challenge.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);

        Message reply = ReplyCollector.single(chain.answer(answer(challenge, READER, nodeKey, 18)).join());
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(reply.requestId()).isEqualTo(18);
        assertThat(((ResolutionResponse) reply.body()).values()).extracting(HandleValue::index).containsExactly(2);
    }

    @Test
    void permissionIsRefusedBeforeAnyProofIsChecked() throws Exception {
        Message challenge = ReplyCollector.single(chain.answer(resolution(MIXED, at(2), List.of(), 0, 17)).join());
        // OUTSIDER has no key at all: a proof check would fail with 403; the permission check comes first.
        Message reply = ReplyCollector.single(chain.answer(answer(challenge, OUTSIDER, nodeKey, 18)).join());
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.INVALID_ADMIN);
        assertThat(reply.requestId()).isEqualTo(18);
    }

    static Message resolution(String handle, int[] indexes, List<String> types, int flags, int requestId) {
        MessageHeader h = new MessageHeader(OpCode.RESOLUTION, ResponseCode.RESERVED, OpFlags.RECURSIVE | flags, 1, 0,
                2_000_000_000L);
        return Message.of(Envelope.request(0, requestId), h, new ResolutionRequest(handle, indexes, types, null));
    }

    static Message answer(Message challenge, ValueReference as, PrivateKey key, int requestId) {
        byte[] signed = ANSWERS.signPublicKeyAnswer(key, ((Challenge) challenge.body()).nonce(),
                challenge.requestDigest().digest(), challenge.envelope().version().number());
        MessageHeader h = new MessageHeader(OpCode.CHALLENGE_RESPONSE, ResponseCode.RESERVED, OpFlags.RECURSIVE, 1, 0,
                2_000_000_000L);
        return Message.of(Envelope.request(challenge.sessionId(), requestId), h,
                new ChallengeAnswer("HS_PUBKEY", as.handle(), as.index(), signed));
    }

    /** The context of a request whose sender the chain already knows as {@code as}, or does not know (null). */
    static RequestContext known(ValueReference as) {
        return as == null ? RequestContext.NONE : new AuthenticatedContext(as, RequestContext.NONE);
    }
}
