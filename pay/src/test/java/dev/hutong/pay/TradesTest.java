package dev.hutong.pay;

import static dev.hutong.pay.PayFixture.APP;
import static dev.hutong.pay.PayFixture.NOTIFY_URL;
import static dev.hutong.pay.PayFixture.OTHER_APP;
import static dev.hutong.pay.PayFixture.PIN;
import static dev.hutong.pay.PayFixture.assertSubCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.db.MutableClock;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.MerchantStatus;
import dev.hutong.identity.Payout;
import dev.hutong.identity.User;
import dev.hutong.identity.UserStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("db")
class TradesTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T02:00:00Z"));
  static PayFixture f;

  @BeforeAll
  static void start() {
    f = new PayFixture("trades", clock, PaySettings.defaults("http://127.0.0.1:8080"));
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
  void createdTradeIsPaidThroughTheCashierWithTheFeeInTheSameChain() {
    User buyer = f.user(100_00);
    Merchant m = f.merchant("0.006");
    Trade t = f.trades.create(f.create(m, "o-1", 12_34, buyer.id()));
    assertThat(t.status()).isEqualTo(TradeStatus.WAIT_BUYER_PAY);
    assertThat(t.tradeNo()).matches("20261124" + "2200[0-9]{16}");
    assertThat(t.feeAmount()).isEqualTo(7); // 12.34 × 0.6% = 7.404 fen
    assertThat(f.trades.query(TradeRef.byTradeNo(APP, t.tradeNo()))).isEqualTo(t);
    assertThat(f.trades.query(TradeRef.byOutTradeNo(APP, "o-1"))).isEqualTo(t);
    assertSubCode(() -> f.trades.query(TradeRef.byTradeNo(OTHER_APP, t.tradeNo())),
        TradeError.TRADE_NOT_EXIST);
    assertSubCode(() -> f.trades.query(TradeRef.byOutTradeNo(APP, "nope")), TradeError.TRADE_NOT_EXIST);
    assertSubCode(() -> f.trades.query(new TradeRef(APP, null, null)), TradeError.INVALID_PARAMETER);

    CashierResult r = f.cashier.confirm(buyer.id(), t.tradeNo(), PIN);
    assertThat(r.resultCode()).isEqualTo("9000");
    Trade paid = r.trade();
    assertThat(paid.status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
    assertThat(paid.receiptAmount()).isEqualTo(12_34);
    assertThat(paid.paidAt()).isEqualTo(clock.instant());
    assertThat(f.balance(buyer)).isEqualTo(100_00 - 12_34);
    assertThat(f.balance(m)).isEqualTo(12_34 - 7);
    // The whole chain went through one ledger request: both ids are on the row and posted.
    assertThat(f.ledger.lookupTransfers(java.util.List.of(paid.payTransferId(), paid.feeTransferId())))
        .hasSize(2);

    // A second confirm by the same buyer is an idempotent success.
    assertThat(f.cashier.confirm(buyer.id(), t.tradeNo(), PIN).trade().paidAt())
        .isEqualTo(paid.paidAt());
    assertThat(f.balance(buyer)).isEqualTo(100_00 - 12_34);

    Map<String, String> n = f.notification(t.tradeNo(), "paid");
    assertThat(n).containsEntry("notify_type", "trade_status_sync")
        .containsEntry("app_id", APP).containsEntry("trade_no", t.tradeNo())
        .containsEntry("out_trade_no", "o-1").containsEntry("trade_status", "TRADE_SUCCESS")
        .containsEntry("total_amount", "12.34").containsEntry("receipt_amount", "12.34")
        .containsEntry("buyer_pay_amount", "12.34").containsEntry("seller_id", m.id().toString())
        .containsEntry("buyer_id", buyer.id().toString())
        .containsEntry("buyer_open_id", f.openIds.openIdFor(APP, buyer.id()))
        .containsEntry("gmt_create", "2026-11-24 10:00:00")
        .containsEntry("subject", "Noodles").containsEntry("body", "2 bowls")
        .containsEntry("fund_bill_list", "[{\"amount\":\"12.34\",\"fundChannel\":\"ALIPAYACCOUNT\"}]")
        .doesNotContainKeys("sign", "sign_type", "notify_time", "refund_fee");
    assertThat(n.get("gmt_payment")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    assertThat(f.wakeups.get()).isPositive();
  }

  @Test
  void resubmissionWithTheSameFieldsIsTheSameTradeAndOtherFieldsAreInconsistent() {
    User buyer = f.user(10_00);
    Merchant m = f.merchant("0");
    Trade t = f.trades.create(f.create(m, "o-2", 5_00, buyer.id()));
    assertThat(f.trades.create(f.create(m, "o-2", 5_00, buyer.id()))).isEqualTo(t);
    assertSubCode(() -> f.trades.create(f.create(m, "o-2", 5_01, buyer.id())),
        TradeError.CONTEXT_INCONSISTENT);
    assertSubCode(() -> f.trades.create(new CreateTradeRequest(APP, m.id(), "o-2", 5_00, "Other",
        "2 bowls", buyer.id(), false, NOTIFY_URL, null, null, null)), TradeError.CONTEXT_INCONSISTENT);
    assertSubCode(() -> f.trades.create(f.create(m, "o-2", 5_00, null)),
        TradeError.CONTEXT_INCONSISTENT);
    assertSubCode(() -> f.trades.precreate(new PrecreateRequest(APP, m.id(), "o-2", 5_00, "Noodles",
        "2 bowls", null, null, null, null)), TradeError.CONTEXT_INCONSISTENT);
    // The same out_trade_no in another app is another trade.
    Trade other = f.trades.create(new CreateTradeRequest(OTHER_APP, m.id(), "o-2", 5_00, "Noodles",
        null, null, false, null, null, null, null));
    assertThat(other.tradeNo()).isNotEqualTo(t.tradeNo());
    f.cashier.confirm(buyer.id(), t.tradeNo(), PIN);
    assertSubCode(() -> f.trades.create(f.create(m, "o-2", 5_00, buyer.id())),
        TradeError.TRADE_HAS_SUCCESS);
  }

  @Test
  void invalidParametersAreRefusedPrecisely() {
    Merchant m = f.merchant("0");
    assertSubCode(() -> f.trades.create(new CreateTradeRequest("bad app!", m.id(), "o", 1, "s",
        null, null, false, null, null, null, null)), TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.create(f.create(m, "has space", 1, null)), TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.create(f.create(m, "o-z", 0, null)), TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.create(f.create(m, "o-z", 10_000_000_001L, null)),
        TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.create(new CreateTradeRequest(APP, m.id(), "o-z", 1, " ", null,
        null, false, null, null, null, null)), TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.create(new CreateTradeRequest(APP, m.id(), "o-z", 1, "s", null,
        null, false, null, "16d", null, null)), TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.create(new CreateTradeRequest(APP, m.id(), "o-z", 1, "s", null,
        null, false, "ftp://x", null, null, null)), TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.create(new CreateTradeRequest(APP, m.id(), "o-z", 1, "s", null,
        java.util.UUID.randomUUID(), false, null, null, null, null)), TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.create(new CreateTradeRequest(APP, m.id(), "o-z", 1, "s", null,
        null, false, null, null, "2020-01-01 00:00:00", null)), TradeError.INVALID_PARAMETER);
  }

  @Test
  void notEnoughBalanceChangesNothingAndAToppedUpWalletPaysWithNewIds() {
    User buyer = f.user(1_00);
    User other = f.user(10_00);
    Merchant m = f.merchant("0.006");
    Trade t = f.trades.create(f.create(m, "o-3", 5_00, buyer.id()));
    assertSubCode(() -> f.cashier.confirm(other.id(), t.tradeNo(), PIN),
        TradeError.TRADE_BUYER_NOT_MATCH);
    assertSubCode(() -> f.cashier.confirm(buyer.id(), t.tradeNo(), PIN),
        TradeError.BUYER_BALANCE_NOT_ENOUGH);
    Trade after = f.trades.query(TradeRef.byTradeNo(APP, t.tradeNo()));
    assertThat(after.status()).isEqualTo(TradeStatus.WAIT_BUYER_PAY);
    assertThat(after.payTransferId()).isNull();
    assertThat(after.payAttempt()).isEqualTo(1);
    assertThat(f.balance(buyer)).isEqualTo(1_00);
    assertThat(f.balance(m)).isZero();
    assertThat(f.notifications(t.tradeNo())).isZero();
    f.bank.topUp(new dev.hutong.identity.TopUp(buyer.id(), 10_00, "more", null));
    Trade paid = f.cashier.confirm(buyer.id(), t.tradeNo(), PIN).trade();
    assertThat(paid.status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
    assertThat(paid.payAttempt()).isEqualTo(2);
    assertThat(f.balance(buyer)).isEqualTo(11_00 - 5_00);
  }

  @Test
  void wrongPinsLockTheCashierForFifteenMinutes() {
    User buyer = f.user(10_00);
    Merchant m = f.merchant("0");
    Trade t = f.trades.create(new CreateTradeRequest(APP, m.id(), "o-4", 1_00, "Tea", null,
        buyer.id(), false, null, "2h", null, null));
    for (int i = 0; i < 4; i++) {
      assertSubCode(() -> f.cashier.confirm(buyer.id(), t.tradeNo(), "000000"), TradeError.PIN_WRONG);
    }
    assertSubCode(() -> f.cashier.confirm(buyer.id(), t.tradeNo(), "000000"), TradeError.PIN_LOCKED);
    assertSubCode(() -> f.cashier.confirm(buyer.id(), t.tradeNo(), PIN), TradeError.PIN_LOCKED);
    assertThat(f.balance(buyer)).isEqualTo(10_00);
    clock.advance(Duration.ofMinutes(15));
    assertThat(f.cashier.confirm(buyer.id(), t.tradeNo(), PIN).trade().status())
        .isEqualTo(TradeStatus.TRADE_SUCCESS);
  }

  @Test
  void precreatedTradeExistsAtOnceAndIsPaidByScanningItsCode() {
    User buyer = f.user(10_00);
    Merchant m = f.merchant("0.01");
    PrecreateRequest req = new PrecreateRequest(APP, m.id(), "o-5", 3_00, "Coffee", null,
        NOTIFY_URL, "30m", null, null);
    PrecreateResult p = f.trades.precreate(req);
    assertThat(p.qrCode()).matches("http://127\\.0\\.0\\.1:8080/qr/[0-9a-z]{24}");
    assertThat(f.trades.precreate(req).qrCode()).isEqualTo(p.qrCode());
    assertThat(f.trades.query(TradeRef.byOutTradeNo(APP, "o-5")).status())
        .isEqualTo(TradeStatus.WAIT_BUYER_PAY);
    assertThat(f.cashier.previewQrCode(p.qrCode()).tradeNo()).isEqualTo(p.trade().tradeNo());
    assertSubCode(() -> f.cashier.payQrCode(buyer.id(), "http://x/qr/aaaaaaaaaaaaaaaaaaaaaaaa", PIN),
        TradeError.QR_CODE_INVALID);
    assertSubCode(() -> f.cashier.payQrCode(buyer.id(), "garbage", PIN), TradeError.QR_CODE_INVALID);
    Trade paid = f.cashier.payQrCode(buyer.id(), p.qrCode(), PIN).trade();
    assertThat(paid.status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
    assertThat(paid.buyerUserId()).isEqualTo(buyer.id());
    assertThat(f.balance(m)).isEqualTo(3_00 - 3);
    assertThat(f.fees()).isGreaterThanOrEqualTo(3);
    Map<String, String> n = f.notification(paid.tradeNo(), "paid");
    assertThat(n).doesNotContainKey("buyer_id").containsKey("buyer_open_id");
    User late = f.user(10_00);
    assertSubCode(() -> f.cashier.payQrCode(late.id(), p.qrCode(), PIN), TradeError.TRADE_HAS_SUCCESS);
  }

  @Test
  void paymentCodesPayOnceWithinTheirMinute() {
    User buyer = f.user(20_00);
    Merchant m = f.merchant("0.006");
    PaymentCode code = f.codes.issue(buyer.id());
    assertThat(code.code()).matches("28[0-9]{16}");
    assertThat(code.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
    Trade t = f.trades.pay(payRequest(m, "o-6", code.code(), 8_88));
    assertThat(t.status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
    assertThat(t.kind()).isEqualTo(ProductKind.PAYMENT_CODE);
    assertThat(f.balance(buyer)).isEqualTo(20_00 - 8_88);
    // Single use; a resubmission of the paid trade is TRADE_HAS_SUCCESS, even with its spent code.
    assertSubCode(() -> f.trades.pay(payRequest(m, "o-7", code.code(), 1_00)),
        TradeError.PAYMENT_AUTH_CODE_INVALID);
    assertSubCode(() -> f.trades.pay(payRequest(m, "o-6", code.code(), 8_88)),
        TradeError.TRADE_HAS_SUCCESS);
    PaymentCode second = f.codes.issue(buyer.id());
    assertSubCode(() -> f.trades.pay(payRequest(m, "o-6", second.code(), 8_88)),
        TradeError.TRADE_HAS_SUCCESS);
    assertSubCode(() -> f.trades.pay(payRequest(m, "o-6", second.code(), 9_99)),
        TradeError.CONTEXT_INCONSISTENT);
    // Expired after 60 s.
    clock.advance(Duration.ofSeconds(61));
    assertSubCode(() -> f.trades.pay(payRequest(m, "o-8", second.code(), 1_00)),
        TradeError.PAYMENT_AUTH_CODE_INVALID);
    assertSubCode(() -> f.trades.pay(payRequest(m, "o-8", "123", 1_00)),
        TradeError.PAYMENT_AUTH_CODE_INVALID);
    assertSubCode(() -> f.trades.pay(payRequest(m, "o-8", "280000000000000000", 1_00)),
        TradeError.PAYMENT_AUTH_CODE_INVALID);
    // An invalid code creates no trade.
    assertSubCode(() -> f.trades.query(TradeRef.byOutTradeNo(APP, "o-7")), TradeError.TRADE_NOT_EXIST);
    // Not enough balance: nothing moves, the trade waits, the next code pays after a top-up.
    PaymentCode third = f.codes.issue(buyer.id());
    assertSubCode(() -> f.trades.pay(payRequest(m, "o-9", third.code(), 50_00)),
        TradeError.BUYER_BALANCE_NOT_ENOUGH);
    assertThat(f.balance(buyer)).isEqualTo(20_00 - 8_88);
    f.bank.topUp(new dev.hutong.identity.TopUp(buyer.id(), 50_00, "top", null));
    assertThat(f.trades.pay(payRequest(m, "o-9", f.codes.issue(buyer.id()).code(), 50_00)).status())
        .isEqualTo(TradeStatus.TRADE_SUCCESS);
    // Only hashes are stored.
    long plain = f.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM pay_payment_code"
        + " WHERE encode(code_hash, 'escape') LIKE '%' || :c || '%'").bind("c", third.code())
        .mapTo(Long.class).one());
    assertThat(plain).isZero();
  }

  @Test
  void paymentCodePaymentsRespectTheDailyLimit() {
    TradeService limited = new TradeService(f.jdbi, f.ledger, f.users, f.merchants, f.openIds,
        f.codes, f.settings.withPaymentCodeDayLimitFen(100_00), clock, () -> { });
    User buyer = f.user(500_00);
    Merchant m = f.merchant("0");
    limited.pay(payRequest(m, "lim-1", f.codes.issue(buyer.id()).code(), 60_00));
    assertSubCode(() -> limited.pay(payRequest(m, "lim-2", f.codes.issue(buyer.id()).code(), 40_01)),
        TradeError.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR);
    limited.pay(payRequest(m, "lim-3", f.codes.issue(buyer.id()).code(), 40_00));
    clock.advance(Duration.ofDays(1));
    limited.pay(payRequest(m, "lim-4", f.codes.issue(buyer.id()).code(), 100_00));
    assertThat(f.balance(buyer)).isEqualTo(500_00 - 200_00);
  }

  static PayRequest payRequest(Merchant m, String out, String code, long fen) {
    return new PayRequest(APP, m.id(), out, code, fen, "Bread", null, NOTIFY_URL, null, null, null);
  }

  @Test
  void refundsArePartialIdempotentBoundedAndGiveTheFeeBackProportionally() {
    User buyer = f.user(100_00);
    Merchant m = f.merchant("0.006");
    Trade t = f.cashier.confirm(buyer.id(),
        f.trades.create(f.create(m, "o-10", 100_00, buyer.id())).tradeNo(), PIN).trade();
    assertThat(t.feeAmount()).isEqualTo(60);
    TradeRef ref = TradeRef.byOutTradeNo(APP, "o-10");
    assertSubCode(() -> f.trades.refund(new RefundRequest(ref, 0, "r1", null)),
        TradeError.INVALID_PARAMETER);

    RefundResult r1 = f.trades.refund(new RefundRequest(ref, 30_00, "r1", "too salty"));
    assertThat(r1.fundChange()).isTrue();
    assertThat(r1.refund().status()).isEqualTo(RefundStatus.SUCCESS);
    assertThat(r1.refund().feeRefund()).isEqualTo(18);
    assertThat(r1.trade().refundAmount()).isEqualTo(30_00);
    assertThat(r1.trade().status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
    assertThat(f.balance(buyer)).isEqualTo(30_00);
    assertThat(f.balance(m)).isEqualTo(100_00 - 60 - 30_00 + 18);

    // A repeat answers the original figures and moves nothing.
    RefundResult again = f.trades.refund(new RefundRequest(ref, 30_00, "r1", "too salty"));
    assertThat(again.fundChange()).isFalse();
    assertThat(again.refund()).isEqualTo(r1.refund());
    assertThat(f.balance(buyer)).isEqualTo(30_00);
    assertSubCode(() -> f.trades.refund(new RefundRequest(ref, 31_00, "r1", null)),
        TradeError.DISCORDANT_REPEAT_REQUEST);
    assertSubCode(() -> f.trades.refund(new RefundRequest(ref, 70_01, "r2", null)),
        TradeError.REFUND_AMT_NOT_EQUAL_TOTAL);

    Map<String, String> n = f.notification(t.tradeNo(), "refund:r1");
    assertThat(n).containsEntry("trade_status", "TRADE_SUCCESS").containsEntry("refund_fee", "30.00")
        .containsEntry("out_biz_no", "r1");
    assertThat(n.get("gmt_refund")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");

    RefundResult r2 = f.trades.refund(new RefundRequest(ref, 70_00, "r2", null));
    assertThat(r2.refund().feeRefund()).isEqualTo(60 - 18);
    assertThat(r2.trade().status()).isEqualTo(TradeStatus.TRADE_CLOSED);
    assertThat(r2.trade().closeReason()).isEqualTo("REFUNDED");
    assertThat(f.balance(buyer)).isEqualTo(100_00);
    assertThat(f.balance(m)).isZero();
    assertThat(f.notification(t.tradeNo(), "refund:r2"))
        .containsEntry("trade_status", "TRADE_CLOSED").containsEntry("refund_fee", "100.00")
        .containsKey("gmt_close");
    assertSubCode(() -> f.trades.refund(new RefundRequest(ref, 1, "r3", null)),
        TradeError.TRADE_HAS_CLOSE);
    assertThat(f.trades.refund(new RefundRequest(ref, 30_00, "r1", null)).fundChange()).isFalse();

    RefundQuery q = f.trades.refundQuery(ref, "r2");
    assertThat(q.refund().status().alipayStatus()).isEqualTo("REFUND_SUCCESS");
    assertThat(q.refund().amount()).isEqualTo(70_00);
    assertThat(q.trade().totalAmount()).isEqualTo(100_00);
    assertThat(f.trades.refundQuery(ref, "r9").refund()).isNull();
    assertSubCode(() -> f.trades.refundQuery(TradeRef.byOutTradeNo(APP, "nope"), "r1"),
        TradeError.TRADE_NOT_EXIST);
  }

  @Test
  void refundsOfUnpaidTradesAndShortMerchantsAreRefused() {
    User buyer = f.user(100_00);
    Merchant m = f.merchant("0");
    Trade unpaid = f.trades.create(f.create(m, "o-11", 10_00, buyer.id()));
    assertSubCode(() -> f.trades.refund(new RefundRequest(TradeRef.byTradeNo(APP, unpaid.tradeNo()),
        1_00, "r", null)), TradeError.TRADE_STATUS_ERROR);
    f.cashier.confirm(buyer.id(), unpaid.tradeNo(), PIN);
    // The merchant paid its balance out: a refund fails without moving money, and succeeds with
    // the same out_request_no once the merchant has money again.
    f.bank.payout(new Payout(m.id(), 10_00, "payout-1")).requireSuccess();
    TradeRef ref = TradeRef.byTradeNo(APP, unpaid.tradeNo());
    assertSubCode(() -> f.trades.refund(new RefundRequest(ref, 4_00, "r", null)),
        TradeError.SELLER_BALANCE_NOT_ENOUGH);
    assertThat(f.trades.refundQuery(ref, "r").refund().status()).isEqualTo(RefundStatus.FAILED);
    assertThat(f.balance(buyer)).isEqualTo(90_00);
    f.cashier.confirm(buyer.id(), f.trades.create(f.create(m, "o-12", 5_00, buyer.id())).tradeNo(), PIN);
    RefundResult ok = f.trades.refund(new RefundRequest(ref, 4_00, "r", null));
    assertThat(ok.refund().status()).isEqualTo(RefundStatus.SUCCESS);
    assertThat(ok.refund().attempt()).isEqualTo(2);
    assertThat(f.balance(buyer)).isEqualTo(90_00 - 5_00 + 4_00);
  }

  @Test
  void closeAndCancelFollowAlipay() {
    User buyer = f.user(100_00);
    Merchant m = f.merchant("0.006");
    Trade a = f.trades.create(f.create(m, "o-13", 10_00, buyer.id()));
    Trade closed = f.trades.close(TradeRef.byTradeNo(APP, a.tradeNo()));
    assertThat(closed.status()).isEqualTo(TradeStatus.TRADE_CLOSED);
    assertThat(f.notification(a.tradeNo(), "closed")).containsEntry("trade_status", "TRADE_CLOSED");
    assertSubCode(() -> f.trades.close(TradeRef.byTradeNo(APP, a.tradeNo())),
        TradeError.TRADE_STATUS_ERROR);
    assertSubCode(() -> f.cashier.confirm(buyer.id(), a.tradeNo(), PIN), TradeError.TRADE_HAS_CLOSE);

    Trade b = f.trades.create(f.create(m, "o-14", 10_00, buyer.id()));
    CancelResult c1 = f.trades.cancel(TradeRef.byOutTradeNo(APP, "o-14"));
    assertThat(c1.action()).isEqualTo("close");
    assertThat(c1.trade().status()).isEqualTo(TradeStatus.TRADE_CLOSED);
    assertThat(f.trades.cancel(TradeRef.byOutTradeNo(APP, "o-14")).action()).isEqualTo("close");
    assertThat(b.tradeNo()).isEqualTo(c1.trade().tradeNo());

    Trade c = f.cashier.confirm(buyer.id(),
        f.trades.create(f.create(m, "o-15", 10_00, buyer.id())).tradeNo(), PIN).trade();
    assertSubCode(() -> f.trades.close(TradeRef.byTradeNo(APP, c.tradeNo())),
        TradeError.TRADE_STATUS_ERROR);
    f.trades.refund(new RefundRequest(TradeRef.byTradeNo(APP, c.tradeNo()), 3_00, "part", null));
    CancelResult c2 = f.trades.cancel(TradeRef.byTradeNo(APP, c.tradeNo()));
    assertThat(c2.action()).isEqualTo("refund");
    assertThat(c2.retry()).isFalse();
    assertThat(c2.trade().status()).isEqualTo(TradeStatus.TRADE_CLOSED);
    assertThat(c2.trade().refundAmount()).isEqualTo(10_00);
    assertThat(f.balance(buyer)).isEqualTo(100_00);
    assertThat(f.trades.cancel(TradeRef.byTradeNo(APP, c.tradeNo())).action()).isEqualTo("refund");
    assertThat(f.balance(buyer)).isEqualTo(100_00);
  }

  @Test
  void unpaidTradesCloseWhenTheyTimeOut() {
    User buyer = f.user(10_00);
    Merchant m = f.merchant("0");
    Trade t15 = f.trades.create(new CreateTradeRequest(APP, m.id(), "o-16", 1_00, "s", null,
        buyer.id(), false, NOTIFY_URL, "15m", null, null));
    assertThat(t15.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(t15.timeoutExpress()).isEqualTo("15m");
    Trade tc = f.trades.create(new CreateTradeRequest(APP, m.id(), "o-17", 1_00, "s", null,
        buyer.id(), false, NOTIFY_URL, "1c", null, null));
    Instant midnight = clock.instant().atZone(AlipayTimes.ZONE).toLocalDate().plusDays(1)
        .atStartOfDay(AlipayTimes.ZONE).toInstant();
    assertThat(tc.expiresAt()).isEqualTo(midnight);
    String expire = AlipayTimes.format(clock.instant().plus(Duration.ofHours(3)));
    Trade te = f.trades.create(new CreateTradeRequest(APP, m.id(), "o-18", 1_00, "s", null,
        buyer.id(), false, NOTIFY_URL, "15m", expire, null));
    assertThat(AlipayTimes.format(te.expiresAt())).isEqualTo(expire);

    clock.advance(Duration.ofMinutes(16));
    assertSubCode(() -> f.cashier.confirm(buyer.id(), t15.tradeNo(), PIN), TradeError.TRADE_HAS_CLOSE);
    int closed = f.sweeper.closeExpired();
    assertThat(closed).isGreaterThanOrEqualTo(0);
    Trade after = f.trades.query(TradeRef.byTradeNo(APP, t15.tradeNo()));
    assertThat(after.status()).isEqualTo(TradeStatus.TRADE_CLOSED);
    assertThat(after.closeReason()).isEqualTo("TIMEOUT");
    assertThat(f.notification(t15.tradeNo(), "closed")).containsEntry("trade_status", "TRADE_CLOSED");
    assertThat(f.trades.query(TradeRef.byTradeNo(APP, te.tradeNo())).status())
        .isEqualTo(TradeStatus.WAIT_BUYER_PAY);
    // A resubmission of an expired trade meets it closed.
    assertSubCode(() -> f.trades.create(new CreateTradeRequest(APP, m.id(), "o-16", 1_00, "s", null,
        buyer.id(), false, NOTIFY_URL, "15m", null, null)), TradeError.TRADE_HAS_CLOSE);
    clock.advance(Duration.ofHours(24));
    assertThat(f.sweeper.closeExpired()).isGreaterThanOrEqualTo(2);
    assertThat(f.trades.query(TradeRef.byTradeNo(APP, tc.tradeNo())).status())
        .isEqualTo(TradeStatus.TRADE_CLOSED);
    assertThat(f.balance(buyer)).isEqualTo(10_00);
  }

  @Test
  void staticCollectCodesPayTheAmountTheBuyerTypesOnce() {
    User buyer = f.user(50_00);
    Merchant m = f.merchant("0");
    String code = f.collectCodes.codeFor(m.id());
    assertThat(code).matches("http://127\\.0\\.0\\.1:8080/c/[0-9a-z]{24}");
    assertThat(f.collectCodes.codeFor(m.id())).isEqualTo(code);
    CashierResult r = f.cashier.payCollectCode(buyer.id(), code, 12_00, PIN, "req-1");
    assertThat(r.trade().kind()).isEqualTo(ProductKind.STATIC_COLLECT);
    assertThat(r.trade().appId()).isNull();
    assertThat(r.trade().subject()).isEqualTo(m.name());
    assertThat(f.cashier.payCollectCode(buyer.id(), code, 12_00, PIN, "req-1").trade().tradeNo())
        .isEqualTo(r.trade().tradeNo());
    assertThat(f.balance(buyer)).isEqualTo(38_00);
    assertThat(f.balance(m)).isEqualTo(12_00);
    assertSubCode(() -> f.cashier.payCollectCode(buyer.id(), code, 13_00, PIN, "req-1"),
        TradeError.CONTEXT_INCONSISTENT);
    assertSubCode(() -> f.cashier.payCollectCode(buyer.id(), "http://x/c/zzz", 1_00, PIN, "req-2"),
        TradeError.QR_CODE_INVALID);
  }

  @Test
  void frozenAccountsCanNotTrade() {
    User buyer = f.user(10_00);
    Merchant m = f.merchant("0");
    Trade t = f.trades.create(f.create(m, "o-19", 1_00, buyer.id()));
    f.users.setStatus(buyer.id(), UserStatus.FROZEN);
    assertSubCode(() -> f.cashier.confirm(buyer.id(), t.tradeNo(), PIN),
        TradeError.BUYER_ENABLE_STATUS_FORBID);
    assertSubCode(() -> f.codes.issue(buyer.id()), TradeError.BUYER_ENABLE_STATUS_FORBID);
    f.merchants.setStatus(m.id(), MerchantStatus.FROZEN);
    assertSubCode(() -> f.trades.create(f.create(m, "o-20", 1_00, null)),
        TradeError.SELLER_BEEN_BLOCKED);
  }

  @Test
  void aPaymentCodeRefusedAfterItsRedemptionLeavesWhatTheRefusalLeaves() {
    User buyer = f.user(10_00);
    Merchant m = f.merchant("0");
    String code = f.codes.issue(buyer.id()).code();
    f.users.setStatus(buyer.id(), UserStatus.FROZEN);
    assertSubCode(() -> f.trades.pay(payRequest(m, "pc-frozen", code, 1_00)),
        TradeError.BUYER_ENABLE_STATUS_FORBID);
    // The trade is open without an attempt, and the code is spent.
    Trade open = f.trades.query(TradeRef.byOutTradeNo(APP, "pc-frozen"));
    assertThat(open.status()).isEqualTo(TradeStatus.WAIT_BUYER_PAY);
    assertThat(open.payTransferId()).isNull();
    assertThat(open.payAttempt()).isZero();
    f.users.setStatus(buyer.id(), UserStatus.ACTIVE);
    assertSubCode(() -> f.trades.pay(payRequest(m, "pc-frozen", code, 1_00)),
        TradeError.PAYMENT_AUTH_CODE_INVALID);
    // A blocked merchant: the code is spent and no trade is opened.
    String second = f.codes.issue(buyer.id()).code();
    Merchant blocked = f.merchant("0");
    f.merchants.setStatus(blocked.id(), MerchantStatus.FROZEN);
    assertSubCode(() -> f.trades.pay(payRequest(blocked, "pc-blocked", second, 1_00)),
        TradeError.SELLER_BEEN_BLOCKED);
    assertSubCode(() -> f.trades.query(TradeRef.byOutTradeNo(APP, "pc-blocked")),
        TradeError.TRADE_NOT_EXIST);
    assertSubCode(() -> f.trades.pay(payRequest(m, "pc-other", second, 1_00)),
        TradeError.PAYMENT_AUTH_CODE_INVALID);
    // The same payment with a fresh code goes through on the open trade.
    Trade paid = f.trades.pay(payRequest(m, "pc-frozen", f.codes.issue(buyer.id()).code(), 1_00));
    assertThat(paid.tradeNo()).isEqualTo(open.tradeNo());
    assertThat(paid.status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
    assertThat(f.balance(buyer)).isEqualTo(9_00);
  }

  @Test
  void paidTradesFinishAfterTheRefundWindow() {
    User buyer = f.user(10_00);
    Merchant m = f.merchant("0");
    Trade t = f.cashier.confirm(buyer.id(),
        f.trades.create(f.create(m, "o-21", 2_00, buyer.id())).tradeNo(), PIN).trade();
    clock.advance(Duration.ofDays(366));
    assertThat(f.sweeper.finishOld()).isGreaterThanOrEqualTo(1);
    Trade done = f.trades.query(TradeRef.byTradeNo(APP, t.tradeNo()));
    assertThat(done.status()).isEqualTo(TradeStatus.TRADE_FINISHED);
    assertThat(f.notification(t.tradeNo(), "finished")).containsEntry("trade_status", "TRADE_FINISHED");
    assertSubCode(() -> f.trades.refund(new RefundRequest(TradeRef.byTradeNo(APP, t.tradeNo()), 1,
        "late", null)), TradeError.TRADE_HAS_FINISHED);
    assertSubCode(() -> f.trades.cancel(TradeRef.byTradeNo(APP, t.tradeNo())),
        TradeError.TRADE_HAS_FINISHED);
  }
}
