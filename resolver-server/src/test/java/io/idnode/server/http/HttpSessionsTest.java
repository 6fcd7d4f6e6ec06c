package io.idnode.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.ValueReference;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The HTTP session table's bounds: count, per address, idle timeout, lifetime; who makes room when it is full. */
class HttpSessionsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final HttpSessions sessions = new HttpSessions(3, 2, Duration.ofSeconds(60), Duration.ofHours(1),
            now::get, new SecureRandom());

    private static InetAddress address(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void aSessionHasARandomIdAndNonceAndIsFoundUntilIdleTooLong() throws Exception {
        HttpSessions.Session a = sessions.create(address(1));
        HttpSessions.Session b = sessions.create(address(2));
        assertThat(a.id()).isNotEqualTo(b.id()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(a.nonce()).hasSize(HttpSessions.NONCE_BYTES).isNotEqualTo(b.nonce());
        now.addAndGet(59_000);
        assertThat(sessions.find(a.id())).isSameAs(a); // use keeps it alive
        now.addAndGet(59_000);
        assertThat(sessions.find(a.id())).isSameAs(a);
        assertThat(sessions.find(b.id())).isNull(); // 118 s without use
        now.addAndGet(60_000);
        assertThat(sessions.find(a.id())).isNull();
        assertThat(sessions.find("no-such-session")).isNull();
        assertThat(sessions.find(null)).isNull();
    }

    @Test
    void aSessionEndsAfterItsLifetimeHoweverOftenItIsUsed() throws Exception {
        HttpSessions.Session a = sessions.create(address(1));
        for (int i = 0; i < 62; i++) { // 62 × 59 s: past the hour
            now.addAndGet(59_000);
            sessions.find(a.id());
        }
        assertThat(sessions.find(a.id())).isNull();
    }

    @Test
    void whenFullAnAnonymousSessionMakesRoomButAnAuthenticatedOneNever() throws Exception {
        HttpSessions.Session a = sessions.create(address(1));
        a.authenticated(new ValueReference("88.100.1/A", 300));
        now.addAndGet(1);
        HttpSessions.Session b = sessions.create(address(2));
        b.authenticated(new ValueReference("88.100.1/B", 300));
        now.addAndGet(1);
        HttpSessions.Session c = sessions.create(address(3));
        now.addAndGet(1);
        HttpSessions.Session d = sessions.create(address(4));
        assertThat(d).isNotNull();
        assertThat(sessions.find(c.id())).isNull(); // the anonymous one made room
        d.authenticated(new ValueReference("88.100.1/D", 300));
        assertThat(sessions.create(address(5))).isNull(); // all authenticated: no room
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.end(a.id())).isTrue();
        assertThat(sessions.end(a.id())).isFalse();
        assertThat(sessions.create(address(5))).isNotNull();
    }

    @Test
    void oneAddressHoldsAtMostItsShare() throws Exception {
        HttpSessions.Session a = sessions.create(address(1));
        a.authenticated(new ValueReference("88.100.1/A", 300));
        HttpSessions.Session b = sessions.create(address(1));
        b.authenticated(new ValueReference("88.100.1/B", 300));
        assertThat(sessions.create(address(1))).isNull();
        assertThat(sessions.create(address(2))).isNotNull();
        now.addAndGet(60_000); // both of address 1 idle out: its share is free again
        assertThat(sessions.create(address(1))).isNotNull();
    }
}
