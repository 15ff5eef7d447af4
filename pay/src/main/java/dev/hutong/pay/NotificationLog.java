package dev.hutong.pay;

import dev.hutong.identity.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The notification delivery log an app's owner sees: each notification of its app with its
 * attempts, and a retry that makes a pending or given-up notification due now (the dispatcher
 * sends it with the same notify_id, so a merchant that already processed it can tell).
 */
public final class NotificationLog {
  private final Jdbi jdbi;
  private final Clock clock;
  private final Runnable wakeup;

  public NotificationLog(Jdbi jdbi, Clock clock, Runnable wakeup) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.wakeup = wakeup;
  }

  /** One notification and where it stands. */
  public record Entry(UUID id, String notifyId, String eventKey, String tradeNo, String notifyUrl,
      Instant createdAt, int attempts, Instant nextAttemptAt, Instant deliveredAt, Instant gaveUpAt,
      String lastOutcome, String lastExcerpt) {}

  /** The newest notifications of {@code appId}, at most {@code limit} (≤ 200). */
  public List<Entry> of(String appId, int limit) {
    return Tx.read(jdbi, h -> h.createQuery("""
            SELECT n.*, a.outcome, a.excerpt FROM pay_notification n
              LEFT JOIN LATERAL (SELECT outcome, excerpt FROM pay_notification_attempt
                                  WHERE notification_id = n.id ORDER BY attempt DESC LIMIT 1) a ON true
             WHERE n.app_id = :app ORDER BY n.created_at DESC, n.id LIMIT :n""")
        .bind("app", appId).bind("n", Math.max(1, Math.min(limit, 200)))
        .map((rs, ctx) -> new Entry(Tx.uuid(rs, "id"), rs.getString("notify_id"),
            rs.getString("event_key"), rs.getString("trade_no"), rs.getString("notify_url"),
            Tx.instant(rs, "created_at"), rs.getInt("attempts"), Tx.instant(rs, "next_attempt_at"),
            Tx.instant(rs, "delivered_at"), Tx.instant(rs, "gave_up_at"), rs.getString("outcome"),
            rs.getString("excerpt")))
        .list());
  }

  /**
   * Makes the app's undelivered notification due now (a given-up one too). False when it is not
   * this app's, or delivered already.
   */
  public boolean retry(String appId, UUID notificationId) {
    int n = Tx.run(jdbi, h -> h.createUpdate("UPDATE pay_notification SET next_attempt_at = :now,"
            + " gave_up_at = NULL WHERE id = :id AND app_id = :app AND delivered_at IS NULL")
        .bind("now", Tx.at(clock.instant())).bind("id", Tx.uuid(notificationId)).bind("app", appId)
        .execute());
    if (n > 0) {
      wakeup.run();
    }
    return n > 0;
  }
}
