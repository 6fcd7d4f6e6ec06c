package io.idnode.handler.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.ValueReference;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The replay window and identity binding of one session (handle-protocol.md §6.5). */
class SessionTest {
    private static Session session(ValueReference identity) {
        return new Session(7, new byte[32], 2, 11, identity, null, 0, 60_000, 600_000);
    }

    @Test
    void eachCounterIsAcceptedOnce() {
        Session s = session(null);
        for (int c = 1; c <= 200; c++) {
            assertThat(s.acceptCounter(c)).as("first %d", c).isTrue();
            assertThat(s.acceptCounter(c)).as("again %d", c).isFalse();
        }
    }

    @Test
    void zeroAndNegativeCountersAreRefused() {
        Session s = session(null);
        assertThat(s.acceptCounter(0)).isFalse();
        assertThat(s.acceptCounter(-5)).isFalse();
        assertThat(s.acceptCounter(1)).isTrue();
    }

    @Test
    void jumpOfExactlyTheWindowKeepsTheOldHighestCounterInside() {
        Session s = session(null);
        assertThat(s.acceptCounter(1)).isTrue();
        assertThat(s.acceptCounter(1 + Session.REPLAY_WINDOW)).isTrue();
        assertThat(s.acceptCounter(1)).isFalse();
        assertThat(s.acceptCounter(2)).isTrue();
        assertThat(s.acceptCounter(2)).isFalse();
    }

    @Test
    void shuffledCountersInsideTheWindowMatchASetOfSeenCounters() {
        // Against a plain model: accept iff never seen and not more than the window below the highest.
        Random random = new Random(42);
        Session s = session(null);
        Set<Integer> seen = new HashSet<>();
        int highest = 0;
        for (int i = 0; i < 5_000; i++) {
            int c = Math.max(1, highest + random.nextInt(80) - 70);
            boolean expected = !seen.contains(c) && highest - c <= Session.REPLAY_WINDOW;
            assertThat(s.acceptCounter(c)).as("counter %d after highest %d", c, highest).isEqualTo(expected);
            if (expected) {
                seen.add(c);
                highest = Math.max(highest, c);
            }
        }
    }

    @Test
    void onlyTheIdentityNamedAtSetupAuthenticatesTheSession() {
        Session s = session(new ValueReference("0.NA/88.100.1", 300));
        assertThat(s.authenticate(new ValueReference("0.NA/88.100.1", 200))).isFalse();
        assertThat(s.authenticate(null)).isFalse();
        assertThat(s.authenticatedAs()).isNull();
        assertThat(s.authenticate(new ValueReference("0.na/88.100.1", 300))).isTrue();
        assertThat(s.authenticatedAs()).isEqualTo(new ValueReference("0.NA/88.100.1", 300));
    }

    @Test
    void expiresWhenIdleOrPastItsLifetime() {
        Session s = session(null);
        assertThat(s.expiredAt(59_999)).isFalse();
        assertThat(s.expiredAt(60_000)).isTrue();
        s.touch(590_000);
        assertThat(s.expiredAt(599_999)).isFalse();
        assertThat(s.expiredAt(600_000)).isTrue();
    }
}
