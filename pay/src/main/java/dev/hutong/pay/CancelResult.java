package dev.hutong.pay;

/**
 * The answer to alipay.trade.cancel.
 *
 * @param action "close" (the trade was unpaid and is now closed) or "refund" (it was paid and is
 *     now refunded in full)
 * @param retry Alipay's retry_flag: always false here, because cancel either finished or threw
 */
public record CancelResult(Trade trade, String action, boolean retry) {}
