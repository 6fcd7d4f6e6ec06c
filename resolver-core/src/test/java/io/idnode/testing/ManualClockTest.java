package io.idnode.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void standsStillUntilAdvanced() {
        ManualClock clock = new ManualClock(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
        assertThat(clock.read()).isEqualTo(ManualClock.NANO_ORIGIN);
        assertThat(clock.getAsLong()).isEqualTo(ManualClock.NANO_ORIGIN);
    }

    @Test
    void advanceMovesWallTimeAndNanosecondsTogether() {
        ManualClock clock = new ManualClock(START.toEpochMilli());

        clock.advance(Duration.ofSeconds(5).plusNanos(1_500_000));

        assertThat(clock.instant()).isEqualTo(START.plusSeconds(5).plusNanos(1_500_000));
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli() + 5_001);
        assertThat(clock.read()).isEqualTo(ManualClock.NANO_ORIGIN + 5_001_500_000L);
        assertThat(clock.getAsLong()).isEqualTo(clock.read());
    }

    @Test
    void refusesToGoBack() {
        ManualClock clock = new ManualClock(START);

        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.instant()).isEqualTo(START);
    }
}
