package dev.hutong.pay;

import dev.hutong.identity.DerivedIds;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.Tx;
import dev.hutong.identity.Users;
import dev.hutong.ledger.CreateTransferResult;
import dev.hutong.ledger.Ids;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds, in the same three steps as payments: the refund row is written (PROCESSING, with its
 * transfer ids) under the trade row's lock — which serialises refunds of one trade, so the sum of
 * PROCESSING and SUCCESS refunds can never pass the amount paid — then the ledger chain, then the
 * outcome with the trade's new totals and the notification in one transaction.
 *
 * <p>Idempotency: (trade_no, out_request_no) is unique. A repeat with the same amount answers the
 * stored refund (SUCCESS), finishes it (PROCESSING: same ids, the ledger answers exists), or tries
 * again with new ids (FAILED). A repeat with another amount is ACQ.DISCORDANT_REPEAT_REQUEST.
 */
final class Refunds {
  private static final Logger log = LoggerFactory.getLogger(Refunds.class);

  private final Jdbi jdbi;
  private final Ledger ledger;
  private final Users users;
  private final Merchants merchants;
  private final Outbox outbox;
  private final PaySettings settings;
  private final Clock clock;

  Refunds(Jdbi jdbi, Ledger ledger, Users users, Merchants merchants, Outbox outbox,
      PaySettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.ledger = ledger;
    this.users = users;
    this.merchants = merchants;
    this.outbox = outbox;
    this.settings = settings;
    this.clock = clock;
  }

  /** Step 1's outcome: the refund written down (done: it had succeeded before). */
  record Step(Trade trade, Refund refund, boolean done) {}

  RefundResult refund(String tradeNo, String outRequestNo, long amount, String reason) {
    Step step = begin(tradeNo, outRequestNo, amount, reason);
    if (step.done()) {
      return new RefundResult(step.trade(), step.refund(), false);
    }
    List<CreateTransferResult> results;
    try {
      results = submit(step.trade(), step.refund());
    } catch (LedgerUnavailableException e) {
      throw new TradeException(TradeError.SYSTEM_ERROR,
          "the ledger did not answer; retry the refund with the same out_request_no", e);
    }
    return settle(step.trade(), step.refund(), results);
  }

