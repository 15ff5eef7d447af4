package dev.hutong.pay;

import dev.hutong.identity.Tx;
import dev.hutong.ledger.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: claims due notifications, sends each through the
 * {@link NotificationTransport}, and records the attempt. Delivered only when the body is exactly
 * {@code success}; otherwise the next attempt follows Alipay's schedule (see
 * {@link NotifySettings#ALIPAY_INTERVALS}), and after the eighth the notification is given up.
 *
 * <p>Claiming is one statement — {@code UPDATE … SET lease_until, lease_token WHERE id IN (SELECT
 * … FOR UPDATE SKIP LOCKED) RETURNING …} — so any number of dispatchers (threads or processes) can
 * run: each row is leased to one of them at a time, and the attempt's outcome is only recorded
 * under the lease token it was claimed with. Everything lives in the database, so a restart picks
 * up exactly where it stopped (a lease left by a dead process simply runs out).
 *
 * <p>Latency: {@link #wake()} (called after every commit that added a notification) makes the
 * loop pass at once; otherwise it polls every {@link NotifySettings#pollIntervalMillis()}.
 */
public final class NotificationDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
  private static final int EXCERPT_CHARS_MAX = 256;
  public static final String SUCCESS_BODY = "success";

  private final Jdbi jdbi;
  private final NotificationTransport transport;
  private final NotifySettings settings;
  private final Clock clock;
  /** Wake-ups: one pending signal is enough, so the queue holds at most one. */
  private final BlockingQueue<Boolean> signal = new ArrayBlockingQueue<>(1);
  private final Semaphore sending;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean running;
  private Thread loop;

  public NotificationDispatcher(Jdbi jdbi, NotificationTransport transport,
      NotifySettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.transport = transport;
    this.settings = settings;
    this.clock = clock;
    this.sending = new Semaphore(settings.sendConcurrencyMax());
  }

  /** Starts the delivery loop on its own thread. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    running = true;
    loop = new Thread(this::runLoop, "notification-dispatcher");
    loop.setDaemon(true);
    loop.start();
  }

  /** Asks the loop to pass now (cheap; safe from any thread, any number of times). */
  public void wake() {
    signal.offer(Boolean.TRUE);
  }

  @Override
  public synchronized void close() {
    running = false;
    wake();
    if (loop != null) {
      try {
        loop.join(TimeUnit.SECONDS.toMillis(settings.leaseSeconds()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loop = null;
    }
    senders.shutdown();
  }

  private void runLoop() {
    while (running) {
      int handled = 0;
      try {
        handled = runOnce();
      } catch (RuntimeException e) {
        log.warn("notification pass failed; retrying after the poll interval", e);
      }
      if (handled < settings.batchMax()) {
        try {
          signal.poll(settings.pollIntervalMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private record Claimed(UUID id, String notifyId, String appId, String tradeNo, String url,
      String fields, int attempts, UUID token) {}

  /**
   * One pass: claims up to batchMax due notifications, sends them (at most sendConcurrencyMax at
   * once) and records each outcome. Returns how many were claimed. Tests call it directly.
   */
  public int runOnce() {
    Instant now = clock.instant();
    UUID token = Ids.next();
    Instant leaseUntil = now.plusSeconds(settings.leaseSeconds());
    List<Claimed> claimed = Tx.run(jdbi, h -> h.createQuery("""
            UPDATE pay_notification SET lease_until = :lease, lease_token = :token
             WHERE id IN (SELECT id FROM pay_notification
                           WHERE delivered_at IS NULL AND gave_up_at IS NULL
                             AND next_attempt_at <= :now
                             AND (lease_until IS NULL OR lease_until <= :now)
                           ORDER BY next_attempt_at LIMIT :n FOR UPDATE SKIP LOCKED)
               AND delivered_at IS NULL AND gave_up_at IS NULL
               AND (lease_until IS NULL OR lease_until <= :now)
            RETURNING id, notify_id, app_id, trade_no, notify_url, fields, attempts""")
        .bind("lease", Tx.at(leaseUntil)).bind("token", Tx.uuid(token)).bind("now", Tx.at(now))
        .bind("n", settings.batchMax())
        .map((rs, ctx) -> new Claimed(Tx.uuid(rs, "id"), rs.getString("notify_id"),
            rs.getString("app_id"), rs.getString("trade_no"), rs.getString("notify_url"),
            rs.getString("fields"), rs.getInt("attempts"), token))
        .list());
    if (claimed.isEmpty()) {
      return 0;
    }
    List<Future<?>> futures = new ArrayList<>(claimed.size());
    for (Claimed c : claimed) {
      try {
        sending.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break; // the unsent rows' leases run out and another pass takes them
      }
      futures.add(senders.submit(() -> {
        try {
          deliver(c);
        } finally {
          sending.release();
        }
      }));
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (Exception e) {
        log.warn("notification send task failed", e);
      }
    }
    return claimed.size();
  }

  private void deliver(Claimed c) {
    int attempt = c.attempts() + 1;
    Instant sentAt = clock.instant();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("notify_time", AlipayTimes.format(sentAt));
    fields.putAll(FormCodec.decode(c.fields()));
    OutboundNotification n = new OutboundNotification(c.id(), c.notifyId(), c.appId(), c.tradeNo(),
        c.url(), attempt, Collections.unmodifiableMap(fields));
    String outcome;
    String excerpt;
    try {
      String body = transport.send(n);
      excerpt = body;
      outcome = SUCCESS_BODY.equals(body) ? "DELIVERED" : "REJECTED";
    } catch (Exception e) {
      outcome = "FAILED";
      excerpt = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (Throwable t) { // never leave a lease hanging silently
      outcome = "FAILED";
      excerpt = t.toString();
    }
    record(c, attempt, outcome, excerpt);
  }

  private void record(Claimed c, int attempt, String outcome, String excerpt) {
    Instant now = clock.instant();
    boolean delivered = outcome.equals("DELIVERED");
    Duration delay = delivered ? null : settings.delayAfter(attempt);
    Instant next = delay == null ? now : now.plus(delay);
    boolean gaveUp = !delivered && delay == null;
    String cut = excerpt == null ? null
        : excerpt.length() > EXCERPT_CHARS_MAX ? excerpt.substring(0, EXCERPT_CHARS_MAX) : excerpt;
    String attemptOutcome = outcome;
    int updated = Tx.run(jdbi, h -> {
      h.createUpdate("INSERT INTO pay_notification_attempt (id, notification_id, attempt,"
              + " attempted_at, outcome, excerpt) VALUES (:id, :n, :attempt, :at, :outcome, :excerpt)")
          .bind("id", Tx.uuid(Ids.next())).bind("n", Tx.uuid(c.id())).bind("attempt", attempt)
          .bind("at", Tx.at(now)).bind("outcome", attemptOutcome).bind("excerpt", cut).execute();
      return h.createUpdate("UPDATE pay_notification SET attempts = :attempt, lease_until = NULL,"
              + " lease_token = NULL, delivered_at = :delivered, gave_up_at = :gaveUp,"
              + " next_attempt_at = :next WHERE id = :id AND lease_token = :token")
          .bind("attempt", attempt).bind("delivered", Tx.at(delivered ? now : null))
          .bind("gaveUp", Tx.at(gaveUp ? now : null)).bind("next", Tx.at(next))
          .bind("id", Tx.uuid(c.id())).bind("token", Tx.uuid(c.token())).execute();
    });
    if (updated == 0) {
      log.warn("notification {} outlived its lease during attempt {}: the attempt is recorded, the"
          + " schedule is left to the dispatcher that holds it now", c.notifyId(), attempt);
    } else if (gaveUp) {
      log.warn("notification {} of trade {} given up after {} attempts", c.notifyId(),
          c.tradeNo(), attempt);
    }
  }
}
