package dev.hutong.pay;

import java.util.UUID;

/**
 * alipay.trade.pay: the merchant scanned the buyer's payment code ({@code authCode}, 18 digits).
 * Fields otherwise as in {@link CreateTradeRequest}.
 */
public record PayRequest(
    String appId, UUID merchantId, String outTradeNo, String authCode, long totalAmount,
    String subject, String body, String notifyUrl, String timeoutExpress, String timeExpire,
    String passbackParams) {}
