package dev.hutong.pay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's risk rules (zero switches a rule off):
 * <ul>
 *   <li>{@code user_day_limit_fen}: the most one user may pay per GMT+8 day, all kinds of payment
 *       together (default 0: off);
 *   <li>{@code failed_pin_max} wrong payment PINs within {@code failed_pin_window_s} seconds block
 *       the user's payments until the window has passed (default 10 in 24 h: the PIN lock stops 5
 *       in a row, this catches someone who waits the lock out);
 *   <li>{@code small_payment_max} payments of at most {@code small_payment_fen} within
 *       {@code small_payment_window_s} seconds by one user block further small ones (default 30
 *       payments ≤ 0.50 in 10 min: card testing and wash trading look like this).
 * </ul>
 */
public record RiskRules(long userDayLimitFen, long failedPinMax, long failedPinWindowS,
    long smallPaymentFen, long smallPaymentMax, long smallPaymentWindowS) {

  /** Rule names with their defaults and upper bounds, in display order. */
  public static final Map<String, long[]> RULES = rules();

  static RiskRules defaults() {
    return from(Map.of());
  }

  static RiskRules from(Map<String, Long> values) {
    java.util.function.Function<String, Long> v = n -> values.getOrDefault(n, RULES.get(n)[0]);
    return new RiskRules(v.apply("user_day_limit_fen"), v.apply("failed_pin_max"),
        v.apply("failed_pin_window_s"), v.apply("small_payment_fen"), v.apply("small_payment_max"),
        v.apply("small_payment_window_s"));
  }

  /** The rules as name → value, for the console. */
  public Map<String, Long> asMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("user_day_limit_fen", userDayLimitFen);
    m.put("failed_pin_max", failedPinMax);
    m.put("failed_pin_window_s", failedPinWindowS);
    m.put("small_payment_fen", smallPaymentFen);
    m.put("small_payment_max", smallPaymentMax);
    m.put("small_payment_window_s", smallPaymentWindowS);
    return m;
  }

  private static Map<String, long[]> rules() {
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("user_day_limit_fen", new long[] {0, Amounts.FEN_MAX});
    m.put("failed_pin_max", new long[] {10, 1000});
    m.put("failed_pin_window_s", new long[] {86_400, 30 * 86_400});
    m.put("small_payment_fen", new long[] {50, 100_000});
    m.put("small_payment_max", new long[] {30, 100_000});
    m.put("small_payment_window_s", new long[] {600, 86_400});
    return java.util.Collections.unmodifiableMap(m);
  }
}
