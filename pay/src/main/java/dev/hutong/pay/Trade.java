package dev.hutong.pay;

import java.time.Instant;
import java.util.UUID;

/**
 * A trade as stored. Amounts in fen; times as instants (the gateway formats them with
 * {@link AlipayTimes} and {@link Amounts}).
 *
 * @param appId the Open API app that created it; null for static collect-code trades
 * @param feeRatePpm the merchant's fee rate when the trade was created (later changes don't apply)
 * @param feeAmount the fee the merchant pays the platform when the trade is paid
 * @param buyerUserId the buyer the trade names (create with buyer_id / buyer_open_id), or who paid
 * @param buyerByOpenId the creator named the buyer by open_id (so responses must not show the user id)
 * @param buyerNamed only {@link #buyerUserId} may pay
 * @param qrToken for PRECREATE: the token in its qr_code
 * @param payAttempt how many payment attempts were written down (each gets fresh transfer ids)
 * @param payUserId who is paying in the current attempt
 * @param payTransferId the current attempt's payment transfer id, written BEFORE the ledger is
 *     asked; non-null in WAIT_BUYER_PAY means an attempt is unresolved (recovery settles it)
 * @param feeTransferId the current attempt's fee transfer id (null when the fee is zero)
 * @param receiptAmount what the merchant received: total when paid, else 0
 * @param refundAmount the sum of successful refunds
 * @param feeRefunded the sum of fees given back with those refunds
 */
public record Trade(
    UUID id, String tradeNo, String appId, String outTradeNo, UUID merchantId, ProductKind kind,
    TradeStatus status, String subject, String body, long totalAmount, int feeRatePpm,
    long feeAmount, UUID buyerUserId, boolean buyerByOpenId, boolean buyerNamed, String notifyUrl,
    String passbackParams, String timeoutExpress, Instant expiresAt, String qrToken, int payAttempt,
    UUID payUserId, UUID payTransferId, UUID feeTransferId, Instant payIntentAt,
    long receiptAmount, long refundAmount, long feeRefunded, Instant createdAt, Instant paidAt,
    Instant closedAt, Instant finishedAt, String closeReason) {

  /** What the buyer paid (Alipay's buyer_pay_amount): total when paid, else 0. */
  public long buyerPayAmount() {
    return receiptAmount;
  }

  /** True when a payment attempt is written down but not yet resolved. */
  public boolean paymentInFlight() {
    return status == TradeStatus.WAIT_BUYER_PAY && payTransferId != null;
  }
}
