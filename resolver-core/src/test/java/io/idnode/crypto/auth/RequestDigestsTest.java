package io.idnode.crypto.auth;

import static io.idnode.crypto.CryptoFixtures.flipBit;
import static io.idnode.crypto.CryptoFixtures.headerAndBody;
import static io.idnode.crypto.CryptoFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.protocol.RequestDigest;
import io.idnode.testing.Vectors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestDigestsTest {

    @ParameterizedTest
    @CsvSource({"create_handle_request, challenge_response_to_create",
        "verify_auth_request, verify_auth_response_valid",
        "session_setup_request_dh, session_setup_response_dh"})
    void replyDigestIsTheHashOfTheRequestHeaderAndBody(String request, String reply) {
        JsonNode req = Vectors.vector(request);
        JsonNode rep = Vectors.vector(reply);
        byte[] body = hex(rep, "body_hex");
        RequestDigest rd = RequestDigests.forReply(2, 11, headerAndBody(req));
        assertThat(rd.hashType()).isEqualTo(body[0]);
        assertThat(rd.digest()).isEqualTo(Arrays.copyOfRange(body, 1, 33));
        assertThat(RequestDigests.matches(rd, headerAndBody(req))).isTrue();
    }

    @Test
    void challengeDigestEqualsTheVectorsRequestDigest() {
        byte[] request = headerAndBody(Vectors.vector("create_handle_request"));
        RequestDigest rd = RequestDigests.digest(RequestDigest.SHA256, request);
        assertThat(Vectors.toHex(rd.digest()))
                .isEqualTo(Vectors.vector("challenge_response_to_create").get("request_digest_hex").asText());
    }

    @Test
    void hashTypeFollowsTheReplyVersion() {
        assertThat(RequestDigests.hashTypeFor(2, 11)).isEqualTo(RequestDigest.SHA256);
        assertThat(RequestDigests.hashTypeFor(2, 7)).isEqualTo(RequestDigest.SHA256);
        assertThat(RequestDigests.hashTypeFor(2, 6)).isEqualTo(RequestDigest.SHA1);
        assertThat(RequestDigests.hashTypeFor(2, 1)).isEqualTo(RequestDigest.SHA1);
        assertThat(RequestDigests.hashTypeFor(2, 0)).isEqualTo(RequestDigest.MD5);
    }

    @Test
    void digestLengthsMatchTheirTypes() {
        byte[] data = {1, 2, 3};
        for (int type = 1; type <= 3; type++) {
            RequestDigest rd = RequestDigests.digest(type, data);
            assertThat(rd.digest()).hasSize(RequestDigest.digestLength(type));
        }
        assertThatThrownBy(() -> RequestDigests.digest(4, data)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDifferentRequestDoesNotMatch() {
        byte[] request = headerAndBody(Vectors.vector("create_handle_request"));
        RequestDigest rd = RequestDigests.digest(RequestDigest.SHA1, request);
        assertThat(RequestDigests.matches(rd, flipBit(request, 30))).isFalse();
        assertThat(RequestDigests.matches(new RequestDigest(9, rd.digest()), request)).isFalse();
    }
}
