package io.idnode.crypto.auth;

import static io.idnode.crypto.CryptoFixtures.PROVIDERS;
import static io.idnode.crypto.CryptoFixtures.credential;
import static io.idnode.crypto.CryptoFixtures.envelope;
import static io.idnode.crypto.CryptoFixtures.flipBit;
import static io.idnode.crypto.CryptoFixtures.headerAndBody;
import static io.idnode.crypto.CryptoFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idnode.protocol.Bytes;
import io.idnode.protocol.Credential;
import io.idnode.protocol.Envelope;
import io.idnode.testing.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session's keyed HMAC engine (handle-protocol.md §2.3): the same MACs as the generic path, at every
 * version from 2.7, the golden session MAC vectors, constant failures on any change, and engines shared safely
 * between threads.
 */
class SessionMacKeyTest {
    private static byte[] vectorKey() {
        return hex(Vectors.vector("session_key_derivation_dh_aes"), "session_key_hex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"session_request_mac", "session_response_mac"})
    void goldenVectorsVerifyInPlace(String name) {
        JsonNode v = Vectors.vector(name);
        Credential c = credential(v);
        Envelope e = envelope(v);
        byte[] hb = headerAndBody(v);
        SessionMacKey key = new SessionMacKey(PROVIDERS.jdk(), vectorKey());

        assertThat(key.verify(e.majorVersion(), e.minorVersion(), e.suggestedMajor(), e.suggestedMinor(),
                e.sessionId(), e.requestId(), c.sessionCounter(), Bytes.wrap(hb), c.signature())).isTrue();
        assertThat(key.compute(e.majorVersion(), e.minorVersion(), e.suggestedMajor(), e.suggestedMinor(),
                e.sessionId(), e.requestId(), c.sessionCounter(), hb, 0, hb.length))
                .isEqualTo(c.signature().toByteArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 8, 10, 11})
    void sameMacAsTheGenericPathAtEveryVersionFrom27(int minor) throws Exception {
        byte[] sessionKey = new byte[32];
        new SplittableRandom(minor).nextBytes(sessionKey);
        byte[] hb = new byte[120];
        new SplittableRandom(99).nextBytes(hb);
        byte[] framed = new byte[hb.length + 10];
        System.arraycopy(hb, 0, framed, 7, hb.length);
        SessionMacKey key = new SessionMacKey(PROVIDERS.jdk(), sessionKey);

        byte[] expected = SessionMacs.compute(PROVIDERS.jdk(), SessionMacs.HMAC_SHA256, sessionKey, 2, minor, 2, 11,
                5, 12345, 3, hb);
        byte[] mac = key.compute(2, minor, 2, 11, 5, 12345, 3, framed, 7, hb.length);
        assertThat(mac).isEqualTo(expected).hasSize(SessionMacKey.LENGTH);
        assertThat(key.verify(2, minor, 2, 11, 5, 12345, 3, Bytes.wrap(framed, 7, hb.length), Bytes.wrap(mac)))
                .isTrue();
    }

    @Test
    void anyChangeFailsTheMac() {
        byte[] sessionKey = new byte[32];
        new SplittableRandom(1).nextBytes(sessionKey);
        byte[] hb = new byte[80];
        new SplittableRandom(2).nextBytes(hb);
        SessionMacKey key = new SessionMacKey(PROVIDERS.jdk(), sessionKey);
        byte[] mac = key.compute(2, 11, 2, 11, 9, 77, 4, hb, 0, hb.length);
        Bytes body = Bytes.wrap(hb);

        assertThat(key.verify(2, 11, 2, 11, 9, 77, 4, body, Bytes.wrap(mac))).isTrue();
        assertThat(key.verify(2, 11, 2, 11, 9, 77, 4, Bytes.wrap(flipBit(hb, 40)), Bytes.wrap(mac))).isFalse();
        assertThat(key.verify(2, 11, 2, 11, 9, 77, 4, body, Bytes.wrap(flipBit(mac, 31)))).isFalse();
        assertThat(key.verify(2, 11, 2, 11, 9, 77, 5, body, Bytes.wrap(mac))).as("counter").isFalse();
        assertThat(key.verify(2, 11, 2, 11, 9, 78, 4, body, Bytes.wrap(mac))).as("request id").isFalse();
        assertThat(key.verify(2, 11, 2, 11, 10, 77, 4, body, Bytes.wrap(mac))).as("session id").isFalse();
        assertThat(key.verify(2, 11, 2, 10, 9, 77, 4, body, Bytes.wrap(mac))).as("suggested version").isFalse();
        assertThat(key.verify(2, 11, 2, 11, 9, 77, 4, body, Bytes.wrap(Arrays.copyOf(mac, 31)))).as("short")
                .isFalse();
        assertThat(key.verify(2, 11, 2, 11, 9, 77, 4, body, Bytes.EMPTY)).as("empty").isFalse();
        assertThat(new SessionMacKey(PROVIDERS.jdk(), flipBit(sessionKey, 3)).verify(2, 11, 2, 11, 9, 77, 4, body,
                Bytes.wrap(mac))).as("other key").isFalse();
    }

    @Test
    void olderVersionsAndOtherHashIdsAreLeftToTheGenericPath() {
        assertThat(SessionMacKey.covers(2, 6, null)).isFalse();
        assertThat(SessionMacKey.covers(2, 7, null)).isTrue();
        assertThat(SessionMacKey.covers(2, 11, "HMAC-SHA256")).isTrue();
        assertThat(SessionMacKey.covers(2, 11, "HMAC-SHA1")).isFalse();
        assertThat(SessionMacKey.covers(2, 11, "SHA1")).isFalse();
        SessionMacKey key = new SessionMacKey(PROVIDERS.jdk(), new byte[32]);
        assertThatThrownBy(() -> key.compute(2, 6, 0, 0, 1, 1, 1, new byte[24], 0, 24))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2.7");
        assertThatThrownBy(() -> new SessionMacKey(PROVIDERS.jdk(), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsSharingOneSessionGetCorrectMacs() throws Exception {
        byte[] sessionKey = new byte[32];
        new SplittableRandom(5).nextBytes(sessionKey);
        SessionMacKey key = new SessionMacKey(PROVIDERS.jdk(), sessionKey);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int wrong = 0;
                    for (int i = 0; i < 2_000; i++) {
                        byte[] hb = new byte[24 + r.nextInt(200)];
                        r.nextBytes(hb);
                        byte[] expected = SessionMacs.compute(PROVIDERS.jdk(), SessionMacs.HMAC_SHA256, sessionKey,
                                2, 11, 2, 11, 1, i, seed, hb);
                        if (!Arrays.equals(expected, key.compute(2, 11, 2, 11, 1, i, seed, hb, 0, hb.length))
                                || !key.verify(2, 11, 2, 11, 1, i, seed, Bytes.wrap(hb), Bytes.wrap(expected))) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
