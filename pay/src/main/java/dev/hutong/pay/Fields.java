package dev.hutong.pay;

import java.util.regex.Pattern;

/** Validation of request fields; each failure names the field and is ACQ.INVALID_PARAMETER. */
final class Fields {
  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern OUT_NO = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern TRADE_NO = Pattern.compile("[0-9]{28}");
  private static final Pattern URL = Pattern.compile("https?://[^\\s/?#]+[^\\s]*");

  private Fields() {}

  static String appId(String v) {
    if (v == null || !APP_ID.matcher(v).matches()) {
      throw TradeException.invalid("app_id must be 1 to 64 letters, digits, '_' or '-'");
    }
    return v;
  }

  static String outNo(String field, String v) {
    if (v == null || !OUT_NO.matcher(v).matches()) {
      throw TradeException.invalid(field + " must be 1 to 64 letters, digits, '_', '-' or '.'");
    }
    return v;
  }

  static boolean isTradeNo(String v) {
    return v != null && TRADE_NO.matcher(v).matches();
  }

  static String text(String field, String v, int charsMax, boolean required) {
    if (v == null || v.isEmpty()) {
      if (required) {
        throw TradeException.invalid(field + " is required");
      }
      return null;
    }
    if (v.codePointCount(0, v.length()) > charsMax) {
      throw TradeException.invalid(field + " is longer than " + charsMax + " characters");
    }
    if (v.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
      throw TradeException.invalid(field + " must not contain control characters");
    }
    if (required && v.isBlank()) {
      throw TradeException.invalid(field + " is required");
    }
    return v;
  }

  static String url(String field, String v) {
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.length() > 512 || !URL.matcher(v).matches()) {
      throw TradeException.invalid(field + " must be an http(s) URL of at most 512 characters");
    }
    return v;
  }
}
