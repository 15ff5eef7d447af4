package dev.hutong.pay;

/**
 * Alipay's trade states. WAIT_BUYER_PAY → TRADE_SUCCESS (its payment transfer is posted) →
 * TRADE_FINISHED (the refund window passed); TRADE_CLOSED from WAIT_BUYER_PAY (timeout, close,
 * cancel) or from TRADE_SUCCESS (refunded in full).
 */
public enum TradeStatus {
  WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_FINISHED, TRADE_CLOSED;

  /** True when the buyer's money reached the merchant (and was possibly refunded since). */
  public boolean paid() {
    return this == TRADE_SUCCESS || this == TRADE_FINISHED;
  }
}
