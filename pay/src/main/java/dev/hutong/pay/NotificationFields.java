package dev.hutong.pay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of Alipay's asynchronous notification (notify_type trade_status_sync) for a trade at
 * one moment. Left to the sender: {@code notify_time} (the time of each attempt, added by the
 * dispatcher), {@code charset}, {@code sign_type} and {@code sign} (added by the transport, which
 * signs every other field with the platform key).
 *
 * <p>Amounts are 2-decimal strings, times "yyyy-MM-dd HH:mm:ss" GMT+8 (gmt_refund with
 * milliseconds, as Alipay sends it). Fields without a value are left out, as Alipay does.
 */
final class NotificationFields {
  static final String NOTIFY_TYPE = "trade_status_sync";
  /** Alipay's fund channel for a payment from the account balance: the wallet is that balance. */
  static final String FUND_CHANNEL = "ALIPAYACCOUNT";

  private NotificationFields() {}

  /**
   * @param refund the refund this notification tells of, or null for a status change
   * @param buyerOpenId the buyer's open_id in the trade's app, or null
   */
  static Map<String, String> of(Trade t, Refund refund, String notifyId, String buyerOpenId) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("notify_type", NOTIFY_TYPE);
    f.put("notify_id", notifyId);
    f.put("app_id", t.appId());
    f.put("auth_app_id", t.appId());
    f.put("version", "1.0");
    f.put("trade_no", t.tradeNo());
    f.put("out_trade_no", t.outTradeNo());
    if (refund != null) {
      f.put("out_biz_no", refund.outRequestNo());
    }
    if (t.buyerUserId() != null && !t.buyerByOpenId() && t.buyerNamed()) {
      f.put("buyer_id", t.buyerUserId().toString());
    }
    f.put("buyer_open_id", buyerOpenId);
    f.put("seller_id", t.merchantId().toString());
    f.put("trade_status", t.status().name());
    f.put("total_amount", Amounts.format(t.totalAmount()));
    if (t.paidAt() != null) {
      f.put("receipt_amount", Amounts.format(t.receiptAmount()));
      f.put("invoice_amount", Amounts.format(t.receiptAmount()));
      f.put("buyer_pay_amount", Amounts.format(t.buyerPayAmount()));
      f.put("point_amount", "0.00");
    }
    if (t.refundAmount() > 0) {
      f.put("refund_fee", Amounts.format(t.refundAmount()));
    }
    f.put("subject", t.subject());
    f.put("body", t.body());
    f.put("gmt_create", AlipayTimes.format(t.createdAt()));
    f.put("gmt_payment", AlipayTimes.format(t.paidAt()));
    if (refund != null) {
      f.put("gmt_refund", AlipayTimes.formatMillis(refund.refundedAt()));
    }
    f.put("gmt_close", AlipayTimes.format(t.closedAt()));
    if (t.paidAt() != null) {
      String amount = Amounts.format(refund != null ? refund.amount() : t.receiptAmount());
      f.put("fund_bill_list", "[{\"amount\":\"" + amount + "\",\"fundChannel\":\"" + FUND_CHANNEL
          + "\"}]");
    }
    f.put("passback_params", t.passbackParams());
    f.values().removeIf(v -> v == null);
    return f;
  }
}
