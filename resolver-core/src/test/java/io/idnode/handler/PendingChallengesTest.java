package io.idnode.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.handler.PendingChallenges.Pending;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.RequestDigest;
import io.idnode.protocol.ResponseCode;
import io.idnode.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Challenges waiting for their answer (handle-protocol.md §6.1-6.3): taken once, expiring, bounded. */
class PendingChallengesTest {
    private static final Duration LIFETIME = Duration.ofSeconds(20);
    private static final RequestDigest DIGEST = new RequestDigest(RequestDigest.SHA256, new byte[32]);

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final PendingChallenges challenges = new PendingChallenges(LIFETIME, clock);

    private static Message request(int requestId) {
        return Message.of(Envelope.request(0, requestId),
                new MessageHeader(OpCode.RESOLUTION, ResponseCode.RESERVED, OpFlags.RECURSIVE, 0xFFFF, 0, 0),
                new ResolutionRequest("88.100.1/SECRET", new int[0], List.of(), null));
    }

    @Test
    void aChallengeHoldsItsRequestDigestAndAFreshNonce() {
        Message request = request(1);

        Pending p = challenges.open(request, DIGEST, 0);

        assertThat(p.sessionId()).isPositive();
        assertThat(p.request()).isSameAs(request);
        assertThat(p.digest()).isSameAs(DIGEST);
        assertThat(p.nonce()).hasSize(PendingChallenges.NONCE_LENGTH);
        assertThat(p.openedNanos()).isEqualTo(clock.read());
        assertThat(challenges.open(request, DIGEST, 0).nonce()).isNotEqualTo(p.nonce());
    }

    @Test
    void aChallengeIsTakenOnlyOnce() {
        Pending p = challenges.open(request(1), DIGEST, 0);

        assertThat(challenges.take(p.sessionId())).isSameAs(p);
        assertThat(challenges.take(p.sessionId())).isNull();
        assertThat(challenges.size()).isZero();
    }

    @Test
    void anUnknownIdHasNoChallenge() {
        Pending p = challenges.open(request(1), DIGEST, 0);

        assertThat(challenges.take(p.sessionId() == 1 ? 2 : 1)).isNull();
        assertThat(challenges.size()).isEqualTo(1);
    }

    @Test
    void aChallengeInASessionIsKeptUnderTheSessionIdAndReplacesTheSessionsEarlierOne() {
        Pending first = challenges.open(request(1), DIGEST, 77);
        Pending second = challenges.open(request(2), DIGEST, 77);

        assertThat(first.sessionId()).isEqualTo(77);
        assertThat(second.sessionId()).isEqualTo(77);
        assertThat(challenges.size()).isEqualTo(1);
        assertThat(challenges.take(77)).isSameAs(second);
        assertThat(challenges.take(77)).isNull();
    }

    @Test
    void challengesOutsideSessionsGetDistinctPositiveIds() {
        Set<Integer> ids = new HashSet<>();

        for (int i = 0; i < 1_000; i++) {
            ids.add(challenges.open(request(i), DIGEST, 0).sessionId());
        }

        assertThat(ids).hasSize(1_000).allSatisfy(id -> assertThat(id).isPositive());
        assertThat(challenges.size()).isEqualTo(1_000);
    }

    @Test
    void aChallengeExpiresAtTheEndOfItsLifetime() {
        Pending answeredInTime = challenges.open(request(1), DIGEST, 0);
        Pending answeredLate = challenges.open(request(2), DIGEST, 0);

        clock.advance(LIFETIME.minusNanos(1));
        assertThat(challenges.take(answeredInTime.sessionId())).isSameAs(answeredInTime);
        clock.advance(Duration.ofNanos(1));

        assertThat(challenges.take(answeredLate.sessionId())).isNull();
    }

    @Test
    void expiredChallengesAreDropped() {
        for (int i = 0; i < 10; i++) {
            challenges.open(request(i), DIGEST, 0);
        }
        clock.advance(LIFETIME.dividedBy(2));
        Pending later = challenges.open(request(10), DIGEST, 0);
        assertThat(challenges.size()).isEqualTo(11);

        clock.advance(LIFETIME.dividedBy(2));

        assertThat(challenges.size()).isEqualTo(1);
        assertThat(challenges.take(later.sessionId())).isSameAs(later);
    }

    @Test
    void aFloodOfChallengesIsBounded() {
        List<Pending> opened = new ArrayList<>();
        for (int i = 0; i <= PendingChallenges.MAX_PENDING; i++) {
            opened.add(challenges.open(request(i), DIGEST, 0));
        }

        assertThat(challenges.size()).isEqualTo(PendingChallenges.MAX_PENDING);
        Pending newest = opened.get(opened.size() - 1);
        assertThat(challenges.take(newest.sessionId())).isSameAs(newest);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void theLifetimeMustBePositive(long seconds) {
        assertThatThrownBy(() -> new PendingChallenges(Duration.ofSeconds(seconds), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifetime");
    }
}
