package dev.hutong.pay;

import static dev.hutong.pay.PayFixture.APP;
import static dev.hutong.pay.PayFixture.PIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.identity.Merchant;
import dev.hutong.identity.User;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.Tag;

/**
 * Random sequences of refund requests (new and repeated out_request_nos, any amounts) against the
 * real service and ledger: the refunds never exceed what was paid, a repeat never moves money, and
 * both invariant checkers hold after every sequence.
 */
@Tag("db")
class RefundSequencePropertiesTest {
  static PayFixture f;
  static final AtomicInteger trades = new AtomicInteger();

  @BeforeContainer
  static void start() {
    f = new PayFixture("refund_props", Clock.systemUTC(), PaySettings.defaults("http://127.0.0.1:8080"));
  }

  @AfterContainer
  static void stop() {
    f.close();
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<Integer, Long>>> requests() {
    return Arbitraries.integers().between(0, 5)
        .flatMap(key -> Arbitraries.longs().between(1, 60_00).map(amount -> Tuple.of(key, amount)))
        .list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 25)
  void refundsNeverExceedThePaidAmount(@ForAll("requests") List<Tuple.Tuple2<Integer, Long>> requests,
      @ForAll("paidAmounts") long paid) throws Exception {
    User buyer = f.user(paid);
    Merchant m = f.merchant("0.006");
    String out = "p-" + trades.incrementAndGet();
    Trade t = f.cashier.confirm(buyer.id(), f.trades.create(f.create(m, out, paid, buyer.id()))
        .tradeNo(), PIN).trade();
    TradeRef ref = TradeRef.byTradeNo(APP, t.tradeNo());
    Map<String, Long> done = new HashMap<>();
    for (Tuple.Tuple2<Integer, Long> r : requests) {
      String no = "r" + r.get1();
      long before = f.balance(buyer);
      try {
        RefundResult res = f.trades.refund(new RefundRequest(ref, r.get2(), no, null));
        if (done.containsKey(no)) {
          assertThat(res.fundChange()).isFalse();
          assertThat(f.balance(buyer)).isEqualTo(before);
        } else {
          done.put(no, r.get2());
          assertThat(f.balance(buyer)).isEqualTo(before + r.get2());
        }
      } catch (TradeException e) {
        assertThat(e.error()).isIn(TradeError.REFUND_AMT_NOT_EQUAL_TOTAL,
            TradeError.DISCORDANT_REPEAT_REQUEST, TradeError.TRADE_HAS_CLOSE);
        assertThat(f.balance(buyer)).isEqualTo(before);
      }
    }
    long refunded = done.values().stream().mapToLong(Long::longValue).sum();
    assertThat(refunded).isLessThanOrEqualTo(paid);
    Trade after = f.trades.query(ref);
    assertThat(after.refundAmount()).isEqualTo(refunded);
    assertThat(after.status()).isEqualTo(refunded == paid ? TradeStatus.TRADE_CLOSED
        : TradeStatus.TRADE_SUCCESS);
    assertThat(f.balance(buyer)).isEqualTo(refunded);
    f.assertInvariants();
  }

  @Provide
  Arbitrary<Long> paidAmounts() {
    return Arbitraries.longs().between(1, 100_00);
  }
}