  /** Step 1: under the trade's lock, finds or writes down the refund and its transfer ids. */
  Step begin(String tradeNo, String outRequestNo, long amount, String reason) {
    Instant now = clock.instant();
    return Tx.run(jdbi, h -> {
      Trade t = TradeStore.lock(h, tradeNo)
          .orElseThrow(() -> new TradeException(TradeError.TRADE_NOT_EXIST));
      Optional<Refund> existing = TradeStore.refund(h, tradeNo, outRequestNo);
      if (existing.isPresent()) {
        Refund r = existing.get();
        if (r.amount() != amount) {
          throw new TradeException(TradeError.DISCORDANT_REPEAT_REQUEST);
        }
        if (r.status() == RefundStatus.SUCCESS) {
          return new Step(t, r, true);
        }
        if (r.status() == RefundStatus.PROCESSING) {
          return new Step(t, r, false);
        }
      }
      checkRefundable(t);
      Totals totals = totals(h, tradeNo, existing.map(Refund::id).orElse(null));
      if (existing.isEmpty() && totals.count() >= settings.refundsPerTradeMax()) {
        throw new TradeException(TradeError.TRADE_NOT_ALLOW_REFUND,
            "a trade may have at most " + settings.refundsPerTradeMax() + " refunds");
      }
      if (totals.amount() + amount > t.receiptAmount()) {
        throw new TradeException(TradeError.REFUND_AMT_NOT_EQUAL_TOTAL,
            "refunds would total " + Amounts.format(totals.amount() + amount) + " of "
                + Amounts.format(t.receiptAmount()) + " paid");
      }
      long feeRefund = FeeShares.feeRefund(t.feeAmount(), t.receiptAmount(), totals.amount(),
          totals.fee(), amount);
      int attempt = existing.map(r -> r.attempt() + 1).orElse(1);
      long millis = now.toEpochMilli();
      String key = tradeNo + ":" + outRequestNo + ":" + attempt;
      UUID refundId = DerivedIds.of(millis, "refund:" + key);
      UUID feeId = feeRefund > 0 ? DerivedIds.of(millis, "fee-refund:" + key) : null;
      Refund r;
      if (existing.isPresent()) {
        r = h.createQuery("UPDATE pay_refund SET status = 'PROCESSING', attempt = :attempt,"
                + " fee_refund = :fee, refund_transfer_id = :rid, fee_refund_transfer_id = :fid,"
                + " attempt_at = :now, failure = NULL WHERE id = :id RETURNING *")
            .bind("attempt", attempt).bind("fee", feeRefund).bind("rid", Tx.uuid(refundId))
            .bind("fid", Tx.uuid(feeId)).bind("now", Tx.at(now))
            .bind("id", Tx.uuid(existing.get().id())).map(TradeStore::refundRow).one();
      } else {
        r = h.createQuery("""
                INSERT INTO pay_refund (id, trade_no, out_request_no, amount, fee_refund, reason,
                  status, attempt, refund_transfer_id, fee_refund_transfer_id, attempt_at, created_at)
                VALUES (:id, :t, :req, :amount, :fee, :reason, 'PROCESSING', 1, :rid, :fid, :now, :now)
                RETURNING *""")
            .bind("id", Tx.uuid(Ids.next())).bind("t", tradeNo).bind("req", outRequestNo)
            .bind("amount", amount).bind("fee", feeRefund).bind("reason", reason)
            .bind("rid", Tx.uuid(refundId)).bind("fid", Tx.uuid(feeId)).bind("now", Tx.at(now))
            .map(TradeStore::refundRow).one();
      }
      return new Step(t, r, false);
    });
  }

  private static void checkRefundable(Trade t) {
    switch (t.status()) {
      case TRADE_SUCCESS -> { }
      case WAIT_BUYER_PAY -> throw new TradeException(TradeError.TRADE_STATUS_ERROR,
          "the trade is not paid: nothing to refund");
      case TRADE_CLOSED -> throw new TradeException(TradeError.TRADE_HAS_CLOSE);
      case TRADE_FINISHED -> throw new TradeException(TradeError.TRADE_HAS_FINISHED);
      default -> throw new IllegalStateException();
    }
  }

  private record Totals(long amount, long fee, int count) {}

