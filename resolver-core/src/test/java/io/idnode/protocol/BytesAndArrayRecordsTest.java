package io.idnode.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.protocol.MessageBody.Challenge;
import io.idnode.protocol.MessageBody.ChallengeAnswer;
import io.idnode.protocol.MessageBody.OpaqueBody;
import io.idnode.protocol.MessageBody.RemoveValuesRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.SessionExchangeKey;
import io.idnode.protocol.MessageBody.SessionSetupRequest;
import io.idnode.protocol.MessageBody.SessionSetupResponse;
import io.idnode.protocol.MessageBody.VerifyChallengeRequest;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Records with byte or int arrays are values: equal by content, and neither the array given nor the one
 * returned reaches inside them.
 */
class BytesAndArrayRecordsTest {

    @Test
    void bytesAreEqualByContentWhateverArrayTheyView() {
        byte[] frame = {9, 1, 2, 3, 9};
        Bytes view = Bytes.wrap(frame, 1, 3);
        Bytes copy = Bytes.copyOf(new byte[] {1, 2, 3});

        assertThat(view).isEqualTo(copy).hasSameHashCodeAs(copy).isNotEqualTo(Bytes.wrap(frame));
        assertThat(view.length()).isEqualTo(3);
        assertThat(view.byteAt(2)).isEqualTo((byte) 3);
        assertThat(view.toByteArray()).containsExactly(1, 2, 3);
        assertThat(view).hasToString("010203");
        assertThat(Bytes.copyOf(new byte[0])).isSameAs(Bytes.EMPTY);
        assertThatThrownBy(() -> view.byteAt(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Bytes.wrap(frame, 3, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void bytesCopiedInAreNotChangedByTheirSourceNorByWhatTheyHandOut() {
        byte[] source = {1, 2, 3};
        Bytes b = Bytes.copyOf(source);
        source[0] = 7;
        b.toByteArray()[1] = 7;
        byte[] into = new byte[5];
        b.copyTo(into, 2);

        assertThat(b.toByteArray()).containsExactly(1, 2, 3);
        assertThat(into).containsExactly(0, 0, 1, 2, 3);
    }

    @Test
    void messagesAndCredentialsCompareTheirBytesByContent() {
        Credential a = Credential.mac(3, "HMAC-SHA256", Bytes.wrap(new byte[] {1, 2}));
        Credential b = Credential.mac(3, "HMAC-SHA256", Bytes.copyOf(new byte[] {1, 2}));
        Message m1 = new Message(Envelope.request(0, 1), null, null, new OpaqueBody(Bytes.wrap(new byte[] {5})), a,
                Bytes.wrap(new byte[] {0, 5, 0}, 1, 1));
        Message m2 = new Message(Envelope.request(0, 1), null, null, new OpaqueBody(Bytes.copyOf(new byte[] {5})), b,
                Bytes.copyOf(new byte[] {5}));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(m1).isEqualTo(m2).hasSameHashCodeAs(m2);
        assertThat(Credential.signed("SHA-256", null).signature()).isSameAs(Bytes.EMPTY);
        assertThat(m1).isNotEqualTo(m2.withCredential(Credential.mac(3, "HMAC-SHA256", Bytes.wrap(new byte[] {1, 3}))));
    }

    @Test
    void resolutionRequestCopiesItsIndexesAndSharesNoArrayWhenThereAreNone() {
        int[] indexes = {1, 100};
        ResolutionRequest r = new ResolutionRequest("88.100.1/X", indexes, List.of("URL"), null);
        indexes[0] = 7;
        r.indexes()[1] = 7;

        assertThat(r.indexes()).containsExactly(1, 100);
        assertThat(r).isEqualTo(new ResolutionRequest("88.100.1/X", new int[] {1, 100}, List.of("URL"), null))
                .hasSameHashCodeAs(new ResolutionRequest("88.100.1/X", new int[] {1, 100}, List.of("URL"), null))
                .isNotEqualTo(new ResolutionRequest("88.100.1/X", new int[] {1}, List.of("URL"), null));
        ResolutionRequest all = new ResolutionRequest("88.100.1/X", null, null, null);
        assertThat(all.indexes()).isEmpty();
        assertThat(all.indexes()).isSameAs(new ResolutionRequest("88.100.1/Y", new int[0], null, null).indexes());
        assertThat(all).isEqualTo(new ResolutionRequest("88.100.1/X", new int[0], List.of(), null));
    }

    @Test
    void recordsWithByteArraysAreEqualByContentAndKeepTheirOwnCopies() {
        assertValue(b -> new Challenge(b), Challenge::nonce);
        assertValue(b -> new ChallengeAnswer("HS_PUBKEY", "0.NA/88.100.1", 300, b), ChallengeAnswer::signedResponse);
        assertValue(b -> new VerifyChallengeRequest("0.NA/88.100.1", 300, b, new RequestDigest(2, b), b),
                VerifyChallengeRequest::nonce);
        assertValue(b -> new VerifyChallengeRequest("0.NA/88.100.1", 300, b, new RequestDigest(2, b), b),
                VerifyChallengeRequest::signedResponse);
        assertValue(b -> new SessionSetupRequest(4, 600, "", 0, b, null, 0), SessionSetupRequest::exchangeKey);
        assertValue(b -> new SessionSetupResponse(4, b), SessionSetupResponse::data);
        assertValue(SessionExchangeKey::new, SessionExchangeKey::encryptedSessionKey);
        assertValue(b -> new RequestDigest(3, b), RequestDigest::digest);
        assertThat(new RemoveValuesRequest("88.100.1/X", new int[] {2, 3}))
                .isEqualTo(new RemoveValuesRequest("88.100.1/X", new int[] {2, 3}))
                .hasSameHashCodeAs(new RemoveValuesRequest("88.100.1/X", new int[] {2, 3}));
        assertThat(new SessionSetupRequest(2, 600, "", 0, null, null, 0).exchangeKey()).isNull();
    }

    private static <R> void assertValue(Function<byte[], R> make, Function<R, byte[]> read) {
        byte[] given = {1, 2, 3};
        R record = make.apply(given);
        R same = make.apply(new byte[] {1, 2, 3});
        given[0] = 9;
        read.apply(record)[1] = 9;

        assertThat(read.apply(record)).as(record.toString()).containsExactly(1, 2, 3);
        assertThat(record).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(make.apply(new byte[] {1, 2}));
    }
}
