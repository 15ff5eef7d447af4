package dev.hutong.pay;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * When an unpaid trade closes by itself, from Alipay's two parameters:
 * <ul>
 *   <li>{@code timeout_express}: relative, "90m", "2h", "3d", 1m to 15d; or "1c", which closes the
 *       trade at the end of the day it was created (GMT+8 midnight), whatever the hour;
 *   <li>{@code time_expire}: absolute, "yyyy-MM-dd HH:mm:ss" GMT+8, later than now and at most
 *       15 days ahead. It wins when both are given.
 * </ul>
 * Neither: the default from {@link PaySettings#defaultTimeout()}.
 */
public final class TradeTimeouts {
  public static final Duration MAX = Duration.ofDays(15);

  private TradeTimeouts() {}

  public static Instant expiry(Instant createdAt, String timeoutExpress, String timeExpire,
      Duration defaultTimeout) {
    if (timeExpire != null && !timeExpire.isEmpty()) {
      Instant at = AlipayTimes.parse("time_expire", timeExpire);
      if (!at.isAfter(createdAt) || at.isAfter(createdAt.plus(MAX))) {
        throw TradeException.invalid("time_expire must be in the future and at most 15 days ahead");
      }
      return at;
    }
    if (timeoutExpress != null && !timeoutExpress.isEmpty()) {
      return createdAt.plus(parseExpress(createdAt, timeoutExpress));
    }
    return createdAt.plus(defaultTimeout);
  }

  /** The duration timeout_express stands for at {@code createdAt}. */
  static Duration parseExpress(Instant createdAt, String text) {
    if (text.equals("1c")) {
      LocalDate day = createdAt.atZone(AlipayTimes.ZONE).toLocalDate();
      Instant midnight = day.plusDays(1).atStartOfDay(AlipayTimes.ZONE).toInstant();
      return Duration.between(createdAt, midnight);
    }
    if (!text.matches("[1-9][0-9]{0,4}[mhd]")) {
      throw TradeException.invalid("timeout_express must be like 15m, 2h, 1d (1m to 15d) or 1c, got "
          + text);
    }
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    Duration d = switch (text.charAt(text.length() - 1)) {
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.compareTo(MAX) > 0) {
      throw TradeException.invalid("timeout_express must be at most 15d, got " + text);
    }
    return d;
  }
}
