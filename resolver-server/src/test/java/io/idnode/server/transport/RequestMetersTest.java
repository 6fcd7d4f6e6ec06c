package io.idnode.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.protocol.OpCode;
import io.idnode.protocol.ResponseCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The request meters: one counter per operation, transport and code, named by the codes' names; others as OTHER. */
class RequestMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMeters meters = RequestMeters.of(registry);

    @Test
    void countsByOperationTransportAndCode() {
        meters.count(OpCode.RESOLUTION, RequestMeters.Transport.UDP, ResponseCode.SUCCESS);
        meters.count(OpCode.RESOLUTION, RequestMeters.Transport.UDP, ResponseCode.SUCCESS);
        meters.count(OpCode.RESOLUTION, RequestMeters.Transport.TCP, ResponseCode.SUCCESS);
        meters.count(OpCode.LOGIN, RequestMeters.Transport.HTTP, ResponseCode.HANDLE_NOT_FOUND);
        assertThat(count("RESOLUTION", "udp", "SUCCESS")).isEqualTo(2);
        assertThat(count("RESOLUTION", "tcp", "SUCCESS")).isEqualTo(1);
        assertThat(count("LOGIN", "http", "HANDLE_NOT_FOUND")).isEqualTo(1);
        assertThat(registry.find(RequestMeters.REQUESTS).counters()).hasSize(3);
    }

    @Test
    void unknownAndEncryptedOperationsAndCodesAreOther() {
        meters.count(OpCode.valueOf(77), RequestMeters.Transport.UDP, ResponseCode.valueOf(999));
        meters.count(null, RequestMeters.Transport.TCP, ResponseCode.valueOf(70_000));
        meters.count(OpCode.valueOf(5000), RequestMeters.Transport.UDP, ResponseCode.ERROR);
        assertThat(count(RequestMeters.OTHER, "udp", RequestMeters.OTHER)).isEqualTo(1);
        assertThat(count(RequestMeters.OTHER, "tcp", RequestMeters.OTHER)).isEqualTo(1);
        assertThat(count(RequestMeters.OTHER, "udp", "ERROR")).isEqualTo(1);
    }

    @Test
    void timesByOperationAndTransport() {
        meters.time(OpCode.RESOLUTION, RequestMeters.Transport.UDP, 30_000);
        meters.time(OpCode.RESOLUTION, RequestMeters.Transport.UDP, 2_000_000);
        Timer t = registry.get(RequestMeters.LATENCY).tag("op", "RESOLUTION").tag("transport", "udp").timer();
        assertThat(t.count()).isEqualTo(2);
        assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(2_030_000);
    }

    @Test
    void timesOneRequestInTheSampleOnEachThread() {
        int timed = 0;
        for (int i = 0; i < 4 * RequestMeters.SAMPLE; i++) {
            long start = meters.sampleStart();
            if (start != RequestMeters.NOT_TIMED) {
                timed++;
            }
            meters.timeSince(OpCode.RESOLUTION, RequestMeters.Transport.TCP, start);
        }
        assertThat(timed).isEqualTo(4);
        assertThat(registry.get(RequestMeters.LATENCY).tag("transport", "tcp").timer().count()).isEqualTo(4);
        assertThat(RequestMeters.NONE.sampleStart()).isEqualTo(RequestMeters.NOT_TIMED);
    }

    @Test
    void noneCountsNothing() {
        RequestMeters.NONE.count(OpCode.RESOLUTION, RequestMeters.Transport.UDP, ResponseCode.SUCCESS);
        RequestMeters.NONE.time(OpCode.RESOLUTION, RequestMeters.Transport.UDP, 1);
        assertThat(registry.getMeters()).isEmpty();
    }

    private double count(String op, String transport, String code) {
        Counter c = registry.find(RequestMeters.REQUESTS).tag("op", op).tag("transport", transport).tag("code", code)
                .counter();
        return c == null ? 0 : c.count();
    }
}
