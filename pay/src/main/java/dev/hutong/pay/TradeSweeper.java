package dev.hutong.pay;

import dev.hutong.identity.Tx;
import java.time.Instant;
import java.util.List;

/**
 * Periodic housekeeping, each step bounded by {@link PaySettings#batchMax()}: closes unpaid trades
 * past their expiry (TRADE_CLOSED, with notification), finishes paid trades whose refund window
 * has passed (TRADE_FINISHED), and deletes long-expired payment codes. Queries and the cashier
 * close an expired trade themselves when they meet one, so the sweeper only bounds how long an
 * unvisited expired trade stays open.
 */
public final class TradeSweeper {
  private final TradeService trades;

  public TradeSweeper(TradeService trades) {
    this.trades = trades;
  }

  /** What one sweep did. */
  public record Sweep(int closed, int finished, int codesDeleted) {}

  public Sweep runOnce() {
    return new Sweep(closeExpired(), finishOld(), trades.codes.deleteExpired(trades.settings.batchMax()));
  }

  /** Closes up to batchMax expired unpaid trades; returns how many closed. */
  public int closeExpired() {
    Instant now = trades.clock.instant();
    List<String> due = Tx.read(trades.jdbi, h -> h.createQuery("SELECT trade_no FROM pay_trade"
            + " WHERE status = 'WAIT_BUYER_PAY' AND expires_at <= :now ORDER BY expires_at LIMIT :n")
        .bind("now", Tx.at(now)).bind("n", trades.settings.batchMax()).mapTo(String.class).list());
    int closed = 0;
    for (String tradeNo : due) {
      try {
        Trade t = trades.closeIfExpired(
            Tx.read(trades.jdbi, h -> TradeStore.byTradeNo(h, tradeNo)).orElseThrow());
        if (t.status() == TradeStatus.TRADE_CLOSED && "TIMEOUT".equals(t.closeReason())) {
          closed++;
        }
      } catch (TradeException e) {
        // An attempt still being settled: the next sweep takes it.
      }
    }
    return closed;
  }

  /** Finishes up to batchMax trades paid longer ago than the refund window. */
  public int finishOld() {
    Instant before = trades.clock.instant().minus(trades.settings.refundWindow());
    List<String> due = Tx.read(trades.jdbi, h -> h.createQuery("SELECT trade_no FROM pay_trade"
            + " WHERE status = 'TRADE_SUCCESS' AND paid_at <= :before ORDER BY paid_at LIMIT :n")
        .bind("before", Tx.at(before)).bind("n", trades.settings.batchMax())
        .mapTo(String.class).list());
    int finished = 0;
    for (String tradeNo : due) {
      if (trades.finish(tradeNo).isPresent()) {
        finished++;
      }
    }
    return finished;
  }
}
