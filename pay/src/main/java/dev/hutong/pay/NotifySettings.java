package dev.hutong.pay;

import java.time.Duration;
import java.util.List;

/**
 * The dispatcher's settings.
 *
 * @param scheduleScale multiplies Alipay's retry intervals (1.0 in production; e.g. 1/3600 in
 *     tests, turning 4m into 67 ms)
 * @param batchMax notifications claimed per pass
 * @param sendConcurrencyMax notifications sent at once (each on a virtual thread)
 * @param leaseSeconds how long a claimed notification is kept from other dispatchers; a send must
 *     finish well within it
 * @param pollIntervalMillis how often the dispatcher looks for due rows when nobody woke it
 */
public record NotifySettings(double scheduleScale, int batchMax, int sendConcurrencyMax,
    int leaseSeconds, long pollIntervalMillis) {
  /** Alipay's intervals between deliveries: 4m, 10m, 10m, 1h, 2h, 6h, 15h (8 deliveries in ~25 h). */
  public static final List<Duration> ALIPAY_INTERVALS = List.of(Duration.ofMinutes(4),
      Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(2),
      Duration.ofHours(6), Duration.ofHours(15));

  public NotifySettings {
    if (!(scheduleScale > 0 && scheduleScale <= 1) || batchMax < 1 || batchMax > 1000
        || sendConcurrencyMax < 1 || sendConcurrencyMax > 1000 || leaseSeconds < 2
        || leaseSeconds > 3600 || pollIntervalMillis < 10 || pollIntervalMillis > 60_000) {
      throw new IllegalArgumentException("notify setting out of range");
    }
  }

  public static NotifySettings defaults() {
    return new NotifySettings(1.0, 64, 32, 60, 500);
  }

  public NotifySettings withScheduleScale(double scale) {
    return new NotifySettings(scale, batchMax, sendConcurrencyMax, leaseSeconds, pollIntervalMillis);
  }

  /** Deliveries in all: the first one plus one per interval. */
  public int attemptsMax() {
    return ALIPAY_INTERVALS.size() + 1;
  }

  /** How long after delivery number {@code attemptsMade} (1-based) the next one is due; null when none is left. */
  public Duration delayAfter(int attemptsMade) {
    if (attemptsMade < 1 || attemptsMade >= attemptsMax()) {
      return null;
    }
    long nanos = Math.round(ALIPAY_INTERVALS.get(attemptsMade - 1).toNanos() * scheduleScale);
    return Duration.ofNanos(Math.max(1_000_000, nanos));
  }
}
