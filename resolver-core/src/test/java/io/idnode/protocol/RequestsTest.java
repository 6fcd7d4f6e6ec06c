package io.idnode.protocol;

import static io.idnode.testing.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.codec.CodecException;
import io.idnode.codec.MessageCodec;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageBody.VerifyChallengeRequest;
import io.idnode.testing.Vectors;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The request factories write exactly the bytes of every request vector the stock client library made. */
class RequestsTest {
    private static final long EXPIRATION = 2_000_000_000L;
    private static final int REQUEST_ID = 0x1234_5678;
    private static final String HANDLE = "88.100.1/PROD-0001";
    private static final String PREFIX = "0.NA/88.100.1";
    /** As the vectors were sent: to a site with serial 1. */
    private static final Requests TO_SITE = Requests.expiringAt(EXPIRATION).withRequestId(REQUEST_ID)
            .withSiteInfoSerial(1);
    /** As the vectors were sent without a site. */
    private static final Requests NO_SITE = Requests.expiringAt(EXPIRATION).withRequestId(REQUEST_ID);

    /** Each request vector, built from the factories; bodies that carry values or proofs take them from the vector. */
    private static final Map<String, Function<Message, Message>> BUILT = Map.ofEntries(
            Map.entry("resolution_request_all", m -> TO_SITE.resolution(HANDLE)),
            Map.entry("resolution_request_all_empty_arrays", m -> TO_SITE.resolution(HANDLE, List.of())),
            Map.entry("resolution_request_type_filter",
                    m -> TO_SITE.resolution(HANDLE, List.of(ValueTypes.URL, ValueTypes.EMAIL))),
            Map.entry("resolution_request_index_filter", m -> TO_SITE.resolution(HANDLE, List.of(), 1, 100)),
            Map.entry("resolution_request_certify",
                    m -> TO_SITE.withFlags(Requests.DEFAULT_FLAGS | OpFlags.CERTIFY).resolution(HANDLE)),
            Map.entry("resolution_request_authoritative_all_values", m -> TO_SITE.withRequestId(REQUEST_ID + 7)
                    .withFlags(OpFlags.AUTHORITATIVE | OpFlags.RECURSIVE | OpFlags.CACHE_CERTIFY).resolution(HANDLE)),
            Map.entry("resolution_request_v2_3_no_site",
                    m -> NO_SITE.withVersion(ProtocolVersion.of(2, 3)).resolution(HANDLE)),
            Map.entry("resolution_request_prefix_service_lookup", m -> NO_SITE.withRecursionCount(1).resolution(PREFIX,
                    List.of(ValueTypes.HS_SITE, ValueTypes.HS_SITE_6, ValueTypes.HS_SERV, ValueTypes.HS_NAMESPACE))),
            Map.entry("get_site_info_request", m -> TO_SITE.siteInfo()),
            Map.entry("create_handle_request", m -> TO_SITE.createHandle(HANDLE, values(m))),
            Map.entry("create_handle_request_mint",
                    m -> TO_SITE.withFlags(Requests.DEFAULT_FLAGS | OpFlags.MINT).createHandle("88.100.1/", values(m))),
            Map.entry("create_handle_request_overwrite",
                    m -> TO_SITE.withFlags(Requests.DEFAULT_FLAGS | OpFlags.OVERWRITE).createHandle(HANDLE, values(m))),
            Map.entry("add_value_request", m -> TO_SITE.addValues(HANDLE, values(m))),
            Map.entry("modify_value_request", m -> TO_SITE.modifyValues(HANDLE, values(m))),
            Map.entry("remove_value_request", m -> TO_SITE.removeValues(HANDLE, 2, 3)),
            Map.entry("delete_handle_request", m -> TO_SITE.deleteHandle(HANDLE)),
            Map.entry("list_handles_request", m -> TO_SITE.listHandles(PREFIX)),
            Map.entry("list_homed_nas_request", m -> TO_SITE.listHomedPrefixes(PREFIX)),
            Map.entry("home_na_request", m -> TO_SITE.homePrefix(PREFIX)),
            Map.entry("challenge_answer_pubkey_rsa", m -> answer(ValueTypes.HS_PUBKEY, 300, "challenge_answer_pubkey_rsa")),
            Map.entry("challenge_answer_pubkey_dsa", m -> answer(ValueTypes.HS_PUBKEY, 301, "challenge_answer_pubkey_dsa")),
            Map.entry("challenge_answer_seckey_pbkdf2",
                    m -> answer(ValueTypes.HS_SECKEY, 310, "challenge_answer_seckey_pbkdf2")),
            Map.entry("verify_auth_request", m -> {
                VerifyChallengeRequest v = (VerifyChallengeRequest) m.body();
                return TO_SITE.withRequestId(REQUEST_ID + 2).verifyChallenge(new ValueReference(PREFIX, 310), v.nonce(),
                        v.digest(), v.signedResponse());
            }),
            Map.entry("session_setup_request_dh", m -> NO_SITE.withRequestId(REQUEST_ID + 3)
                    .sessionSetup(new ValueReference(PREFIX, 300), 86_400, Vectors.key("dh_client_public_hs_encoding"))),
            Map.entry("session_request_mac", m -> TO_SITE.withSessionId(2).withRequestId(REQUEST_ID + 4)
                    .addValues(HANDLE, values(m)).withCredential(m.credential())),
            Map.entry("session_terminate_request",
                    m -> TO_SITE.withSessionId(2).withRequestId(REQUEST_ID + 5).sessionTerminate()));

