package dev.hutong.pay;

/**
 * alipay.trade.refund.
 *
 * @param refundAmount fen
 * @param outRequestNo the idempotency key of this refund; null means the trade's out_trade_no
 *     (Alipay's rule), which allows exactly one refund
 */
public record RefundRequest(TradeRef trade, long refundAmount, String outRequestNo,
    String refundReason) {}
