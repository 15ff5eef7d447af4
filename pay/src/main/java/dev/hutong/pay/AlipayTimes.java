package dev.hutong.pay;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** Alipay's times: "yyyy-MM-dd HH:mm:ss" in GMT+8 (gmt_refund also carries ".SSS"). */
public final class AlipayTimes {
  public static final ZoneId ZONE = ZoneOffset.ofHours(8);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS").withResolverStyle(ResolverStyle.STRICT);

  private AlipayTimes() {}

  /** "2026-11-24 15:45:57"; null for null. */
  public static String format(Instant t) {
    return t == null ? null : SECONDS.format(LocalDateTime.ofInstant(t, ZONE));
  }

  /** "2026-11-24 15:45:57.320", the form of gmt_refund; null for null. */
  public static String formatMillis(Instant t) {
    return t == null ? null : MILLIS.format(LocalDateTime.ofInstant(t, ZONE));
  }

  /** Parses "yyyy-MM-dd HH:mm:ss" as GMT+8, or {@link TradeError#INVALID_PARAMETER} naming the field. */
  public static Instant parse(String field, String text) {
    try {
      return LocalDateTime.parse(text, SECONDS).atZone(ZONE).toInstant();
    } catch (DateTimeParseException | NullPointerException e) {
      throw TradeException.invalid(field + " must be yyyy-MM-dd HH:mm:ss (GMT+8), got " + text);
    }
  }
}
