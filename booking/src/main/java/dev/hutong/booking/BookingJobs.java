package dev.hutong.booking;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The booking engine's background work: settling holds past their expiry with their trades,
 * retrying owed refunds, finishing deposits a crash left in flight and ending expired escrow.
 * {@link #start} runs one full pass synchronously (recovery, before any traffic), then repeats.
 */
public final class BookingJobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BookingJobs.class);
  /** Reservations one pass looks at, per kind of work. */
  static final int BATCH_MAX = 200;
  /** Passes at start: each takes a batch; a long outage leaves at most this many batches. */
  static final int START_PASSES_MAX = 1_000;

  private final Reservations reservations;
  private final Escrow escrow;
  private final Sessions sessions;
  private final Duration interval;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().name("booking-jobs").daemon(true).unstarted(r));

  public BookingJobs(Reservations reservations, Escrow escrow, Sessions sessions,
      Duration interval) {
    this.reservations = reservations;
    this.escrow = escrow;
    this.sessions = sessions;
    this.interval = interval;
  }

  /** Recovers synchronously, then schedules the sweeper. */
  public void start() {
    for (int pass = 0; pass < START_PASSES_MAX; pass++) {
      if (reservations.sweep(BATCH_MAX, true) + escrow.sweep(BATCH_MAX, true) == 0) {
        break;
      }
    }
    timer.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** One pass; never throws (a failure is logged and the next pass tries again). */
  public void runOnce() {
    try {
      reservations.sweep(BATCH_MAX, false);
      escrow.sweep(BATCH_MAX, false);
      sessions.deleteExpired(BATCH_MAX);
    } catch (RuntimeException e) {
      log.warn("booking sweep failed; retrying in {} ms: {}", interval.toMillis(), e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
