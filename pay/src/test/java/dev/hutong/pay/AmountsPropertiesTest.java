package dev.hutong.pay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class AmountsPropertiesTest {
  @Property
  void formatThenParseIsTheIdentity(@ForAll @LongRange(min = 1, max = 10_000_000_000L) long fen) {
    String text = Amounts.format(fen);
    assertThat(text).matches("(0|[1-9][0-9]*)\\.[0-9]{2}");
    assertThat(Amounts.parse("total_amount", text)).isEqualTo(fen);
    assertThat(new BigDecimal(text).movePointRight(2).longValueExact()).isEqualTo(fen);
  }

  @Property
  void shorterDecimalFormsParseToTheSameFen(@ForAll @LongRange(min = 1, max = 99_999_999) long yuan) {
    assertThat(Amounts.parse("a", Long.toString(yuan))).isEqualTo(yuan * 100);
    assertThat(Amounts.parse("a", yuan + ".5")).isEqualTo(yuan * 100 + 50);
  }

  @Example
  void edgesAndMalformedAmounts() {
    assertThat(Amounts.parse("a", "0.01")).isEqualTo(1);
    assertThat(Amounts.parse("a", "100000000.00")).isEqualTo(10_000_000_000L);
    assertThat(Amounts.format(0)).isEqualTo("0.00");
    assertThat(Amounts.format(5)).isEqualTo("0.05");
    assertThat(Amounts.format(1230)).isEqualTo("12.30");
    for (String bad : new String[] {"0", "0.00", "0.001", "100000000.01", "1e2", "1E2", "-1.00",
        "+1.00", " 1.00", "1.00 ", "01.00", "1.", ".5", "1,00", "1.000", "NaN", "", "１.00",
        "999999999999"}) {
      assertThatThrownBy(() -> Amounts.parse("total_amount", bad)).as(bad)
          .isInstanceOfSatisfying(TradeException.class,
              e -> assertThat(e.error()).isEqualTo(TradeError.INVALID_PARAMETER));
    }
    assertThatThrownBy(() -> Amounts.parse("total_amount", null)).isInstanceOf(TradeException.class);
  }

  @Example
  void alipayTimesAreGmtPlus8() {
    Instant t = Instant.parse("2026-11-24T16:30:05.123Z");
    assertThat(AlipayTimes.format(t)).isEqualTo("2026-11-25 00:30:05");
    assertThat(AlipayTimes.formatMillis(t)).isEqualTo("2026-11-25 00:30:05.123");
    assertThat(AlipayTimes.parse("x", "2026-11-25 00:30:05")).isEqualTo(t.minusMillis(123));
    assertThatThrownBy(() -> AlipayTimes.parse("x", "2026-02-30 00:00:00"))
        .isInstanceOf(TradeException.class);
  }

  @Example
  void timeoutExpressions() {
    Instant created = Instant.parse("2026-11-24T15:00:00Z"); // 23:00 in GMT+8
    Duration def = Duration.ofHours(2);
    assertThat(TradeTimeouts.expiry(created, "15m", null, def)).isEqualTo(created.plusSeconds(900));
    assertThat(TradeTimeouts.expiry(created, "2h", null, def)).isEqualTo(created.plusSeconds(7200));
    assertThat(TradeTimeouts.expiry(created, "1d", null, def)).isEqualTo(created.plusSeconds(86400));
    assertThat(TradeTimeouts.expiry(created, "15d", null, def))
        .isEqualTo(created.plus(Duration.ofDays(15)));
    assertThat(TradeTimeouts.expiry(created, "1c", null, def))
        .isEqualTo(Instant.parse("2026-11-24T16:00:00Z")); // GMT+8 midnight
    assertThat(TradeTimeouts.expiry(created, null, null, def)).isEqualTo(created.plus(def));
    assertThat(TradeTimeouts.expiry(created, "15m", "2026-11-25 01:00:00", def))
        .isEqualTo(Instant.parse("2026-11-24T17:00:00Z"));
    for (String bad : new String[] {"0m", "16d", "1.5h", "2c", "10s", "m", "1 h", "-1m"}) {
      assertThatThrownBy(() -> TradeTimeouts.expiry(created, bad, null, def)).as(bad)
          .isInstanceOf(TradeException.class);
    }
    assertThatThrownBy(() -> TradeTimeouts.expiry(created, null, "2026-11-24 22:00:00", def))
        .isInstanceOf(TradeException.class);
    assertThatThrownBy(() -> TradeTimeouts.expiry(created, null, "2026-12-30 00:00:00", def))
        .isInstanceOf(TradeException.class);
  }
}
