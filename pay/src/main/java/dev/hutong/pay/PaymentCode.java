package dev.hutong.pay;

import java.time.Instant;

/** A user's one-time payment code (Alipay's auth_code): 18 digits, valid until {@code expiresAt}, usable once. */
public record PaymentCode(String code, Instant expiresAt) {
  @Override
  public String toString() {
    return "PaymentCode[" + code.substring(0, 4) + "**************, expiresAt=" + expiresAt + "]";
  }
}
