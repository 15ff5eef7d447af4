package dev.hutong.pay;

import dev.hutong.identity.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Makes trades and the ledger agree after a crash: every payment attempt or refund written down
 * but not settled (the process died between writing it and recording the ledger's answer) is
 * settled now. Its transfer is looked up by the id stored in the row; if the ledger has it, the
 * trade becomes TRADE_SUCCESS (or the refund SUCCESS) with its notification; if not, the same
 * transfers are submitted again and settled by the answer.
 *
 * <p>Run it once at start-up with zero grace, before taking traffic, and then periodically with
 * {@link PaySettings#recoveryGrace()} so that it leaves alone the attempts live requests are
 * settling themselves (touching those would be harmless, only wasted work).
 */
public final class TradeRecovery {
  private final TradeService trades;

  public TradeRecovery(TradeService trades) {
    this.trades = trades;
  }

  /** What one pass did. */
  public record Pass(int paymentsSeen, int paymentsSettled, int refundsSeen, int refundsSettled) {
    public int seen() {
      return paymentsSeen + refundsSeen;
    }
  }

  /** One bounded pass over attempts older than {@code grace}. */
  public Pass runOnce(Duration grace) {
    Instant before = trades.clock.instant().minus(grace);
    int batch = trades.settings.batchMax();
    List<String> tradeNos = Tx.read(trades.jdbi, h -> h.createQuery("SELECT trade_no FROM pay_trade"
            + " WHERE status = 'WAIT_BUYER_PAY' AND pay_transfer_id IS NOT NULL"
            + " AND pay_intent_at <= :before ORDER BY pay_intent_at LIMIT :n")
        .bind("before", Tx.at(before)).bind("n", batch).mapTo(String.class).list());
    int paid = 0;
    for (String tradeNo : tradeNos) {
      Payments.Resolution r = trades.payments.resolve(tradeNo);
      if (r == Payments.Resolution.PAID || r == Payments.Resolution.FAILED) {
        paid++;
      }
    }
    List<UUID> refundIds = Tx.read(trades.jdbi, h -> h.createQuery("SELECT id FROM pay_refund"
            + " WHERE status = 'PROCESSING' AND attempt_at <= :before ORDER BY attempt_at LIMIT :n")
        .bind("before", Tx.at(before)).bind("n", batch)
        .map((rs, ctx) -> Tx.uuid(rs, "id")).list());
    int refunded = 0;
    for (UUID id : refundIds) {
      Payments.Resolution r = trades.refunds.resolve(id);
      if (r == Payments.Resolution.PAID || r == Payments.Resolution.FAILED) {
        refunded++;
      }
    }
    return new Pass(tradeNos.size(), paid, refundIds.size(), refunded);
  }

  /** Passes until nothing older than {@code grace} is left (at most {@code passesMax}). */
  public int runUntilSettled(Duration grace, int passesMax) {
    int settled = 0;
    for (int i = 0; i < passesMax; i++) {
      Pass p = runOnce(grace);
      settled += p.paymentsSettled() + p.refundsSettled();
      if (p.seen() < trades.settings.batchMax()) {
        break;
      }
    }
    return settled;
  }
}
