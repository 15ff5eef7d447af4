package dev.hutong.pay;

import dev.hutong.identity.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A user's bill list: payments, refunds and top-ups, newest first, paged by a keyset cursor (the
 * last row's time and id), so page 100 costs what page 1 costs and rows arriving meanwhile never
 * shift a page. Payments are negative (money out), refunds and top-ups positive.
 */
public final class Bills {
  public static final int PAGE_MAX = 50;
  private static final Instant NO_CURSOR_AT = Instant.parse("9999-01-01T00:00:00Z");
  private static final UUID NO_CURSOR_ID = new UUID(-1L, -1L);

  /** One line of the bill list. {@code tradeNo} is null for top-ups. */
  public record Bill(Kind kind, UUID id, String tradeNo, long amountFen, String title,
      String merchantName, Instant at) {}

  public enum Kind { PAYMENT, REFUND, TOP_UP }

  /** A page and the cursor of the next one (empty at the end). */
  public record Page(List<Bill> items, Optional<String> next) {}

  private final Jdbi jdbi;

  public Bills(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Up to {@code limit} bills of {@code userId} older than {@code cursor} (null: the newest).
   * A malformed cursor is ACQ.INVALID_PARAMETER.
   */
  public Page page(UUID userId, String cursor, int limit) {
    if (limit < 1 || limit > PAGE_MAX) {
      throw TradeException.invalid("limit must be from 1 to " + PAGE_MAX);
    }
    Instant beforeAt = NO_CURSOR_AT;
    UUID beforeId = NO_CURSOR_ID;
    if (cursor != null && !cursor.isEmpty()) {
      String[] parts = cursor.split("~", -1);
      try {
        if (parts.length != 2 || parts[1].length() != 36) {
          throw new IllegalArgumentException();
        }
        beforeAt = Instant.ofEpochSecond(0, 0).plusNanos(Long.parseLong(parts[0]) * 1000);
        beforeId = UUID.fromString(parts[1]);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw TradeException.invalid("cursor is not one this server gave out");
      }
    }
    Instant at = beforeAt;
    UUID id = beforeId;
    List<Bill> rows = Tx.read(jdbi, h -> h.createQuery("""
            SELECT * FROM (
              SELECT 'PAYMENT' AS kind, t.id, t.trade_no, -t.total_amount AS amount,
                     t.subject AS title, m.name AS merchant, t.paid_at AS at
                FROM pay_trade t JOIN identity_merchant m ON m.id = t.merchant_id
               WHERE t.buyer_user_id = :u AND t.paid_at IS NOT NULL
              UNION ALL
              SELECT 'REFUND', r.id, r.trade_no, r.amount, t.subject, m.name, r.refunded_at
                FROM pay_trade t JOIN pay_refund r ON r.trade_no = t.trade_no
                JOIN identity_merchant m ON m.id = t.merchant_id
               WHERE t.buyer_user_id = :u AND t.paid_at IS NOT NULL AND r.status = 'SUCCESS'
              UNION ALL
              SELECT 'TOP_UP', f.id, NULL, f.amount, 'Top-up', NULL, f.completed_at
                FROM identity_funding_operation f
               WHERE f.owner_id = :u AND f.kind = 'TOP_UP' AND f.status = 'SUCCESS'
            ) b
            WHERE (b.at, b.id) < (:at, :id)
            ORDER BY b.at DESC, b.id DESC
            LIMIT :n""")
        .bind("u", Tx.uuid(userId)).bind("at", Tx.at(at)).bind("id", Tx.uuid(id))
        .bind("n", limit + 1)
        .map((rs, ctx) -> new Bill(Kind.valueOf(rs.getString("kind")), Tx.uuid(rs, "id"),
            rs.getString("trade_no"), rs.getLong("amount"), rs.getString("title"),
            rs.getString("merchant"), Tx.instant(rs, "at")))
        .list());
    if (rows.size() <= limit) {
      return new Page(rows, Optional.empty());
    }
    List<Bill> items = new ArrayList<>(rows.subList(0, limit));
    Bill last = items.get(items.size() - 1);
    long micros = Math.multiplyExact(last.at().getEpochSecond(), 1_000_000L)
        + last.at().getNano() / 1000;
    return new Page(items, Optional.of(micros + "~" + last.id()));
  }
}
