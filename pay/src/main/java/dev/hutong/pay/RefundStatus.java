package dev.hutong.pay;

/** A refund's state: PROCESSING from the moment it is written down until the ledger answers. */
public enum RefundStatus {
  PROCESSING, SUCCESS, FAILED;

  /** Alipay's refund_status for alipay.trade.fastpay.refund.query: REFUND_SUCCESS, else null (omit the field). */
  public String alipayStatus() {
    return this == SUCCESS ? "REFUND_SUCCESS" : null;
  }
}
