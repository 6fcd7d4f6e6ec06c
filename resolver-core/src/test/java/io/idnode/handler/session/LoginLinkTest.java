package io.idnode.handler.session;

import static io.idnode.crypto.CryptoFixtures.rsaPrivate;
import static io.idnode.crypto.CryptoFixtures.rsaPublic;
import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.MessageCodec;
import io.idnode.codec.ValueCodec;
import io.idnode.handler.AuditLog;
import io.idnode.handler.RequestContext;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Message;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.store.RecordStore.RecordWrite;
import io.idnode.testing.Vectors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LOGIN exchange of cn-extensions.md §3 through the node's whole chain, byte for byte against the cn
 * vectors: the SDK's GET_SITE_INFO and LOGIN, the challenge (with the vectors' nonce), the SM2/SM3 answer, the
 * success reply, and the create that follows in the login session; then what a login binds and what it does
 * not.
 */
class LoginLinkTest {
    private static final MessageCodec CODEC = MessageCodec.DEFAULT;
    private static final String IDENTITY = "88.100.1/sm2user";
    private static final ValueReference USER = new ValueReference(IDENTITY, 300);
    private static final byte[] NONCE = Vectors.hex("00112233445566778899aabbccddeeff");

    private InMemoryRecordStore store;
    private RequestChain chain;
    private final List<AuditLog.Entry> audit = new ArrayList<>();

    /** A random source that gives the vectors' nonce, so that the challenge is the vector's to the byte. */
    private static final class VectorNonce extends SecureRandom {
        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = NONCE[i % NONCE.length];
            }
        }
    }

    @BeforeEach
    void node() throws Exception {
        store = new InMemoryRecordStore();
        HandleValue key = ValueCodec.decode(hex(Vectors.vector(Vectors.CN, "handle_value_hs_pubkey_untyped_300")
                .get("value_hex").asText()));
        store.write(List.of(RecordWrite.put(HandleRecord.of(IDENTITY, List.of(key)))));
        // Replies expire 12 hours after now: the vectors' expiration 2000000000.
        Clock clock = Clock.fixed(Instant.ofEpochSecond(2_000_000_000L - 43_200), ZoneOffset.UTC);
        chain = NodeFixtures.chain(store, rsaPrivate(), rsaPublic()).clock(clock).random(new VectorNonce())
                .nodeAdmins(List.of(USER)).auditLog(audit::add).build();
    }

    @Test
    void theSdkLoginSessionIsTheVectorsByteForByte() throws Exception {
        TestConnection tcp = new TestConnection();
        Message site = single(vector("sdk_get_site_info_request"), tcp);
        assertThat(site.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(site.sessionId()).isEqualTo(10001);

        Message challenge = single(vector("sdk_login_request"), tcp);
        assertThat(encode(challenge)).isEqualTo(Vectors.vector(Vectors.CN, "challenge_to_sdk_login")
                .get("tcp_hex").asText());

        Message success = single(vector("sdk_challenge_answer_sm2_sm3"), tcp);
        assertThat(encode(success)).isEqualTo(Vectors.vector(Vectors.CN, "login_success_response")
                .get("tcp_hex").asText());
        assertThat(tcp.login().identityFor(10001)).isEqualTo(USER);
        assertThat(audit).last().satisfies(e -> {
            assertThat(e.op()).isEqualTo(OpCode.LOGIN);
            assertThat(e.identity()).isEqualTo(USER);
            assertThat(e.result()).isEqualTo(ResponseCode.SUCCESS);
        });

        Message created = single(vector("sdk_create_request_in_login_session"), tcp);
        assertThat(created.responseCode()).isEqualTo(ResponseCode.SUCCESS);
        assertThat(store.get("88.100.1/PROD-0002")).isNotNull();
        assertThat(audit).last().satisfies(e -> assertThat(e.identity()).isEqualTo(USER));
    }

    @Test
    void theSameSessionIdOnAnotherConnectionIsNotLoggedIn() throws Exception {
        TestConnection tcp = new TestConnection();
        single(vector("sdk_login_request"), tcp);
        assertThat(single(vector("sdk_challenge_answer_sm2_sm3"), tcp).responseCode())
                .isEqualTo(ResponseCode.SUCCESS);
        Message other = single(vector("sdk_create_request_in_login_session"), new TestConnection());
        assertThat(other.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        assertThat(store.get("88.100.1/PROD-0002")).isNull();
        // Nor does the answer, replayed on another connection, log that one in: no login waits there.
        TestConnection replay = new TestConnection();
        Message replayed = single(vector("sdk_challenge_answer_sm2_sm3"), replay);
        assertThat(replayed.responseCode()).isEqualTo(ResponseCode.AUTHEN_TIMEOUT);
        assertThat(replay.login().identityFor(10001)).isNull();
    }

    @Test
    void anAnswerWithTheWrongKeyIsRefusedAndLeavesTheConnectionLoggedOut() throws Exception {
        // The user's record holds another SM2 key: the vector answer no longer proves it.
        HandleValue other = ValueCodec.decode(hex(Vectors.vector(Vectors.CN, "hs_cert_sm2_signer")
                .path("record_values").get(0).path("value_hex").asText()));
        HandleValue at300 = other.withIndex(300);
        store.write(List.of(RecordWrite.put(HandleRecord.of(IDENTITY, List.of(at300)))));
        TestConnection tcp = new TestConnection();
        single(vector("sdk_login_request"), tcp);
        Message refused = single(vector("sdk_challenge_answer_sm2_sm3"), tcp);
        assertThat(refused.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_FAILED);
        assertThat(refused.opCode()).isEqualTo(OpCode.LOGIN);
        assertThat(tcp.login().identityFor(10001)).isNull();
        Message create = single(vector("sdk_create_request_in_login_session"), tcp);
        assertThat(create.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
        assertThat(store.get("88.100.1/PROD-0002")).isNull();
    }

    @Test
    void loginWithoutAConnectionIsNotSupported() throws Exception {
        Message refused = single(vector("sdk_login_request"), RequestContext.NONE);
        assertThat(refused.responseCode()).isEqualTo(ResponseCode.OPERATION_NOT_SUPPORTED);
    }

    @Test
    void plainSdkResolutionWithTheAuthStringWorksUnauthenticated() throws Exception {
        single(vector("sdk_login_request"), new TestConnection()); // another client's login changes nothing here
        HandleValue url = ValueCodec.decode(hex(Vectors.vector(Vectors.CN, "hs_signature_sm2").path("signed_values")
                .get(0).path("value_hex").asText()));
        store.write(List.of(RecordWrite.put(HandleRecord.of("88.100.1/PROD-0001", List.of(url)))));
        for (String name : List.of("sdk_resolution_request", "sdk_resolution_request_recursion_auth")) {
            Message reply = single(vector(name), new TestConnection());
            assertThat(reply.responseCode()).as(name).isEqualTo(ResponseCode.SUCCESS);
        }
    }

    private static Message vector(String name) throws Exception {
        return CODEC.decode(hex(Vectors.vector(Vectors.CN, name).get("tcp_hex").asText()));
    }

    private Message single(Message request, RequestContext context) throws Exception {
        List<Message> replies = chain.answer(request, context).get(10, TimeUnit.SECONDS);
        assertThat(replies).hasSize(1);
        return replies.get(0);
    }

    private String encode(Message reply) {
        ByteBuf b = chain.encoder().encode(reply, ByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }
}
