package dev.hutong.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A clock tests move by hand: a fixed start ({@link #MutableClock(Instant)}) or the system time
 * ({@link #followingSystemTime()}), plus an offset that {@link #advance} moves and {@link #reset}
 * takes back. Clocks made by {@link #withZone} share the offset, so code that reads the time in
 * another zone (the gateway reads it in GMT+8) moves with the test.
 *
 * <p>Lives in main code next to {@link TestDatabases}, so every module's tests share one copy
 * without a test jar.
 */
public final class MutableClock extends Clock {
  private final Supplier<Instant> base;
  private final AtomicReference<Duration> offset;
  private final ZoneId zone;

  /** Stands at {@code start} (UTC) until the test moves it. */
  public MutableClock(Instant start) {
    this(() -> start, new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
  }

  private MutableClock(Supplier<Instant> base, AtomicReference<Duration> offset, ZoneId zone) {
    this.base = base;
    this.offset = offset;
    this.zone = zone;
  }

  /**
   * Follows real time, for code that checks the time against something stamped with the real
   * time (the SDK stamps requests; the gateway refuses a timestamp more than 15 minutes off).
   */
  public static MutableClock followingSystemTime() {
    return new MutableClock(Instant::now, new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
  }

  public void advance(Duration d) {
    offset.updateAndGet(o -> o.plus(d));
  }

  /** Back to the start (or to the system time), undoing every {@link #advance}. */
  public void reset() {
    offset.set(Duration.ZERO);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId other) {
    return new MutableClock(base, offset, other);
  }

  @Override
  public Instant instant() {
    return base.get().plus(offset.get());
  }
}
