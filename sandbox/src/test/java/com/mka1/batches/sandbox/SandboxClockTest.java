package com.mka1.batches.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SandboxClockTest {
    @Test
    void fixedClockStandsStillUntilAdvanced() {
        SandboxClock clock = SandboxClock.fixed(Fixtures.T0);
        assertThat(clock.instant()).isEqualTo(Fixtures.T0);
        clock.advance(Duration.ofMinutes(5));
        assertThat(clock.instant()).isEqualTo(Fixtures.T0.plusSeconds(300));
    }

    @Test
    void withZoneSharesTheOffset() {
        SandboxClock clock = SandboxClock.fixed(Fixtures.T0);
        SandboxClock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofHours(1));
        assertThat(paris.instant()).isEqualTo(clock.instant());
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void systemClockCanBeAdvancedToo() {
        SandboxClock clock = SandboxClock.system();
        clock.advance(Duration.ofDays(2));
        assertThat(clock.instant()).isAfter(java.time.Instant.now().plus(Duration.ofDays(1)));
    }

    @Test
    void negativeAdvanceIsRejected() {
        assertThatThrownBy(() -> SandboxClock.fixed(Fixtures.T0).advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
