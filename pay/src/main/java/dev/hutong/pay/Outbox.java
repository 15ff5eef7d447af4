package dev.hutong.pay;

import dev.hutong.identity.OpenIds;
import dev.hutong.identity.Tx;
import dev.hutong.ledger.Ids;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

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
    if (!notifies(t)) {
      return;
    }
    bind(h.createUpdate(INSERT + " VALUES (:n_id, :n_nid, :n_key, :n_trade, :n_app, :n_url,"
        + " :n_fields, :n_now, :n_now) ON CONFLICT (event_key) DO NOTHING"), t, refund, eventKey,
        buyerOpenId).execute();
  }

  private static final String INSERT = "INSERT INTO pay_notification (id, notify_id, event_key,"
      + " trade_no, app_id, notify_url, fields, created_at, next_attempt_at)";

  /** True when a state change of {@code t} gets a notification row. */
  static boolean notifies(Trade t) {
    return t.notifyUrl() != null && t.appId() != null;
  }

  /**
   * A data-modifying CTE member that adds {@code t}'s notification for each row of CTE
   * {@code changedCte}, so one statement (atomic without a transaction around it, one round trip)
   * changes the trade and queues its notification. {@code t} must be the trade as that change
   * leaves it; the caller binds the result with {@link #bind}. Only for trades that
   * {@link #notifies}.
   */
  static String insertFrom(String changedCte) {
    return INSERT + " SELECT :n_id, :n_nid, :n_key, :n_trade, :n_app, :n_url, :n_fields, :n_now,"
        + " :n_now FROM " + changedCte + " ON CONFLICT (event_key) DO NOTHING";
  }

  /** Binds the notification's values (the n_* parameters). */
  <S extends SqlStatement<S>> S bind(S statement, Trade t, Refund refund, String eventKey,
      String buyerOpenId) {
    UUID id = Ids.next();
    String notifyId = id.toString().replace("-", "");
    Map<String, String> fields = NotificationFields.of(t, refund, notifyId, buyerOpenId);
    return statement.bind("n_id", Tx.uuid(id)).bind("n_nid", notifyId)
        .bind("n_key", t.tradeNo() + ":" + eventKey).bind("n_trade", t.tradeNo())
        .bind("n_app", t.appId()).bind("n_url", t.notifyUrl())
        .bind("n_fields", FormCodec.encode(fields)).bind("n_now", Tx.at(clock.instant()));
  }

  void wake() {
    wakeup.run();
  }
}
