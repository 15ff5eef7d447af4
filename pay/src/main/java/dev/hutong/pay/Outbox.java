package dev.hutong.pay;

import dev.hutong.identity.OpenIds;
import dev.hutong.identity.Tx;
import dev.hutong.ledger.Ids;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Writes notification rows in the caller's transaction (the one that changes the trade), so a
 * notification exists exactly when its state change does. After that transaction commits, the
 * caller calls {@link #wake()} so the dispatcher in this JVM sends at once instead of at its next
 * poll.
 */
final class Outbox {
  private final OpenIds openIds;
  private final Clock clock;
  private final Runnable wakeup;

  Outbox(OpenIds openIds, Clock clock, Runnable wakeup) {
    this.openIds = openIds;
    this.clock = clock;
    this.wakeup = wakeup;
  }

  /** The buyer's open_id in the trade's app (created on first use), or null. Call outside the transaction. */
  String buyerOpenId(String appId, UUID userId) {
    return appId == null || userId == null ? null : openIds.openIdFor(appId, userId);
  }

  /**
   * Adds the notification of {@code t}'s new state (and of {@code refund}, if any) under
   * {@code eventKey}; nothing when the trade has no notify_url. Idempotent by event key.
   */
  void enqueue(Handle h, Trade t, Refund refund, String eventKey, String buyerOpenId) {
    if (t.notifyUrl() == null || t.appId() == null) {
      return;
    }
    UUID id = Ids.next();
    String notifyId = id.toString().replace("-", "");
    Map<String, String> fields = NotificationFields.of(t, refund, notifyId, buyerOpenId);
    h.createUpdate("INSERT INTO pay_notification (id, notify_id, event_key, trade_no, app_id,"
            + " notify_url, fields, created_at, next_attempt_at) VALUES (:id, :nid, :key, :trade,"
            + " :app, :url, :fields, :now, :now) ON CONFLICT (event_key) DO NOTHING")
        .bind("id", Tx.uuid(id)).bind("nid", notifyId).bind("key", t.tradeNo() + ":" + eventKey)
        .bind("trade", t.tradeNo()).bind("app", t.appId()).bind("url", t.notifyUrl())
        .bind("fields", FormCodec.encode(fields)).bind("now", Tx.at(clock.instant())).execute();
  }

  void wake() {
    wakeup.run();
  }
}
