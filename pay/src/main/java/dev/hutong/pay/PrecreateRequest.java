package dev.hutong.pay;

import java.util.UUID;

/** alipay.trade.precreate: a trade anyone may pay by scanning its QR code. Fields as in {@link CreateTradeRequest}. */
public record PrecreateRequest(
    String appId, UUID merchantId, String outTradeNo, long totalAmount, String subject, String body,
    String notifyUrl, String timeoutExpress, String timeExpire, String passbackParams) {}
