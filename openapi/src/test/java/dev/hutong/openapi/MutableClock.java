package dev.hutong.openapi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset tests move by hand. It follows real time because the SDK stamps
 * requests with the real time and the gateway refuses a timestamp more than 15 minutes off; tests
 * therefore move it by less than that, and back with {@link #reset()}.
 */
final class MutableClock extends Clock {
  private final AtomicReference<Duration> offset;
  private final ZoneId zone;

  MutableClock() {
    this(new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
  }

  private MutableClock(AtomicReference<Duration> offset, ZoneId zone) {
    this.offset = offset;
    this.zone = zone;
  }

  void advance(Duration d) {
    offset.updateAndGet(o -> o.plus(d));
  }

  void reset() {
    offset.set(Duration.ZERO);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same moving time in another zone (the gateway reads the clock in GMT+8). */
  @Override
  public Clock withZone(ZoneId other) {
    return new MutableClock(offset, other);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }
}
