package dev.hutong.pay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automatic T+1 sweep: every {@code interval} (an hour in the server) it runs
 * {@link Settlement#sweepDue}, which pays each merchant yesterday's net once (idempotent by the
 * sweep's request id), so it does not matter when after midnight GMT+8 it first runs, nor how
 * often, nor how many processes run it.
 */
public final class SettlementJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SettlementJob.class);

  private final Settlement settlement;
  private final Duration interval;
  private volatile boolean running;
  private Thread thread;

  public SettlementJob(Settlement settlement, Duration interval) {
    this.settlement = settlement;
    this.interval = interval;
  }

  public synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "settlement-sweep");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        SweepReport r = settlement.sweepDue();
        if (r.paidOut() > 0 || r.failed() > 0) {
          log.info("settlement sweep of {}: {} merchants paid {} (fen), {} failed", r.businessDay(),
              r.paidOut(), r.totalFen(), r.failed());
        }
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("settlement sweep failed; next one in {}", interval, e);
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
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