    private static List<HandleValue> values(Message m) {
        return ((ValuesRequest) m.body()).values();
    }

    private static Message answer(String authType, int index, String vector) {
        byte[] signed = hex(Vectors.vector(Vectors.HANDLE, vector).get("signed_response_hex").asText());
        return NO_SITE.withSessionId(1).withRequestId(REQUEST_ID + 1)
                .challengeAnswer(authType, new ValueReference(PREFIX, index), signed);
    }

    static Stream<String> requestVectors() {
        return Vectors.all(Vectors.HANDLE).stream()
                .filter(v -> v.has("header_fields") && v.get("header_fields").get("responseCode").asInt() == 0)
                .map(v -> v.get("name").asText());
    }

    @Test
    void everyRequestVectorHasAFactory() {
        assertThat(BUILT.keySet()).containsExactlyInAnyOrderElementsOf(requestVectors().collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @MethodSource("requestVectors")
    void factoryWritesTheVectorsBytes(String name) throws CodecException {
        JsonNode v = Vectors.vector(Vectors.HANDLE, name);
        byte[] tcp = hex(v.get("tcp_hex").asText());

        Message built = BUILT.get(name).apply(MessageCodec.DEFAULT.decode(tcp));

        assertThat(Vectors.toHex(MessageCodec.DEFAULT.encode(built))).isEqualTo(Vectors.toHex(tcp));
    }

    @Test
    void requestsMadeNowAreAStockClientsRequest() {
        Message m = Requests.madeAt(Instant.ofEpochSecond(1_700_000_000L)).resolution(HANDLE);

        assertThat(m.header().expiration()).isEqualTo(1_700_000_000L + 12 * 3600);
        assertThat(m.header().opFlags()).isEqualTo(0x1900_0000);
        assertThat(m.header().siteInfoSerial()).isEqualTo(0xFFFF);
        assertThat(m.header().recursionCount()).isZero();
        assertThat(m.opCode()).isEqualTo(OpCode.RESOLUTION);
        assertThat(m.responseCode()).isEqualTo(ResponseCode.RESERVED);
        assertThat(m.envelope()).isEqualTo(new Envelope(2, 11, 0, 2, 11, 0, 0, 0, 0));
        assertThat(m.body()).isEqualTo(new ResolutionRequest(HANDLE, new int[0], List.of(), null));
        assertThat(m.requestDigest()).isNull();
        assertThat(m.credential()).isNull();
        assertThat(m.headerAndBody()).isNull();
    }

    @Test
    void fieldsThatDoNotFitTheHeaderAreRefused() {
        assertThatThrownBy(() -> Requests.expiringAt(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Requests.expiringAt(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TO_SITE.withSiteInfoSerial(0x1_0000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("siteInfoSerial");
        assertThatThrownBy(() -> TO_SITE.withRecursionCount(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recursionCount");
    }
}
