package dev.hutong.pay;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Random identifiers: trade numbers, QR tokens, payment codes. */
final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String LOWER36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd")
      .withZone(AlipayTimes.ZONE);

  private Tokens() {}

  /**
   * A 28-digit trade number in Alipay's shape: the GMT+8 date, "2200", then 16 random digits.
   * Random rather than sequential (no sequences as business ids; a unique index catches the rare
   * collision and the caller draws again).
   */
  static String tradeNo(Instant now) {
    return DAY.format(now) + "2200" + digits(16);
  }

  static String digits(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return b.toString();
  }

  /** {@code n} random characters of [0-9a-z] (about 5.17 bits each). */
  static String lower36(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(LOWER36.charAt(RANDOM.nextInt(LOWER36.length())));
    }
    return b.toString();
  }

  /** The first {@code chars} bytes of {@code bytes} as lowercase hex. */
  static String hex(byte[] bytes, int count) {
    StringBuilder b = new StringBuilder(count * 2);
    for (int i = 0; i < count; i++) {
      b.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
    }
    return b.toString();
  }
}
