package io.idnode.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.budget.MemoryBudget;
import io.idnode.budget.MessageFootprint;
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
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Challenges waiting for their answer (handle-protocol.md §6.1-6.3): taken once, expiring, bounded in bytes. */
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
    void eachChallengeIsChargedWithTheFootprintOfItsRequest() {
        Message request = request(1);

        Pending p = challenges.open(request, DIGEST, 0);

        assertThat(p.heldBytes()).isEqualTo(MessageFootprint.of(request));
        assertThat(challenges.budget().used()).isEqualTo(p.heldBytes());
    }

    @Test
    void aChallengeBeyondTheBudgetIsNotOpenedAndTheOthersStay() {
        long each = MessageFootprint.of(request(0));
        PendingChallenges small = new PendingChallenges(LIFETIME, clock,
                new MemoryBudget("challenge-memory", 3 * each));
        List<Pending> opened = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            opened.add(small.open(request(i), DIGEST, 0));
        }

        assertThat(small.open(request(3), DIGEST, 0)).isNull();
        assertThat(small.open(request(4), DIGEST, 77)).isNull();

        assertThat(small.size()).isEqualTo(3);
        assertThat(small.budget().used()).isEqualTo(3 * each);
        assertThat(small.budget().refused()).isEqualTo(2);
        assertThat(small.take(opened.get(2).sessionId())).isSameAs(opened.get(2));
    }

    @Test
    void takenReplacedAndExpiredChallengesGiveTheirBytesBack() {
        long each = MessageFootprint.of(request(0));
        PendingChallenges small = new PendingChallenges(LIFETIME, clock,
                new MemoryBudget("challenge-memory", 2 * each));
        Pending taken = small.open(request(1), DIGEST, 0);
        small.open(request(2), DIGEST, 77);

        small.take(taken.sessionId());
        assertThat(small.budget().used()).isEqualTo(each);
        small.open(request(3), DIGEST, 77); // replaces the session's earlier challenge
        assertThat(small.budget().used()).isEqualTo(each);
        small.open(request(4), DIGEST, 0);
        assertThat(small.open(request(5), DIGEST, 0)).isNull();

        clock.advance(LIFETIME);

        assertThat(small.open(request(6), DIGEST, 0)).isNotNull(); // the expired ones were dropped to make room
        assertThat(small.budget().used()).isEqualTo(each);
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfTheBudgetAndOthersStillGetChallenges() throws Exception {
        long each = MessageFootprint.of(request(0));
        PendingChallenges small = new PendingChallenges(LIFETIME, clock,
                new MemoryBudget("challenge-memory", PendingChallenges.SOURCE_SHARE * 2 * each));
        InetAddress flooder = InetAddress.getByName("127.0.0.2");
        Pending first = small.open(request(1), DIGEST, 0, flooder);
        small.open(request(2), DIGEST, 0, flooder);

        assertThat(small.open(request(3), DIGEST, 0, flooder)).isNull();
        assertThat(small.open(request(4), DIGEST, 0, InetAddress.getByName("127.0.0.1"))).isNotNull();

        assertThat(small.held(flooder)).isEqualTo(2 * each);
        assertThat(small.refusedPerSource()).isEqualTo(1);
        assertThat(small.take(first.sessionId()).source()).isEqualTo(flooder);
        assertThat(small.held(flooder)).isEqualTo(each);
        assertThat(small.open(request(5), DIGEST, 0, flooder)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void theLifetimeMustBePositive(long seconds) {
        assertThatThrownBy(() -> new PendingChallenges(Duration.ofSeconds(seconds), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifetime");
    }
}
