package dev.hutong.pay;

import java.util.Map;
import java.util.UUID;

/**
 * One delivery attempt of a notification.
 *
 * @param attempt 1 for the first delivery, 2 for the first retry, ...
 * @param fields the form fields in Alipay's trade_status_sync shape, notify_time included (the
 *     time of this attempt); unmodifiable; the transport adds charset, sign_type and sign
 */
public record OutboundNotification(
    UUID id, String notifyId, String appId, String tradeNo, String notifyUrl, int attempt,
    Map<String, String> fields) {}
