package dev.hutong.pay;

/**
 * Money at the edge: Alipay's amount strings ("88.88", "0.01", "100000000.00") to fen and back.
 * Strict on purpose: digits, an optional point and at most two decimals; no sign, exponent,
 * spaces, leading zeros or thousands separators; 0.01 to 100000000.00. Parsing never goes through
 * a double.
 */
public final class Amounts {
  public static final long FEN_MIN = 1;
  /** 100,000,000.00 yuan, Alipay's ceiling for one trade. */
  public static final long FEN_MAX = 10_000_000_000L;

  private Amounts() {}

  /** Fen in an amount string, or {@link TradeError#INVALID_PARAMETER} naming the field. */
  public static long parse(String field, String text) {
    if (text == null || text.isEmpty() || text.length() > 12) {
      throw TradeException.invalid(field + " must be an amount from 0.01 to 100000000.00");
    }
    int point = text.indexOf('.');
    String whole = point < 0 ? text : text.substring(0, point);
    String fraction = point < 0 ? "" : text.substring(point + 1);
    if (!isDigits(whole) || whole.length() > 9 || (whole.length() > 1 && whole.charAt(0) == '0')
        || (point >= 0 && (fraction.isEmpty() || fraction.length() > 2 || !isDigits(fraction)))) {
      throw TradeException.invalid(field + " must be an amount like 88.88 (at most 2 decimals), got "
          + text);
    }
    long fen = Long.parseLong(whole) * 100;
    if (fraction.length() == 1) {
      fen += (fraction.charAt(0) - '0') * 10L;
    } else if (fraction.length() == 2) {
      fen += Long.parseLong(fraction);
    }
    if (fen < FEN_MIN || fen > FEN_MAX) {
      throw TradeException.invalid(field + " must be from 0.01 to 100000000.00, got " + text);
    }
    return fen;
  }

  /** "12.30" for 1230 fen; any non-negative long (zero included, for totals like refund_fee). */
  public static String format(long fen) {
    if (fen < 0) {
      throw new IllegalArgumentException("negative amount " + fen);
    }
    long fraction = fen % 100;
    return (fen / 100) + (fraction < 10 ? ".0" : ".") + fraction;
  }

  static void checkRange(String field, long fen) {
    if (fen < FEN_MIN || fen > FEN_MAX) {
      throw TradeException.invalid(field + " must be from 0.01 to 100000000.00");
    }
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
