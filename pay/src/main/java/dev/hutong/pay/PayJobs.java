package dev.hutong.pay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pay module's background work on one daemon thread: at start, recovery of everything left
 * unsettled (zero grace); then every {@code interval}, a recovery pass (with the settings' grace)
 * and a sweep. The notification dispatcher runs on its own thread.
 */
public final class PayJobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PayJobs.class);
  private static final int START_RECOVERY_PASSES_MAX = 1000;

  private final TradeRecovery recovery;
  private final TradeSweeper sweeper;
  private final Duration grace;
  private final Duration interval;
  private volatile boolean running;
  private Thread thread;

  public PayJobs(TradeRecovery recovery, TradeSweeper sweeper, PaySettings settings,
      Duration interval) {
    this.recovery = recovery;
    this.sweeper = sweeper;
    this.grace = settings.recoveryGrace();
    this.interval = interval;
  }

  /** Recovers synchronously (call before taking traffic), then starts the periodic thread. */
  public synchronized void start() {
    int settled = recovery.runUntilSettled(Duration.ZERO, START_RECOVERY_PASSES_MAX);
    if (settled > 0) {
      log.info("recovery at start settled {} payments and refunds", settled);
    }
    running = true;
    thread = new Thread(this::loop, "pay-jobs");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(interval.toMillis());
        recovery.runOnce(grace);
        sweeper.runOnce();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("pay background pass failed; next one in {}", interval, e);
      }
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }
}
