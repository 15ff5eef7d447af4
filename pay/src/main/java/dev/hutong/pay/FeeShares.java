package dev.hutong.pay;

import java.math.BigInteger;

/**
 * How much of a trade's fee goes back to the merchant with a refund: the fee's share of the
 * refunded amount, cumulatively. With S the amount already refunded (or being refunded) and Fs the
 * fee already given back for it, a refund of {@code a} gives back
 * {@code round_half_up(fee × (S + a) / paid) − Fs}, clamped to [0, fee − Fs]; the refund that
 * completes the paid amount gives back exactly {@code fee − Fs}. So the fee given back never
 * exceeds the fee taken, and a full refund — in one piece or many — gives back all of it.
 */
final class FeeShares {
  private FeeShares() {}

  static long feeRefund(long fee, long paid, long refundedBefore, long feeRefundedBefore,
      long amount) {
    if (fee < 0 || paid <= 0 || amount <= 0 || refundedBefore < 0
        || refundedBefore + amount > paid || feeRefundedBefore < 0 || feeRefundedBefore > fee) {
      throw new IllegalArgumentException("inconsistent fee share: fee=" + fee + " paid=" + paid
          + " refunded=" + refundedBefore + " feeRefunded=" + feeRefundedBefore + " amount=" + amount);
    }
    long left = fee - feeRefundedBefore;
    if (refundedBefore + amount == paid) {
      return left;
    }
    BigInteger numerator = BigInteger.valueOf(fee).multiply(BigInteger.valueOf(refundedBefore + amount));
    BigInteger[] qr = numerator.divideAndRemainder(BigInteger.valueOf(paid));
    long target = qr[0].longValueExact()
        + (qr[1].shiftLeft(1).compareTo(BigInteger.valueOf(paid)) >= 0 ? 1 : 0);
    return Math.max(0, Math.min(left, target - feeRefundedBefore));
  }
}
