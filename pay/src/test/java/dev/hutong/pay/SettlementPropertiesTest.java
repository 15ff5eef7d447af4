package dev.hutong.pay;

import static dev.hutong.pay.PayFixture.PIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.db.MutableClock;
import dev.hutong.identity.FundingResult;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random days of payments, partial refunds, on-demand payouts (some too large) and T+1 sweeps
 * (some repeated) for one merchant, against the real ledger: the settlement balance is always
 * earnings less payouts, payouts never exceed earnings, a repeated sweep moves nothing, a sweep
 * never pays out money earned on the day it runs, and every invariant checker holds.
 */
@Tag("db")
class SettlementPropertiesTest {
  static MutableClock clock = new MutableClock(Instant.parse("2026-05-01T01:00:00Z"));
  static PayFixture f;
  static final AtomicInteger ids = new AtomicInteger();

  enum Op { PAY, REFUND, PAYOUT, NEXT_DAY_SWEEP, SWEEP_AGAIN }

  @BeforeContainer
  static void start() {
    f = new PayFixture("settlement_props", clock, PaySettings.defaults("http://127.0.0.1:8080"));
  }

  @AfterContainer
  static void stop() {
    f.close();
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<Op, Long>>> days() {
    return Arbitraries.of(Op.class)
        .flatMap(op -> Arbitraries.longs().between(1, 400_00).map(n -> Tuple.of(op, n)))
        .list().ofMinSize(1).ofMaxSize(16);
  }

  @Property(tries = 20)
  void settlementBalancesAlwaysAddUp(@ForAll("days") List<Tuple.Tuple2<Op, Long>> ops)
      throws Exception {
    Merchant m = f.microMerchant();
    User buyer = f.user(100_000_00);
    String code = f.collectCodes.codeFor(m.id());
    List<Trade> paid = new ArrayList<>();
    MerchantTrades portal = new MerchantTrades(f.trades);
    for (Tuple.Tuple2<Op, Long> step : ops) {
      long n = step.get2();
      switch (step.get1()) {
        case PAY -> paid.add(f.cashier.payCollectCode(buyer.id(), code, 51 + n, PIN,
            "p" + ids.incrementAndGet()).trade());
        case REFUND -> {
          if (!paid.isEmpty()) {
            Trade t = portal.get(m.id(), paid.get((int) (n % paid.size())).tradeNo());
            long left = t.receiptAmount() - t.refundAmount();
            if (left > 0) {
              long amount = 1 + n % left;
              long balance = f.settlement.balance(m.id());
              try {
                portal.refund(m.id(), t.tradeNo(), amount, "r" + ids.incrementAndGet(), null);
              } catch (TradeException e) {
                // paid out already: the refund waits for money, nothing moves
                assertThat(e.error()).isEqualTo(TradeError.SELLER_BALANCE_NOT_ENOUGH);
                assertThat(balance).isLessThan(amount);
                assertThat(f.settlement.balance(m.id())).isEqualTo(balance);
              }
            }
          }
        }
        case PAYOUT -> {
          long before = f.settlement.balance(m.id());
          FundingResult r = f.settlement.payout(m.id(), n, "o" + ids.incrementAndGet());
          assertThat(r.succeeded()).isEqualTo(n <= before);
        }
        case NEXT_DAY_SWEEP -> {
          clock.advance(Duration.ofDays(1));
          long earnedToday = 0; // nothing earned yet on the new day
          long before = f.settlement.balance(m.id());
          f.settlement.sweepDue();
          assertThat(f.settlement.balance(m.id())).isGreaterThanOrEqualTo(earnedToday)
              .isLessThanOrEqualTo(before);
        }
        case SWEEP_AGAIN -> {
          long before = f.settlement.balance(m.id());
          f.settlement.sweepDue();
          assertThat(f.settlement.balance(m.id())).isEqualTo(before);
        }
        default -> throw new IllegalStateException();
      }
      assertBalanceIsEarningsLessPayouts(m);
    }
    f.assertInvariants();
  }

  static void assertBalanceIsEarningsLessPayouts(Merchant m) {
    SettlementSummary s = f.settlement.summary(m.id());
    long earned = s.grossFen() - s.feesFen() - s.refundedFen() + s.feesReturnedFen();
    assertThat(s.balanceFen()).isEqualTo(earned - s.paidOutFen());
    assertThat(s.paidOutFen()).isLessThanOrEqualTo(earned);
    assertThat(s.settleableFen()).isBetween(0L, s.balanceFen());
  }
}
