package dev.hutong.pay;

import dev.hutong.identity.Tx;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A merchant's own trades, as the merchant portal sees them: every read and every refund names the
 * merchant, and a trade of another merchant is {@link TradeError#TRADE_NOT_EXIST} — the same
 * answer as a trade that does not exist, so trade numbers can not be probed across merchants.
 */
public final class MerchantTrades {
  public static final int PAGE_MAX = 200;

  private final TradeService trades;

  public MerchantTrades(TradeService trades) {
    this.trades = trades;
  }

  /**
   * Filters of the trade list; null means any. {@code text} matches the start of trade_no or
   * out_trade_no, or anywhere in the subject.
   */
  public record Filter(TradeStatus status, ProductKind kind, Instant from, Instant to,
      Long minFen, Long maxFen, String text) {
    public static final Filter ALL = new Filter(null, null, null, null, null, null, null);

    public Filter {
      if (text != null && text.length() > 64) {
        throw TradeException.invalid("search text must be at most 64 characters");
      }
      if ((minFen != null && minFen < 0) || (maxFen != null && maxFen < 0)) {
        throw TradeException.invalid("amount filters must not be negative");
      }
    }
  }

  /** Trades newest first, created before {@code before} when given (the next page), at most {@code limit}. */
  public List<Trade> list(UUID merchantId, Filter f, Instant before, int limit) {
    String like = f.text() == null || f.text().isBlank() ? null
        : f.text().strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return Tx.read(trades.jdbi, h -> h.createQuery("""
            SELECT * FROM pay_trade WHERE merchant_id = :m
               AND (CAST(:before AS timestamptz) IS NULL OR created_at < :before)
               AND (CAST(:status AS text) IS NULL OR status = :status)
               AND (CAST(:kind AS text) IS NULL OR kind = :kind)
               AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
               AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)
               AND (CAST(:min AS bigint) IS NULL OR total_amount >= :min)
               AND (CAST(:max AS bigint) IS NULL OR total_amount <= :max)
               AND (CAST(:like AS text) IS NULL OR trade_no LIKE :like || '%'
                    OR out_trade_no LIKE :like || '%' OR subject ILIKE '%' || :like || '%')
             ORDER BY created_at DESC, id DESC LIMIT :n""")
        .bind("m", Tx.uuid(merchantId)).bind("before", Tx.at(before))
        .bind("status", f.status() == null ? null : f.status().name())
        .bind("kind", f.kind() == null ? null : f.kind().name())
        .bind("from", Tx.at(f.from())).bind("to", Tx.at(f.to()))
        .bind("min", f.minFen()).bind("max", f.maxFen()).bind("like", like)
        .bind("n", Math.max(1, Math.min(limit, PAGE_MAX)))
        .map(TradeStore::trade).list());
  }

  /** Payments that became paid after {@code since} (oldest first): the portal's live feed. */
  public List<Trade> paidSince(UUID merchantId, Instant since, int limit) {
    return Tx.read(trades.jdbi, h -> h.createQuery("SELECT * FROM pay_trade WHERE merchant_id = :m"
            + " AND paid_at > :since ORDER BY paid_at, id LIMIT :n")
        .bind("m", Tx.uuid(merchantId)).bind("since", Tx.at(since))
        .bind("n", Math.max(1, Math.min(limit, PAGE_MAX))).map(TradeStore::trade).list());
  }

  /** The merchant's trade; TRADE_NOT_EXIST for another merchant's. */
  public Trade get(UUID merchantId, String tradeNo) {
    if (tradeNo == null || !Fields.isTradeNo(tradeNo)) {
      throw new TradeException(TradeError.TRADE_NOT_EXIST);
    }
    Trade t = Tx.read(trades.jdbi, h -> TradeStore.byTradeNo(h, tradeNo))
        .filter(x -> x.merchantId().equals(merchantId))
        .orElseThrow(() -> new TradeException(TradeError.TRADE_NOT_EXIST));
    return trades.closeIfExpired(t);
  }

  public List<Refund> refunds(UUID merchantId, String tradeNo) {
    return trades.refunds(get(merchantId, tradeNo).tradeNo());
  }

  /** A full or partial refund from the portal, idempotent by {@code outRequestNo} as the gateway's. */
  public RefundResult refund(UUID merchantId, String tradeNo, long amountFen, String outRequestNo,
      String reason) {
    Amounts.checkRange("refund_amount", amountFen);
    Fields.text("refund_reason", reason, 256, false);
    Fields.outNo("out_request_no", outRequestNo);
    Trade t = get(merchantId, tradeNo);
    return trades.refunds.refund(t.tradeNo(), outRequestNo, amountFen, reason);
  }
}
