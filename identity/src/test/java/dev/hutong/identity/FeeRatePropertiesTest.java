package dev.hutong.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class FeeRatePropertiesTest {
  @Property
  void feeIsTheExactProductRoundedHalfUp(
      @ForAll @LongRange(min = 0, max = 10_000_000_000L) long amount,
      @ForAll @IntRange(min = 0, max = 1_000_000) int ppm) {
    long expected = BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(ppm))
        .divide(BigDecimal.valueOf(1_000_000), 0, RoundingMode.HALF_UP).longValueExact();
    assertThat(new FeeRate(ppm).feeFor(amount)).isEqualTo(expected).isBetween(0L, amount);
  }

  @Property
  void formatAndParseRoundTrip(@ForAll @IntRange(min = 0, max = 1_000_000) int ppm) {
    FeeRate rate = new FeeRate(ppm);
    assertThat(FeeRate.parse(rate.format())).isEqualTo(rate);
  }

  @Example
  void parsesOnlyPlainFractions() {
    assertThat(FeeRate.parse("0.006").ppm()).isEqualTo(6000);
    assertThat(FeeRate.parse("0").ppm()).isZero();
    assertThat(FeeRate.parse("1").ppm()).isEqualTo(1_000_000);
    assertThat(new FeeRate(6000).feeFor(10_000)).isEqualTo(60);
    assertThat(new FeeRate(6000).feeFor(83)).isEqualTo(0);  // 0.498 fen
    assertThat(new FeeRate(6000).feeFor(84)).isEqualTo(1);  // 0.504 fen
    assertThat(new FeeRate(5000).feeFor(100)).isEqualTo(1); // exactly 0.5 fen rounds up
    for (String bad : new String[] {"1.1", "0.0000001", "6e-3", "-0.1", ".5", "0,006", "", "0.6%"}) {
      assertThatThrownBy(() -> FeeRate.parse(bad)).isInstanceOf(IdentityException.class);
    }
  }
}
