package dev.hutong.pay;

import java.time.Instant;
import java.util.UUID;

/**
 * One refund of a trade, keyed by (trade_no, out_request_no).
 *
 * @param feeRefund the share of the trade's fee given back to the merchant with this refund
 * @param attempt attempts so far; each has its own transfer ids (a failed ledger id stays failed)
 * @param attemptAt when the current attempt was written down (the time in its derived ids)
 * @param failure for FAILED: the sub_code of the reason
 */
public record Refund(
    UUID id, String tradeNo, String outRequestNo, long amount, long feeRefund, String reason,
    RefundStatus status, int attempt, UUID refundTransferId, UUID feeRefundTransferId,
    Instant attemptAt, Instant createdAt, Instant refundedAt, String failure) {}
