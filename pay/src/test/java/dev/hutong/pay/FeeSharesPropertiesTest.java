package dev.hutong.pay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.identity.FeeRate;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The fee given back with refunds, under random sequences of refunds (some of which fail). */
class FeeSharesPropertiesTest {
  record Step(long amount, boolean fails) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(Arbitraries.longs().between(1, 5_000_00),
        Arbitraries.integers().between(0, 4)).as((a, k) -> new Step(a, k == 0)).list().ofMaxSize(30);
  }

  @Property(tries = 500)
  void feeGivenBackNeverExceedsTheFeeAndAFullRefundGivesAllOfItBack(
      @ForAll @LongRange(min = 1, max = 10_000_000_000L) long paid,
      @ForAll @IntRange(min = 0, max = 1_000_000) int ppm,
      @ForAll("steps") List<Step> steps) {
    long fee = new FeeRate(ppm).feeFor(paid);
    long refunded = 0;
    long feeBack = 0;
    List<long[]> live = new ArrayList<>();
    for (Step s : steps) {
      long amount = Math.min(s.amount(), paid - refunded);
      if (amount == 0) {
        break;
      }
      long share = FeeShares.feeRefund(fee, paid, refunded, feeBack, amount);
      assertThat(share).isBetween(0L, fee - feeBack);
      if (s.fails()) {
        continue; // a failed refund gives nothing back and reserves nothing
      }
      refunded += amount;
      feeBack += share;
      live.add(new long[] {amount, share});
      assertThat(feeBack).isLessThanOrEqualTo(fee);
    }
    if (refunded < paid) {
      long share = FeeShares.feeRefund(fee, paid, refunded, feeBack, paid - refunded);
      feeBack += share;
    }
    assertThat(feeBack).isEqualTo(fee);
  }

  @Property
  void aSingleFullRefundGivesBackTheWholeFee(
      @ForAll @LongRange(min = 1, max = 10_000_000_000L) long paid,
      @ForAll @IntRange(min = 0, max = 1_000_000) int ppm) {
    long fee = new FeeRate(ppm).feeFor(paid);
    assertThat(FeeShares.feeRefund(fee, paid, 0, 0, paid)).isEqualTo(fee);
  }

  @Property
  void aPartialRefundGivesBackTheRoundedProportion(
      @ForAll @LongRange(min = 2, max = 1_000_000_00) long paid,
      @ForAll @Size(max = 1) List<@IntRange(min = 1, max = 999) Integer> permille) {
    long fee = new FeeRate(6000).feeFor(paid);
    long part = Math.max(1, Math.min(paid - 1, paid * (permille.isEmpty() ? 500 : permille.get(0)) / 1000));
    long share = FeeShares.feeRefund(fee, paid, 0, 0, part);
    double exact = (double) fee * part / paid;
    assertThat((double) share).isCloseTo(exact, org.assertj.core.data.Offset.offset(0.5));
  }
}
