package dev.hutong.pay;

/**
 * The answer to a refund.
 *
 * @param trade the trade after the refund (refundAmount is Alipay's refund_fee: the total refunded)
 * @param fundChange Alipay's fund_change: true when THIS call moved money, false for a repeat
 */
public record RefundResult(Trade trade, Refund refund, boolean fundChange) {}
