package dev.hutong.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  static final Instant START = Instant.parse("2026-03-01T02:00:00Z");

  @Test
  void standsStillUntilMovedAndResetGoesBackToTheStart() {
    MutableClock clock = new MutableClock(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    clock.advance(Duration.ofMinutes(5));
    clock.advance(Duration.ofSeconds(1));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(301));
    clock.reset();
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void aZonedCopyMovesWithTheOriginal() {
    MutableClock clock = new MutableClock(START);
    Clock gmt8 = clock.withZone(ZoneId.of("GMT+8"));
    assertThat(gmt8.getZone()).isEqualTo(ZoneId.of("GMT+8"));
    clock.advance(Duration.ofHours(1));
    assertThat(gmt8.instant()).isEqualTo(START.plusSeconds(3600));
  }

  @Test
  void followingSystemTimeAddsTheOffsetToTheRealTime() {
    MutableClock clock = MutableClock.followingSystemTime();
    clock.advance(Duration.ofDays(1));
    Instant before = Instant.now().plus(Duration.ofDays(1));
    Instant read = clock.instant();
    Instant after = Instant.now().plus(Duration.ofDays(1));
    assertThat(read).isBetween(before, after);
    clock.reset();
    assertThat(clock.instant()).isBefore(before);
  }
}
