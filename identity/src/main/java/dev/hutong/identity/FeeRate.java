package dev.hutong.identity;

import java.math.BigDecimal;

/**
 * A merchant's fee as parts per million of the amount paid: 0.6% is 6000 ppm. Decimal strings at
 * the edges ("0.006"), integers inside; never a double.
 */
public record FeeRate(int ppm) {
  public static final int PPM_MAX = 1_000_000;
  public static final FeeRate ZERO = new FeeRate(0);

  public FeeRate {
    if (ppm < 0 || ppm > PPM_MAX) {
      throw new IdentityException(IdentityError.INVALID_FEE_RATE);
    }
  }

  /** Parses "0.006" (a fraction, not a percentage): 0 to 1, at most 6 decimals, no exponent. */
  public static FeeRate parse(String text) {
    if (text == null || !text.matches("(0|1)(\\.[0-9]{1,6})?")) {
      throw new IdentityException(IdentityError.INVALID_FEE_RATE);
    }
    BigDecimal ppm = new BigDecimal(text).movePointRight(6);
    if (ppm.compareTo(BigDecimal.valueOf(PPM_MAX)) > 0) {
      throw new IdentityException(IdentityError.INVALID_FEE_RATE);
    }
    return new FeeRate(ppm.intValueExact());
  }

  /** The fraction as a plain decimal string without trailing zeros: 6000 ppm is "0.006". */
  public String format() {
    BigDecimal d = BigDecimal.valueOf(ppm, 6).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
  }

  /**
   * The fee on {@code amountFen}: amount × ppm / 1,000,000, rounded half up to the fen. Exact in
   * long arithmetic for every amount the platform accepts (at most 10^10 fen × 10^6).
   */
  public long feeFor(long amountFen) {
    if (amountFen < 0 || amountFen > 1_000_000_000_000L) {
      throw new IllegalArgumentException("amount out of range: " + amountFen);
    }
    return roundHalfUp(amountFen * ppm, PPM_MAX);
  }

  /** numerator / denominator rounded half up, for non-negative numerator and positive denominator. */
  public static long roundHalfUp(long numerator, long denominator) {
    return (numerator + denominator / 2) / denominator;
  }
}
