package dev.hutong.pay;

/** How a trade came to be, i.e. which way the buyer pays. */
public enum ProductKind {
  /** alipay.trade.create: a merchant back end (often behind a mini-program) names the buyer; the buyer confirms in the cashier. */
  CREATE,
  /** alipay.trade.precreate: the merchant shows a QR code; whoever scans it pays in the cashier. */
  PRECREATE,
  /** alipay.trade.pay: the merchant scans the buyer's one-time payment code; no PIN. */
  PAYMENT_CODE,
  /** A street merchant's static collect-money code: the buyer enters the amount; no merchant back end, no app. */
  STATIC_COLLECT
}