  /** Refunds of the trade that hold money (PROCESSING or SUCCESS), except {@code excluded}. */
  private static Totals totals(Handle h, String tradeNo, UUID excluded) {
    return h.createQuery("SELECT coalesce(sum(amount), 0), coalesce(sum(fee_refund), 0), count(*)"
            + " FROM pay_refund WHERE trade_no = :t AND status IN ('PROCESSING', 'SUCCESS')"
            + " AND id IS DISTINCT FROM :ex")
        .bind("t", tradeNo).bind("ex", Tx.uuid(excluded))
        .map((rs, ctx) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getInt(3))).one();
  }

  /** Step 2: the refund's linked chain, submitted to the ledger. */
  List<CreateTransferResult> submit(Trade t, Refund r) {
    Merchant merchant = merchants.get(t.merchantId());
    return ledger.createTransfers(MoneyMoves.refund(t, r,
        users.get(t.buyerUserId()).walletAccountId(), merchant.settlementAccountId()));
  }

  /** Step 3: the ledger answered. */
  RefundResult settle(Trade t, Refund r, List<CreateTransferResult> results) {
    switch (MoneyMoves.verdict(results)) {
      case POSTED:
        return markRefunded(t, r);
      case INSUFFICIENT:
        markFailed(r, TradeError.SELLER_BALANCE_NOT_ENOUGH);
        throw new TradeException(TradeError.SELLER_BALANCE_NOT_ENOUGH);
      default:
        markFailed(r, TradeError.SYSTEM_ERROR);
        log.error("ledger refused refund {} of trade {}: {}", r.outRequestNo(), t.tradeNo(), results);
        throw new TradeException(TradeError.SYSTEM_ERROR,
            "the ledger refused the refund (" + MoneyMoves.cause(results).code() + ")");
    }
  }

  /** The refund succeeded: refund row, trade totals (closing at a full refund), notification. */
  private RefundResult markRefunded(Trade t, Refund r) {
    String openId = outbox.buyerOpenId(t.appId(), t.buyerUserId());
    Instant now = clock.instant();
    RefundResult result = Tx.run(jdbi, h -> {
      Optional<Refund> done = h.createQuery("UPDATE pay_refund SET status = 'SUCCESS',"
              + " refunded_at = :now WHERE id = :id AND status = 'PROCESSING'"
              + " AND refund_transfer_id = :rid RETURNING *")
          .bind("now", Tx.at(now)).bind("id", Tx.uuid(r.id()))
          .bind("rid", Tx.uuid(r.refundTransferId())).map(TradeStore::refundRow).findOne();
      if (done.isEmpty()) {
        return new RefundResult(TradeStore.byTradeNo(h, t.tradeNo()).orElseThrow(),
            TradeStore.refundById(h, r.id()).orElseThrow(), true);
      }
      Trade changed = h.createQuery("""
              UPDATE pay_trade SET refund_amount = refund_amount + :amount,
                fee_refunded = fee_refunded + :fee,
                status = CASE WHEN refund_amount + :amount = receipt_amount THEN 'TRADE_CLOSED' ELSE status END,
                closed_at = CASE WHEN refund_amount + :amount = receipt_amount THEN :now ELSE closed_at END,
                close_reason = CASE WHEN refund_amount + :amount = receipt_amount THEN 'REFUNDED' ELSE close_reason END
               WHERE trade_no = :t RETURNING *""")
          .bind("amount", r.amount()).bind("fee", r.feeRefund()).bind("now", Tx.at(now))
          .bind("t", t.tradeNo()).map(TradeStore::trade).one();
      outbox.enqueue(h, changed, done.get(), "refund:" + r.outRequestNo(), openId);
      return new RefundResult(changed, done.get(), true);
    });
    outbox.wake();
    if (result.refund().status() != RefundStatus.SUCCESS) {
      throw new IllegalStateException("refund " + r.id() + " changed under a posted transfer");
    }
    return result;
  }

  private void markFailed(Refund r, TradeError why) {
    Tx.run(jdbi, h -> h.createUpdate("UPDATE pay_refund SET status = 'FAILED', failure = :why"
            + " WHERE id = :id AND status = 'PROCESSING' AND refund_transfer_id = :rid")
        .bind("why", why.subCode()).bind("id", Tx.uuid(r.id()))
        .bind("rid", Tx.uuid(r.refundTransferId())).execute());
  }

  /** Settles a PROCESSING refund (recovery): look the transfer up, else submit it again. */
  Payments.Resolution resolve(UUID refundId) {
    Refund r = Tx.read(jdbi, h -> TradeStore.refundById(h, refundId)).orElse(null);
    if (r == null || r.status() != RefundStatus.PROCESSING) {
      return Payments.Resolution.NOTHING;
    }
    Trade t = Tx.read(jdbi, h -> TradeStore.byTradeNo(h, r.tradeNo())).orElseThrow();
    try {
      if (!ledger.lookupTransfers(List.of(r.refundTransferId())).isEmpty()) {
        markRefunded(t, r);
        return Payments.Resolution.PAID;
      }
      settle(t, r, submit(t, r));
      return Payments.Resolution.PAID;
    } catch (LedgerUnavailableException e) {
      log.warn("recovery of refund {} postponed: {}", refundId, e.getMessage());
      return Payments.Resolution.UNAVAILABLE;
    } catch (TradeException e) {
      return Payments.Resolution.FAILED;
    }
  }
}
