package dev.hutong.pay;

import java.util.UUID;

/**
 * alipay.trade.create. The caller (the gateway) has resolved the app to its merchant and the buyer
 * (buyer_id, or buyer_open_id through OpenIds) to a user id.
 *
 * @param totalAmount fen (parse the edge string with {@link Amounts#parse})
 * @param buyerUserId the buyer, or null to let any user pay in the cashier
 * @param buyerByOpenId true when the request named the buyer by buyer_open_id
 * @param notifyUrl the request's notify_url, or the app's default; null: no notifications
 * @param timeoutExpress e.g. "15m"; may be null
 * @param timeExpire "yyyy-MM-dd HH:mm:ss" GMT+8; may be null
 */
public record CreateTradeRequest(
    String appId, UUID merchantId, String outTradeNo, long totalAmount, String subject, String body,
    UUID buyerUserId, boolean buyerByOpenId, String notifyUrl, String timeoutExpress,
    String timeExpire, String passbackParams) {}
