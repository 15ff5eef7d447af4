package dev.hutong.pay;

import java.time.Duration;

/**
 * The pay module's limits and defaults.
 *
 * @param publicBaseUrl where users reach the platform, e.g. "https://pay.example.com"; QR codes
 *     are {@code <publicBaseUrl>/qr/<token>} (precreate) and {@code <publicBaseUrl>/c/<token>}
 *     (static collect codes), so a phone camera opens the web shell's cashier directly
 * @param defaultTimeout how long an unpaid trade lives without timeout_express / time_expire
 * @param paymentCodeTtl how long a payment code is valid (Alipay: 60 s)
 * @param paymentCodeDayLimitFen the most a user may pay by payment code per GMT+8 day; 0: no limit.
 *     Checked before the payment, so concurrent payments may pass it together by one payment
 * @param refundsPerTradeMax refunds one trade may have
 * @param payAttemptsMax payment attempts one trade may have (each failed one costs ledger ids)
 * @param refundWindow after this long TRADE_SUCCESS becomes TRADE_FINISHED and refunds stop
 * @param recoveryGrace how old an unresolved attempt must be before periodic recovery touches it
 *     (recovery at start-up uses zero)
 * @param batchMax rows one sweep or recovery pass handles
 */
public record PaySettings(
    String publicBaseUrl, Duration defaultTimeout, Duration paymentCodeTtl,
    long paymentCodeDayLimitFen, int refundsPerTradeMax, int payAttemptsMax, Duration refundWindow,
    Duration recoveryGrace, int batchMax) {

  public PaySettings {
    if (publicBaseUrl == null || !publicBaseUrl.matches("https?://[^\\s/]+(/[^\\s]*)?")) {
      throw new IllegalArgumentException("publicBaseUrl must be an http(s) URL: " + publicBaseUrl);
    }
    publicBaseUrl = publicBaseUrl.endsWith("/")
        ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    if (defaultTimeout.isNegative() || defaultTimeout.isZero()
        || defaultTimeout.compareTo(TradeTimeouts.MAX) > 0) {
      throw new IllegalArgumentException("defaultTimeout must be 1 s to 15 d");
    }
    if (paymentCodeTtl.toSeconds() < 1 || paymentCodeTtl.toMinutes() > 10) {
      throw new IllegalArgumentException("paymentCodeTtl must be 1 s to 10 min");
    }
    if (paymentCodeDayLimitFen < 0 || refundsPerTradeMax < 1 || refundsPerTradeMax > 1000
        || payAttemptsMax < 1 || payAttemptsMax > 1000 || batchMax < 1 || batchMax > 10_000) {
      throw new IllegalArgumentException("pay setting out of range");
    }
  }

  public static PaySettings defaults(String publicBaseUrl) {
    return new PaySettings(publicBaseUrl, Duration.ofHours(2), Duration.ofSeconds(60), 0, 50, 20,
        Duration.ofDays(365), Duration.ofSeconds(10), 500);
  }

  public PaySettings withDefaultTimeout(Duration d) {
    return new PaySettings(publicBaseUrl, d, paymentCodeTtl, paymentCodeDayLimitFen,
        refundsPerTradeMax, payAttemptsMax, refundWindow, recoveryGrace, batchMax);
  }

  public PaySettings withPaymentCodeDayLimitFen(long fen) {
    return new PaySettings(publicBaseUrl, defaultTimeout, paymentCodeTtl, fen, refundsPerTradeMax,
        payAttemptsMax, refundWindow, recoveryGrace, batchMax);
  }

  public PaySettings withRefundWindow(Duration d) {
    return new PaySettings(publicBaseUrl, defaultTimeout, paymentCodeTtl, paymentCodeDayLimitFen,
        refundsPerTradeMax, payAttemptsMax, d, recoveryGrace, batchMax);
  }
}
