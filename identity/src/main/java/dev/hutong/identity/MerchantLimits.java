package dev.hutong.identity;

/**
 * What a merchant may take: at most {@code paymentLimitFen} per payment and {@code dayLimitFen}
 * per GMT+8 day (paid totals, before refunds). Zero means no limit.
 */
public record MerchantLimits(MerchantTier tier, long paymentLimitFen, long dayLimitFen) {
  /** The most a limit may be: 1,000,000,000.00. */
  public static final long LIMIT_FEN_MAX = 100_000_000_000L;
  /** A new micro-merchant: 1,000.00 per payment, 10,000.00 per day. */
  public static final MerchantLimits MICRO =
      new MerchantLimits(MerchantTier.MICRO, 100_000L, 1_000_000L);
  public static final MerchantLimits NONE = new MerchantLimits(MerchantTier.STANDARD, 0, 0);

  public MerchantLimits {
    if (tier == null || paymentLimitFen < 0 || dayLimitFen < 0 || paymentLimitFen > LIMIT_FEN_MAX
        || dayLimitFen > LIMIT_FEN_MAX
        || (paymentLimitFen > 0 && dayLimitFen > 0 && paymentLimitFen > dayLimitFen)) {
      throw new IdentityException(IdentityError.INVALID_LIMIT);
    }
  }
}
