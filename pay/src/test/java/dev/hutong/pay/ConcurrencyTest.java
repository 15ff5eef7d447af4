package dev.hutong.pay;

import static dev.hutong.pay.PayFixture.APP;
import static dev.hutong.pay.PayFixture.PIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.identity.Merchant;
import dev.hutong.identity.User;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Threads racing the same request: one trade, one payment, one refund. */
@Tag("db")
class ConcurrencyTest {
  static final int THREADS = 8;
  static PayFixture f;
  static ExecutorService pool;

  @BeforeAll
  static void start() {
    f = new PayFixture("concurrency", Clock.systemUTC(), PaySettings.defaults("http://127.0.0.1:8080"));
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterAll
  static void stop() {
    pool.shutdown();
    f.close();
  }

  @AfterEach
  void invariants() throws Exception {
    f.assertInvariants();
  }

  /** Runs {@code call} on THREADS threads released together; returns results or exceptions. */
  static <T> List<Object> race(Callable<T> call) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      futures.add(pool.submit(() -> {
        go.await();
        try {
          return call.call();
        } catch (TradeException e) {
          return e.error();
        }
      }));
    }
    go.countDown();
    List<Object> out = new ArrayList<>();
    for (Future<Object> fu : futures) {
      out.add(fu.get());
    }
    return out;
  }

  @Test
  void duplicateCreatesMakeOneTrade() throws Exception {
    Merchant m = f.merchant("0.006");
    List<Object> results = race(() -> f.trades.create(f.create(m, "dup-1", 9_99, null)).tradeNo());
    assertThat(new HashSet<>(results)).hasSize(1);
    int count = f.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM pay_trade WHERE app_id = :a"
        + " AND out_trade_no = 'dup-1'").bind("a", APP).mapTo(Integer.class).one());
    assertThat(count).isEqualTo(1);
  }

  @Test
  void duplicateConfirmsPayOnce() throws Exception {
    User buyer = f.user(100_00);
    Merchant m = f.merchant("0.006");
    Trade t = f.trades.create(f.create(m, "dup-2", 10_00, buyer.id()));
    List<Object> results = race(() -> f.cashier.confirm(buyer.id(), t.tradeNo(), PIN).trade().status());
    // Every racer either paid or saw the payment (some may be refused a PIN check while others
    // hold the attempt, but money moves once).
    assertThat(results).contains(TradeStatus.TRADE_SUCCESS);
    assertThat(f.balance(buyer)).isEqualTo(90_00);
    assertThat(f.balance(m)).isEqualTo(10_00 - 6);
  }

  @Test
  void duplicateRefundsRefundOnce() throws Exception {
    User buyer = f.user(100_00);
    Merchant m = f.merchant("0.006");
    Trade t = f.cashier.confirm(buyer.id(),
        f.trades.create(f.create(m, "dup-3", 50_00, buyer.id())).tradeNo(), PIN).trade();
    TradeRef ref = TradeRef.byTradeNo(APP, t.tradeNo());
    List<Object> results = race(() -> f.trades.refund(new RefundRequest(ref, 20_00, "same", null))
        .refund().id());
    assertThat(new HashSet<>(results)).hasSize(1);
    assertThat(f.balance(buyer)).isEqualTo(50_00 + 20_00);
    assertThat(f.trades.refunds(t.tradeNo())).hasSize(1);
  }

  @Test
  void racingDistinctRefundsNeverExceedThePaidAmount() throws Exception {
    User buyer = f.user(100_00);
    Merchant m = f.merchant("0.006");
    Trade t = f.cashier.confirm(buyer.id(),
        f.trades.create(f.create(m, "dup-4", 30_00, buyer.id())).tradeNo(), PIN).trade();
    TradeRef ref = TradeRef.byTradeNo(APP, t.tradeNo());
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    List<Object> results = race(() -> f.trades.refund(new RefundRequest(ref, 10_00,
        "r" + n.incrementAndGet(), null)).refund().status());
    long ok = results.stream().filter(r -> r == RefundStatus.SUCCESS).count();
    assertThat(ok).isEqualTo(3);
    assertThat(results.stream().filter(r -> r == TradeError.REFUND_AMT_NOT_EQUAL_TOTAL
        || r == TradeError.TRADE_HAS_CLOSE).count()).isEqualTo(THREADS - 3);
    assertThat(f.balance(buyer)).isEqualTo(100_00);
    assertThat(f.trades.query(ref).status()).isEqualTo(TradeStatus.TRADE_CLOSED);
  }

  @Test
  void duplicatePaymentCodeScansPayOnce() throws Exception {
    User buyer = f.user(100_00);
    Merchant m = f.merchant("0");
    String code = f.codes.issue(buyer.id()).code();
    List<Object> results = race(() -> f.trades.pay(TradesTest.payRequest(m, "dup-5", code, 7_00))
        .status());
    assertThat(results.stream().filter(r -> r == TradeStatus.TRADE_SUCCESS).count()).isEqualTo(1);
    Set<Object> others = new HashSet<>(results);
    others.remove(TradeStatus.TRADE_SUCCESS);
    assertThat(others).isSubsetOf(TradeError.PAYMENT_AUTH_CODE_INVALID, TradeError.TRADE_HAS_SUCCESS);
    assertThat(f.balance(buyer)).isEqualTo(93_00);
  }
}
