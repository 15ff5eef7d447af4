package dev.hutong.pay;

import dev.hutong.identity.DerivedIds;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.Tx;
import dev.hutong.identity.User;
import dev.hutong.identity.Users;
import dev.hutong.ledger.CreateTransferResult;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerUnavailableException;
import dev.hutong.ledger.Transfer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paying a trade from a buyer's wallet, in three steps that make the trade TRADE_SUCCESS exactly
 * when its payment transfer is posted, whatever crashes in between:
 * <ol>
 *   <li>write the attempt down (payer, transfer ids derived from trade_no, attempt number and the
 *       attempt's time) in the trade row, under the row's lock;
 *   <li>submit the linked chain to the ledger and wait until it is durably answered;
 *   <li>on POSTED, mark the trade TRADE_SUCCESS and add its notification in one transaction; on a
 *       balance failure, clear the attempt (its ids are spent; the next attempt gets new ones).
 * </ol>
 * A crash after 1 leaves an attempt that {@link #resolve} settles: it looks the transfer up, and if
 * the ledger never got it, submits the same chain again (rolling the buyer's confirmed payment
 * forward, or failing it for good).
 */
final class Payments {
  private static final Logger log = LoggerFactory.getLogger(Payments.class);

  private final Jdbi jdbi;
  private final Ledger ledger;
  private final Users users;
  private final Merchants merchants;
  private final Outbox outbox;
  private final PaySettings settings;
  private final Clock clock;
  private final Risk risk;

  Payments(Jdbi jdbi, Ledger ledger, Users users, Merchants merchants, Outbox outbox,
      PaySettings settings, Clock clock, Risk risk) {
    this.risk = risk;
    this.jdbi = jdbi;
    this.ledger = ledger;
    this.users = users;
    this.merchants = merchants;
    this.outbox = outbox;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Pays {@code tradeNo} from {@code payer}'s wallet. Returns the paid trade; a repeat by the same
   * payer of a paid trade returns it unchanged (no money moves twice).
   */
  Trade pay(String tradeNo, UUID payer) {
    Trade t = begin(tradeNo, payer);
    if (t.status().paid()) {
      return t;
    }
    User buyer = users.get(t.payUserId());
    Merchant merchant = merchants.get(t.merchantId());
    return payBegun(t, buyer.walletAccountId(), merchant.settlementAccountId());
  }

  /**
   * Steps 2 and 3 for an attempt already written down (and committed) on {@code t}, with the two
   * accounts the caller has just read.
   */
  Trade payBegun(Trade t, UUID buyerWallet, UUID merchantSettlement) {
    List<CreateTransferResult> results;
    try {
      results = ledger.createTransfers(MoneyMoves.payment(t, buyerWallet, merchantSettlement));
    } catch (LedgerUnavailableException e) {
      throw new TradeException(TradeError.SYSTEM_ERROR,
          "the ledger did not answer; the payment will be settled by recovery: query the trade", e);
    }
    return settle(t, results);
  }

  /** The transfer ids of a payment attempt: derived, so a retry or recovery resubmits the same. */
  record AttemptIds(UUID pay, UUID fee) {
    static AttemptIds of(String tradeNo, int attempt, long feeAmount, Instant at) {
      long millis = at.toEpochMilli();
      return new AttemptIds(DerivedIds.of(millis, "pay:" + tradeNo + ":" + attempt),
          feeAmount > 0 ? DerivedIds.of(millis, "fee:" + tradeNo + ":" + attempt) : null);
    }
  }

  /**
   * Step 1: writes the payment attempt down (or finds the same payer's unresolved one). Returns
   * the trade with its attempt, or the trade unchanged when this payer already paid it.
   */
  Trade begin(String tradeNo, UUID payer) {
    User buyer = users.find(payer).orElseThrow(() -> new TradeException(TradeError.USER_NOT_EXIST));
    if (buyer.status() != dev.hutong.identity.UserStatus.ACTIVE) {
      throw new TradeException(TradeError.BUYER_ENABLE_STATUS_FORBID);
    }
    Instant now = clock.instant();
    // Risk control before a new attempt is written (never for a repeat or an attempt in flight,
    // which was checked when it began).
    Tx.read(jdbi, h -> TradeStore.byTradeNo(h, tradeNo))
        .filter(t -> t.status() == TradeStatus.WAIT_BUYER_PAY && t.payTransferId() == null)
        .ifPresent(t -> risk.check(t, payer));
    return Tx.run(jdbi, h -> {
      Trade row = TradeStore.lock(h, tradeNo)
          .orElseThrow(() -> new TradeException(TradeError.TRADE_NOT_EXIST));
      if (row.status().paid()) {
        if (payer.equals(row.buyerUserId())) {
          return row;
        }
        throw new TradeException(TradeError.TRADE_HAS_SUCCESS);
      }
      if (row.status() == TradeStatus.TRADE_CLOSED) {
        throw new TradeException(TradeError.TRADE_HAS_CLOSE);
      }
      if (row.buyerNamed() && !payer.equals(row.buyerUserId())) {
        throw new TradeException(TradeError.TRADE_BUYER_NOT_MATCH);
      }
      if (row.payTransferId() != null) {
        if (payer.equals(row.payUserId())) {
          return row; // the same payer again: resubmit the same attempt
        }
        throw new TradeException(TradeError.TRADE_STATUS_ERROR,
            "another payment of this trade is in progress: query it");
      }
      if (!now.isBefore(row.expiresAt())) {
        throw new TradeException(TradeError.TRADE_HAS_CLOSE, "the trade timed out");
      }
      if (row.payAttempt() >= settings.payAttemptsMax()) {
        throw new TradeException(TradeError.TRADE_STATUS_ERROR,
            "the trade has had too many payment attempts: create a new trade");
      }
      int attempt = row.payAttempt() + 1;
      AttemptIds ids = AttemptIds.of(tradeNo, attempt, row.feeAmount(), now);
      return h.createQuery("UPDATE pay_trade SET pay_attempt = :attempt, pay_user_id = :payer,"
              + " pay_transfer_id = :pay, fee_transfer_id = :fee, pay_intent_at = :now"
              + " WHERE trade_no = :t RETURNING *")
          .bind("attempt", attempt).bind("payer", Tx.uuid(payer)).bind("pay", Tx.uuid(ids.pay()))
          .bind("fee", Tx.uuid(ids.fee())).bind("now", Tx.at(now)).bind("t", tradeNo)
          .map(TradeStore::trade).one();
    });
  }

  /** Step 2: the attempt's linked chain, submitted to the ledger; blocks until durably answered. */
  List<CreateTransferResult> submit(Trade t) {
    User buyer = users.get(t.payUserId());
    Merchant merchant = merchants.get(t.merchantId());
    List<Transfer> chain = MoneyMoves.payment(t, buyer.walletAccountId(),
        merchant.settlementAccountId());
    return ledger.createTransfers(chain);
  }

  /** Step 3: the ledger answered. */
  Trade settle(Trade t, List<CreateTransferResult> results) {
    switch (MoneyMoves.verdict(results)) {
      case POSTED:
        return markPaid(t);
      case INSUFFICIENT:
        clearAttempt(t);
        throw new TradeException(TradeError.BUYER_BALANCE_NOT_ENOUGH);
      default:
        clearAttempt(t);
        log.error("ledger refused payment of trade {}: {}", t.tradeNo(), results);
        throw new TradeException(TradeError.SYSTEM_ERROR,
            "the ledger refused the payment (" + MoneyMoves.cause(results).code() + ")");
    }
  }

  /**
   * Marks the attempt's trade paid (once) and queues its notification, atomically: ONE statement
   * (the trade's UPDATE, the outbox INSERT as a CTE over the changed row), so one round trip and
   * one commit. The notification is built from the trade as the UPDATE leaves it.
   */
  Trade markPaid(Trade t) {
    String openId = outbox.buyerOpenId(t.appId(), t.payUserId());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // as timestamptz stores it
    Trade paid = Tx.read(jdbi, h -> {
      Query update = h.createQuery(Outbox.notifies(t) ? """
              WITH changed AS (%s), queued AS (%s) SELECT * FROM changed"""
              .formatted(MARK_PAID, Outbox.insertFrom("changed")) : MARK_PAID);
      if (Outbox.notifies(t)) {
        outbox.bind(update, paidAt(t, now), null, "paid", openId);
      }
      return update.bind("now", Tx.at(now)).bind("t", t.tradeNo())
          .bind("pay", Tx.uuid(t.payTransferId())).map(TradeStore::trade).findOne()
          .orElseGet(() -> TradeStore.byTradeNo(h, t.tradeNo()).orElseThrow());
    });
    outbox.wake();
    if (!paid.status().paid() && !t.payTransferId().equals(paid.payTransferId())) {
      throw new IllegalStateException("trade " + t.tradeNo() + " changed under a posted payment");
    }
    return paid;
  }

  private static final String MARK_PAID = """
      UPDATE pay_trade SET status = 'TRADE_SUCCESS', buyer_user_id = pay_user_id,
        paid_at = :now, receipt_amount = total_amount
       WHERE trade_no = :t AND status = 'WAIT_BUYER_PAY' AND pay_transfer_id = :pay
      RETURNING *""";

  /** The trade as {@link #MARK_PAID} leaves it. */
  private static Trade paidAt(Trade t, Instant now) {
    return new Trade(t.id(), t.tradeNo(), t.appId(), t.outTradeNo(), t.merchantId(), t.kind(),
        TradeStatus.TRADE_SUCCESS, t.subject(), t.body(), t.totalAmount(), t.feeRatePpm(),
        t.feeAmount(), t.payUserId(), t.buyerByOpenId(), t.buyerNamed(), t.notifyUrl(),
        t.passbackParams(), t.timeoutExpress(), t.expiresAt(), t.qrToken(), t.payAttempt(),
        t.payUserId(), t.payTransferId(), t.feeTransferId(), t.payIntentAt(), t.totalAmount(),
        t.refundAmount(), t.feeRefunded(), t.createdAt(), now, t.closedAt(), t.finishedAt(),
        t.closeReason());
  }

  private void clearAttempt(Trade t) {
    Tx.run(jdbi, h -> h.createUpdate("UPDATE pay_trade SET pay_transfer_id = NULL,"
            + " fee_transfer_id = NULL, pay_user_id = NULL, pay_intent_at = NULL"
            + " WHERE trade_no = :t AND status = 'WAIT_BUYER_PAY' AND pay_transfer_id = :pay")
        .bind("t", t.tradeNo()).bind("pay", Tx.uuid(t.payTransferId())).execute());
  }

  /** What {@link #resolve} did. */
  enum Resolution { NOTHING, PAID, FAILED, UNAVAILABLE }

  /**
   * Settles an unresolved payment attempt of {@code tradeNo}: marks the trade paid if the ledger
   * has its transfer; otherwise submits the same chain again and settles by the answer.
   */
  Resolution resolve(String tradeNo) {
    Trade t = Tx.read(jdbi, h -> TradeStore.byTradeNo(h, tradeNo)).orElse(null);
    if (t == null || !t.paymentInFlight()) {
      return Resolution.NOTHING;
    }
    try {
      if (!ledger.lookupTransfers(List.of(t.payTransferId())).isEmpty()) {
        markPaid(t);
        return Resolution.PAID;
      }
      settle(t, submit(t));
      return Resolution.PAID;
    } catch (LedgerUnavailableException e) {
      log.warn("recovery of trade {} postponed: {}", tradeNo, e.getMessage());
      return Resolution.UNAVAILABLE;
    } catch (TradeException e) {
      return Resolution.FAILED;
    }
  }
}
