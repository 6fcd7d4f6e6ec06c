package io.idnode.handler.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.ValueReference;
import io.idnode.testing.ManualClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The node's sessions (handle-protocol.md §6.5): opening, lookup, idle and lifetime expiry, capacity and the
 * quota per source, ids.
 */
class SessionTableTest {
    private static final byte[] KEY = new byte[32];
    private static final ValueReference ADMIN = new ValueReference("0.NA/88.100.1", 300);
    private static final Duration MAX = Duration.ofMinutes(10);

    private static final InetAddress CLIENT = address(127, 0, 0, 1);
    private static final InetAddress OTHER = address(127, 0, 0, 2);

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));

    private static InetAddress address(int... bytes) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) bytes[0], (byte) bytes[1], (byte) bytes[2],
                    (byte) bytes[3]});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private SessionTable table(int maxSessions) {
        return table(maxSessions, maxSessions);
    }

    private SessionTable table(int maxSessions, int maxPerSource) {
        return new SessionTable(new SessionSettings(maxSessions, maxPerSource, MAX), clock, new SecureRandom());
    }

    private Session open(SessionTable table, int timeoutSeconds) {
        return open(table, timeoutSeconds, null);
    }

    private Session open(SessionTable table, int timeoutSeconds, InetAddress source) {
        return table.open(KEY, 2, 11, ADMIN, timeoutSeconds, source);
    }

    /** Opens a session and authenticates it as the identity it named. */
    private Session openAuthenticated(SessionTable table, int timeoutSeconds) {
        Session s = open(table, timeoutSeconds);
        assertThat(s.authenticate(ADMIN)).isTrue();
        return s;
    }

    @Test
    void anOpenedSessionIsLiveUnderItsId() {
        SessionTable table = table(10);

        Session s = table.open(KEY, 2, 10, ADMIN, 60, CLIENT);

        assertThat(s.id()).isPositive();
        assertThat(s.version()).isEqualTo(210);
        assertThat(s.identity()).isEqualTo(ADMIN);
        assertThat(s.source()).isEqualTo(CLIENT);
        assertThat(s.authenticatedAs()).isNull();
        assertThat(table.live(s.id())).isSameAs(s);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void unknownIdsAreNotLive() {
        SessionTable table = table(10);
        Session s = open(table, 60);

        assertThat(table.live(0)).isNull();
        assertThat(table.live(s.id() == Integer.MAX_VALUE ? 1 : s.id() + 1)).isNull();
    }

    @ParameterizedTest(name = "asked {0} s, given {1} s")
    @CsvSource({"60, 60", "1, 1", "600, 600", "601, 600", "86400, 600"})
    void theTimeoutAskedForIsCappedAtTheMaximum(int asked, int given) {
        assertThat(open(table(10), asked).timeoutMillis()).isEqualTo(given * 1000L);
    }

    @ParameterizedTest(name = "asked {0} s")
    @ValueSource(ints = {0, -5, Integer.MIN_VALUE})
    void noTimeoutAskedForGivesTheUnspecifiedTimeoutNotTheMaximum(int asked) {
        SessionTable day = new SessionTable(new SessionSettings(10, 10, Duration.ofHours(24)), clock,
                new SecureRandom());

        assertThat(day.open(KEY, 2, 11, ADMIN, asked, null).timeoutMillis()).isEqualTo(600_000L);
        SessionTable minute = new SessionTable(new SessionSettings(10, 10, Duration.ofMinutes(1)), clock,
                new SecureRandom());
        assertThat(minute.open(KEY, 2, 11, ADMIN, asked, null).timeoutMillis()).isEqualTo(60_000L);
    }

    @Test
    void anIdleSessionExpiresAfterItsTimeoutAndIsRemoved() {
        SessionTable table = table(10);
        Session s = open(table, 60);

        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(table.live(s.id())).isSameAs(s);
        clock.advance(Duration.ofMillis(1));

        assertThat(table.live(s.id())).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void useRestartsTheIdleTimeout() {
        SessionTable table = table(10);
        Session s = open(table, 60);

        clock.advance(Duration.ofSeconds(50));
        table.touch(table.live(s.id()));
        clock.advance(Duration.ofSeconds(59));
        assertThat(table.live(s.id())).isSameAs(s);
        clock.advance(Duration.ofSeconds(1));

        assertThat(table.live(s.id())).isNull();
    }

    @Test
    void aSessionInUseStillEndsAtTheMaximumLifetime() {
        SessionTable table = table(10);
        Session s = open(table, 60);

        for (int i = 0; i < 11; i++) { // touched every 50 s: never idle for its 60 s timeout
            clock.advance(Duration.ofSeconds(50));
            table.touch(table.live(s.id()));
        }
        clock.advance(MAX.minusSeconds(550).minusMillis(1));
        assertThat(table.live(s.id())).isSameAs(s);
        clock.advance(Duration.ofMillis(1));

        assertThat(table.live(s.id())).isNull();
    }

    @Test
    void aTableFullOfAuthenticatedSessionsOpensNoMore() {
        SessionTable table = table(2);
        openAuthenticated(table, 60);
        openAuthenticated(table, 60);

        assertThat(open(table, 60)).isNull();
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.refusedFull()).isEqualTo(1);
    }

    @Test
    void aFullTableDropsTheLeastRecentlyUsedUnauthenticatedSessionToMakeRoom() {
        SessionTable table = table(3);
        Session idle = open(table, 60);
        Session admin = openAuthenticated(table, 60);
        Session used = open(table, 60);
        clock.advance(Duration.ofSeconds(5));
        table.touch(used);
        table.touch(admin);

        Session fourth = open(table, 60);

        assertThat(fourth).isNotNull();
        assertThat(table.live(idle.id())).isNull();
        assertThat(table.live(used.id())).isSameAs(used);
        assertThat(table.live(admin.id())).isSameAs(admin);
        assertThat(table.evicted()).isEqualTo(1);
        assertThat(table.refusedFull()).isZero();
    }

    @Test
    void oneSourceCannotHoldMoreThanItsQuotaWhileOthersStillOpenSessions() {
        SessionTable table = table(10, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(open(table, 60, OTHER)).isNotNull();
        }

        assertThat(open(table, 60, OTHER)).isNull();
        assertThat(open(table, 60, OTHER)).isNull();

        assertThat(table.held(OTHER)).isEqualTo(3);
        assertThat(table.refusedPerSource()).isEqualTo(2);
        assertThat(open(table, 60, CLIENT)).isNotNull();
        assertThat(table.size()).isEqualTo(4);
    }

    @Test
    void aSourceGetsItsQuotaBackAsItsSessionsEnd() {
        SessionTable table = table(10, 2);
        Session closed = open(table, 60, OTHER);
        Session expiring = open(table, 10, OTHER);
        assertThat(open(table, 60, OTHER)).isNull();

        assertThat(table.close(closed.id())).isTrue();
        Session reopened = open(table, 60, OTHER);
        assertThat(reopened).isNotNull();
        clock.advance(Duration.ofSeconds(10)); // the expired session is swept when the quota is reached

        assertThat(open(table, 60, OTHER)).isNotNull();
        assertThat(table.live(expiring.id())).isNull();
        assertThat(table.held(OTHER)).isEqualTo(2);
    }

    @Test
    void aSessionDroppedToMakeRoomGivesBackItsSourcesQuota() {
        SessionTable table = table(1, 1);
        Session first = open(table, 60, OTHER);

        Session second = open(table, 60, CLIENT);

        assertThat(second).isNotNull();
        assertThat(table.live(first.id())).isNull();
        assertThat(table.held(OTHER)).isZero();
        assertThat(table.held(CLIENT)).isEqualTo(1);
    }

    @Test
    void aFullTableSweepsExpiredSessionsToMakeRoom() {
        SessionTable table = table(2);
        Session shortLived = openAuthenticated(table, 10);
        Session longLived = openAuthenticated(table, 60);
        clock.advance(Duration.ofSeconds(10));

        Session third = open(table, 60);

        assertThat(third).isNotNull();
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.live(shortLived.id())).isNull();
        assertThat(table.live(longLived.id())).isSameAs(longLived);
        assertThat(table.live(third.id())).isSameAs(third);
    }

    @Test
    void closingEndsASessionOnceAndFreesItsPlace() {
        SessionTable table = table(1);
        Session s = openAuthenticated(table, 60);

        assertThat(table.close(s.id())).isTrue();
        assertThat(table.close(s.id())).isFalse();
        assertThat(table.live(s.id())).isNull();
        assertThat(open(table, 60)).isNotNull();
    }

    @Test
    void idsAreRandomPositiveAndDistinct() {
        SessionTable table = table(1_000);
        Set<Integer> ids = new HashSet<>();

        for (int i = 0; i < 1_000; i++) {
            ids.add(open(table, 60).id());
        }

        assertThat(ids).hasSize(1_000).allSatisfy(id -> assertThat(id).isPositive());
    }

    @Test
    void anIdAlreadyInUseIsDrawnAgain() {
        Queue<Integer> draws = new ArrayDeque<>(List.of(41, 41, Integer.MAX_VALUE - 2, 0));
        SecureRandom scripted = new SecureRandom() {
            @Override
            public int nextInt(int bound) {
                assertThat(bound).isEqualTo(Integer.MAX_VALUE - 1);
                return draws.remove();
            }
        };
        SessionTable table = new SessionTable(new SessionSettings(10, 10, MAX), clock, scripted);

        assertThat(open(table, 60).id()).isEqualTo(42);
        assertThat(open(table, 60).id()).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(open(table, 60).id()).isEqualTo(1);
        assertThat(draws).isEmpty();
    }
}
