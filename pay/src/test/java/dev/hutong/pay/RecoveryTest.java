package dev.hutong.pay;

import static dev.hutong.pay.PayFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.db.MutableClock;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.User;
import dev.hutong.ledger.CreateTransferResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Crashes between the steps of a payment or refund, made by calling the steps in the order a
 * crash would leave them (and restarting the ledger, as a process restart would), then recovery.
 */
@Tag("db")
class RecoveryTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T02:00:00Z"));
  static PayFixture f;

  @BeforeAll
  static void start() {
    f = new PayFixture("recovery", clock, PaySettings.defaults("http://127.0.0.1:8080"));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @AfterEach
  void invariants() throws Exception {
    f.assertInvariants();
  }

  @Test
  void crashAfterTheLedgerCommittedThePaymentIsMarkedPaidByRecovery() throws Exception {
    User buyer = f.user(50_00);
    Merchant m = f.merchant("0.006");
    Trade t = f.trades.create(f.create(m, "c-1", 20_00, buyer.id()));
    Trade attempt = f.trades.payments.begin(t.tradeNo(), buyer.id());
    assertThat(attempt.payTransferId()).isNotNull();
    assertThat(f.trades.payments.submit(attempt)).containsOnly(CreateTransferResult.CREATED);
    // crash: the trade row never heard the ledger's answer
    f.restart();
    assertThat(f.trades.query(TradeRef.byTradeNo(APP, t.tradeNo())).status())
        .isEqualTo(TradeStatus.WAIT_BUYER_PAY);
    assertThat(PayInvariants.violations(f.ds)).isNotEmpty(); // a posted transfer, an unpaid trade
    TradeRecovery.Pass pass = f.recovery.runOnce(Duration.ZERO);
    assertThat(pass.paymentsSettled()).isEqualTo(1);
    Trade after = f.trades.query(TradeRef.byTradeNo(APP, t.tradeNo()));
    assertThat(after.status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
    assertThat(after.payTransferId()).isEqualTo(attempt.payTransferId());
    assertThat(f.notification(t.tradeNo(), "paid")).containsEntry("trade_status", "TRADE_SUCCESS");
    assertThat(f.balance(buyer)).isEqualTo(30_00);
    // A second pass, or the buyer retrying, changes nothing.
    assertThat(f.recovery.runOnce(Duration.ZERO).seen()).isZero();
    assertThat(f.cashier.confirm(buyer.id(), t.tradeNo(), PayFixture.PIN).trade().paidAt())
        .isEqualTo(after.paidAt());
    assertThat(f.balance(buyer)).isEqualTo(30_00);
  }

  @Test
  void crashBeforeTheLedgerSawThePaymentRollsTheConfirmedPaymentForward() {
    User buyer = f.user(50_00);
    Merchant m = f.merchant("0");
    Trade t = f.trades.create(f.create(m, "c-2", 20_00, buyer.id()));
    f.trades.payments.begin(t.tradeNo(), buyer.id());
    f.restart();
    // The attempt blocks closing until it is settled.
    assertThatThrownBy(() -> f.trades.close(TradeRef.byTradeNo(APP, t.tradeNo())))
        .isInstanceOf(TradeException.class);
    // (close settled it first: the payment went through, so close refuses)
    assertThat(f.trades.query(TradeRef.byTradeNo(APP, t.tradeNo())).status())
        .isEqualTo(TradeStatus.TRADE_SUCCESS);
    assertThat(f.balance(buyer)).isEqualTo(30_00);
  }

  @Test
  void crashBeforeTheLedgerWithoutMoneyFailsTheAttemptForGood() {
    User buyer = f.user(5_00);
    Merchant m = f.merchant("0");
    Trade t = f.trades.create(f.create(m, "c-3", 20_00, buyer.id()));
    Trade attempt = f.trades.payments.begin(t.tradeNo(), buyer.id());
    f.restart();
    TradeRecovery.Pass pass = f.recovery.runOnce(Duration.ZERO);
    assertThat(pass.paymentsSeen()).isEqualTo(1);
    Trade after = f.trades.query(TradeRef.byTradeNo(APP, t.tradeNo()));
    assertThat(after.status()).isEqualTo(TradeStatus.WAIT_BUYER_PAY);
    assertThat(after.payTransferId()).isNull();
    // The spent ids can never succeed later, even with money.
    f.bank.topUp(new dev.hutong.identity.TopUp(buyer.id(), 50_00, "more", null));
    assertThat(f.trades.payments.submit(attempt)).contains(CreateTransferResult.ID_ALREADY_FAILED);
    assertThat(f.cashier.confirm(buyer.id(), t.tradeNo(), PayFixture.PIN).trade().payAttempt())
        .isEqualTo(2);
  }

  @Test
  void aPaymentCodePaymentWrittenDownBeforeTheLedgerSawItIsFinishedByRecovery() {
    User buyer = f.user(50_00);
    Merchant m = f.merchant("0.006");
    String code = f.codes.issue(buyer.id()).code();
    // The code, the trade and its attempt commit together; then the process "dies" before the
    // ledger hears of it (a stopped ledger refuses the submission).
    f.ledger.close();
    assertThatThrownBy(() -> f.trades.pay(TradesTest.payRequest(m, "pc-1", code, 20_00)))
        .isInstanceOf(IllegalStateException.class);
    f.restart();
    Trade inFlight = f.trades.query(TradeRef.byOutTradeNo(APP, "pc-1"));
    assertThat(inFlight.status()).isEqualTo(TradeStatus.WAIT_BUYER_PAY);
    assertThat(inFlight.payTransferId()).isNotNull();
    assertThat(inFlight.payAttempt()).isEqualTo(1);
    assertThat(f.balance(buyer)).isEqualTo(50_00);
    // The code was spent in that commit.
    PayFixture.assertSubCode(() -> f.trades.pay(TradesTest.payRequest(m, "pc-2", code, 1_00)),
        TradeError.PAYMENT_AUTH_CODE_INVALID);
    TradeRecovery.Pass pass = f.recovery.runOnce(Duration.ZERO);
    assertThat(pass.paymentsSettled()).isEqualTo(1);
    Trade after = f.trades.query(TradeRef.byOutTradeNo(APP, "pc-1"));
    assertThat(after.status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
    assertThat(after.payTransferId()).isEqualTo(inFlight.payTransferId());
    assertThat(f.notification(after.tradeNo(), "paid")).containsEntry("trade_status", "TRADE_SUCCESS");
    assertThat(f.balance(buyer)).isEqualTo(30_00);
  }

  @Test
  void periodicRecoveryLeavesYoungAttemptsToTheirRequests() {
    User buyer = f.user(50_00);
    Merchant m = f.merchant("0");
    Trade t = f.trades.create(f.create(m, "c-4", 1_00, buyer.id()));
    Trade attempt = f.trades.payments.begin(t.tradeNo(), buyer.id());
    assertThat(f.recovery.runOnce(Duration.ofSeconds(10)).seen()).isZero();
    clock.advance(Duration.ofSeconds(11));
    assertThat(f.recovery.runOnce(Duration.ofSeconds(10)).paymentsSettled()).isEqualTo(1);
    assertThat(f.trades.payments.submit(attempt)).containsOnly(CreateTransferResult.EXISTS);
  }

  @Test
  void crashAfterTheLedgerCommittedARefundIsMarkedByRecovery() {
    User buyer = f.user(50_00);
    Merchant m = f.merchant("0.006");
    Trade t = f.cashier.confirm(buyer.id(),
        f.trades.create(f.create(m, "c-5", 40_00, buyer.id())).tradeNo(), PayFixture.PIN).trade();
    Refunds.Step step = f.trades.refunds.begin(t.tradeNo(), "r-1", 10_00, null);
    assertThat(f.trades.refunds.submit(step.trade(), step.refund()))
        .containsOnly(CreateTransferResult.CREATED);
    f.restart();
    assertThat(f.trades.refunds(t.tradeNo()).get(0).status()).isEqualTo(RefundStatus.PROCESSING);
    assertThat(f.recovery.runOnce(Duration.ZERO).refundsSettled()).isEqualTo(1);
    Refund r = f.trades.refunds(t.tradeNo()).get(0);
    assertThat(r.status()).isEqualTo(RefundStatus.SUCCESS);
    assertThat(f.trades.query(TradeRef.byTradeNo(APP, t.tradeNo())).refundAmount()).isEqualTo(10_00);
    assertThat(f.balance(buyer)).isEqualTo(20_00);
    // The merchant's retry answers the original figures and moves nothing.
    RefundResult again = f.trades.refund(new RefundRequest(TradeRef.byTradeNo(APP, t.tradeNo()),
        10_00, "r-1", null));
    assertThat(again.fundChange()).isFalse();
    assertThat(f.balance(buyer)).isEqualTo(20_00);
  }

  @Test
  void aRefundWrittenDownBeforeACrashIsFinishedByTheMerchantsRetry() {
    User buyer = f.user(50_00);
    Merchant m = f.merchant("0");
    Trade t = f.cashier.confirm(buyer.id(),
        f.trades.create(f.create(m, "c-6", 40_00, buyer.id())).tradeNo(), PayFixture.PIN).trade();
    Refunds.Step step = f.trades.refunds.begin(t.tradeNo(), "r-2", 15_00, null);
    f.restart();
    RefundResult r = f.trades.refund(new RefundRequest(TradeRef.byTradeNo(APP, t.tradeNo()),
        15_00, "r-2", null));
    assertThat(r.refund().id()).isEqualTo(step.refund().id());
    assertThat(r.refund().status()).isEqualTo(RefundStatus.SUCCESS);
    assertThat(f.balance(buyer)).isEqualTo(25_00);
    List<Refund> all = f.trades.refunds(t.tradeNo());
    assertThat(all).hasSize(1);
  }

  @Test
  void payJobsRecoverAtStartBeforeTakingTraffic() {
    User buyer = f.user(50_00);
    Merchant m = f.merchant("0");
    Trade t = f.trades.create(f.create(m, "c-7", 7_00, buyer.id()));
    Trade attempt = f.trades.payments.begin(t.tradeNo(), buyer.id());
    f.trades.payments.submit(attempt);
    f.restart();
    try (PayJobs jobs = new PayJobs(f.recovery, f.sweeper, f.settings, Duration.ofHours(1))) {
      jobs.start();
      assertThat(f.trades.query(TradeRef.byTradeNo(APP, t.tradeNo())).status())
          .isEqualTo(TradeStatus.TRADE_SUCCESS);
    }
  }
}
