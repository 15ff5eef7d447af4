package dev.hutong.openapi;

import static dev.hutong.openapi.Sdk.assertFailure;
import static dev.hutong.openapi.Sdk.assertSuccess;
import static dev.hutong.openapi.Sdk.biz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.domain.TradeFundBill;
import com.alipay.api.response.AlipayTradeCancelResponse;
import com.alipay.api.response.AlipayTradeCreateResponse;
import com.alipay.api.response.AlipayTradeFastpayRefundQueryResponse;
import com.alipay.api.response.AlipayTradePayResponse;
import com.alipay.api.response.AlipayTradePrecreateResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.TopUp;
import dev.hutong.identity.User;
import dev.hutong.openapi.OpenApiFixture.App;
import dev.hutong.openapi.gateway.ProtocolCharset;
import dev.hutong.openapi.gateway.SignType;
import dev.hutong.pay.TradeRef;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The alipay.trade.* methods through the official SDK over HTTP, against a real database, ledger,
 * identity and pay. Every test ends with the ledger's and pay's invariants checked.
 */
@Tag("db")
class TradeMethodsTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  static OpenApiFixture f;
  /** RSA2 apps A and C, RSA app B; C shares A's key (allowed) but never sees A's trades. */
  static App a;
  static App b;
  static App c;

  @BeforeAll
  static void start() {
    f = new OpenApiFixture("openapi_trades");
    a = f.app(Keys.APP_A, SignType.RSA2);
    b = f.app(Keys.APP_B, SignType.RSA);
    c = f.app(Keys.APP_A, SignType.RSA2);
  }

  @AfterEach
  void invariants() throws Exception {
    f.clock.reset();
    f.assertInvariants();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static String out() {
    return "o" + System.nanoTime() + "-" + SEQ.incrementAndGet();
  }

  static Stream<Arguments> charsetsAndSignTypes() {
    return Stream.of(Arguments.of("UTF-8", SignType.RSA2), Arguments.of("UTF-8", SignType.RSA),
        Arguments.of("GBK", SignType.RSA2), Arguments.of("GBK", SignType.RSA));
  }

  static App app(SignType signType) {
    return signType == SignType.RSA2 ? a : b;
  }

  private static void payInCashier(User buyer, String tradeNo) {
    assertThat(f.cashier.confirm(buyer.id(), tradeNo, OpenApiFixture.PIN).resultCode())
        .isEqualTo("9000");
  }

  /** A trade of app {@code app} for {@code amount}, paid by {@code buyer}. */
  private static String paid(DefaultAlipayClient client, User buyer, String out, String amount) {
    AlipayTradeCreateResponse created = Sdk.create(client, out, amount);
    assertSuccess(created);
    payInCashier(buyer, created.getTradeNo());
    return created.getTradeNo();
  }

  // ------------------------------------------------------------------ whole round trips

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("charsetsAndSignTypes")
  void createQueryPayRefundRefundQueryInEachCharsetAndSignType(String charset, SignType signType) {
    App app = app(signType);
    DefaultAlipayClient client = f.client(app, charset);
    User buyer = f.user(100_00);
    String out = out();

    AlipayTradeCreateResponse created = Sdk.create(client, biz("out_trade_no", out,
        "total_amount", "88.88", "subject", "北京烤鸭 双人套餐", "body", "两只鸭子",
        "buyer_id", buyer.id().toString(), "timeout_express", "30m"));
    assertSuccess(created);
    assertThat(created.getOutTradeNo()).isEqualTo(out);
    assertThat(created.getTradeNo()).matches("[0-9]{28}");
    assertThat(created.getSubCode()).isNull();

    AlipayTradeQueryResponse unpaid = Sdk.query(client, out);
    assertSuccess(unpaid);
    assertThat(unpaid.getTradeNo()).isEqualTo(created.getTradeNo());
    assertThat(unpaid.getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
    assertThat(unpaid.getTotalAmount()).isEqualTo("88.88");
    assertThat(unpaid.getReceiptAmount()).isEqualTo("0.00");
    assertThat(unpaid.getSubject()).isEqualTo("北京烤鸭 双人套餐");
    // The SDK's getBody() is the raw response (AlipayResponse.body shadows the trade's body).
    assertThat(unpaid.getBody()).contains("\"body\":\"两只鸭子\"");
    assertThat(unpaid.getSendPayDate()).isNull();
    assertThat(unpaid.getBuyerUserId()).isEqualTo(buyer.id().toString());
    assertThat(unpaid.getBuyerOpenId()).isEqualTo(f.openIds.openIdFor(app.appId(), buyer.id()));

    payInCashier(buyer, created.getTradeNo());

    AlipayTradeQueryResponse paid = Sdk.queryWith(client, biz("trade_no", created.getTradeNo()));
    assertSuccess(paid);
    assertThat(paid.getTradeStatus()).isEqualTo("TRADE_SUCCESS");
    assertThat(paid.getReceiptAmount()).isEqualTo("88.88");
    assertThat(paid.getBuyerPayAmount()).isEqualTo("88.88");
    assertThat(paid.getInvoiceAmount()).isEqualTo("88.88");
    assertThat(paid.getPointAmount()).isEqualTo("0.00");
    assertThat(paid.getSendPayDate().toInstant()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
    assertThat(paid.getFundBillList()).singleElement().satisfies(bill -> {
      assertThat(bill.getFundChannel()).isEqualTo("ALIPAYACCOUNT");
      assertThat(bill.getAmount()).isEqualTo("88.88");
    });

    AlipayTradeRefundResponse refund = Sdk.refund(client, biz("out_trade_no", out,
        "refund_amount", "10.00", "out_request_no", "r1", "refund_reason", "口味不对"));
    assertSuccess(refund);
    assertThat(refund.getFundChange()).isEqualTo("Y");
    assertThat(refund.getRefundFee()).isEqualTo("10.00");
    assertThat(refund.getSendBackFee()).isEqualTo("10.00");
    assertThat(refund.getGmtRefundPay()).isNotNull();
    assertThat(refund.getTradeNo()).isEqualTo(created.getTradeNo());
    assertThat(refund.getRefundDetailItemList()).extracting(TradeFundBill::getAmount)
        .containsExactly("10.00");

    AlipayTradeFastpayRefundQueryResponse refunded = Sdk.refundQuery(client, out, "r1");
    assertSuccess(refunded);
    assertThat(refunded.getRefundStatus()).isEqualTo("REFUND_SUCCESS");
    assertThat(refunded.getRefundAmount()).isEqualTo("10.00");
    assertThat(refunded.getTotalAmount()).isEqualTo("88.88");
    assertThat(refunded.getOutRequestNo()).isEqualTo("r1");
    assertThat(refunded.getRefundReason()).isEqualTo("口味不对");
    assertThat(refunded.getGmtRefundPay()).isNotNull();

    AlipayTradeRefundResponse rest = Sdk.refund(client, out, "78.88", "r2");
    assertSuccess(rest);
    assertThat(rest.getRefundFee()).isEqualTo("88.88");
    assertThat(Sdk.query(client, out).getTradeStatus()).isEqualTo("TRADE_CLOSED");
    assertThat(f.balance(buyer)).isEqualTo(100_00);
    assertThat(f.platform.apps().info(app.appId()).orElseThrow().charset())
        .isEqualTo(ProtocolCharset.fromName(charset).orElseThrow());
  }

  @Test
  void aBuyerNamedByOpenIdIsShownOnlyByOpenId() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User buyer = f.user(10_00);
    String openId = f.openIds.openIdFor(a.appId(), buyer.id());
    String out = out();
    assertSuccess(Sdk.create(client, biz("out_trade_no", out, "total_amount", "1.00",
        "subject", "茶", "buyer_open_id", openId)));

    AlipayTradeQueryResponse q = Sdk.query(client, out);
    assertThat(q.getBuyerOpenId()).isEqualTo(openId);
    assertThat(q.getBuyerUserId()).isNull();
    assertThat(q.getBody()).doesNotContain(buyer.id().toString());

    // Another app's open_id for the same user names nobody in this app.
    String otherOpenId = f.openIds.openIdFor(c.appId(), buyer.id());
    assertFailure(Sdk.create(client, biz("out_trade_no", out(), "total_amount", "1.00",
        "subject", "茶", "buyer_open_id", otherOpenId)), "40004", "ACQ.INVALID_PARAMETER");
  }

  @Test
  void aTradeWithoutBuyerIsPaidByWhoeverConfirmsItAndShowsThePayersOpenId() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User buyer = f.user(10_00);
    String out = out();
    AlipayTradeCreateResponse created = Sdk.create(client, out, "2.50");
    assertThat(Sdk.query(client, out).getBuyerOpenId()).isNull();
    payInCashier(buyer, created.getTradeNo());

    AlipayTradeQueryResponse q = Sdk.query(client, out);
    assertThat(q.getBuyerOpenId()).isEqualTo(f.openIds.openIdFor(a.appId(), buyer.id()));
    assertThat(q.getBuyerUserId()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"UTF-8", "GBK"})
  void precreateIsQueryableAtOnceAndPaidByScanningItsQrCode(String charset) {
    DefaultAlipayClient client = f.client(b, charset);
    User buyer = f.user(50_00);
    String out = out();
    AlipayTradePrecreateResponse pre = Sdk.precreate(client, biz("out_trade_no", out,
        "total_amount", "12.30", "subject", "电影票 2张"));
    assertSuccess(pre);
    assertThat(pre.getOutTradeNo()).isEqualTo(out);
    assertThat(pre.getQrCode()).matches("http://127\\.0\\.0\\.1:8080/qr/[0-9a-z]{24}");
    assertThat(Sdk.query(client, out).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");

    f.cashier.payQrCode(buyer.id(), pre.getQrCode(), OpenApiFixture.PIN);

    AlipayTradeQueryResponse q = Sdk.query(client, out);
    assertThat(q.getTradeStatus()).isEqualTo("TRADE_SUCCESS");
    assertThat(q.getSubject()).isEqualTo("电影票 2张");
    assertThat(f.balance(buyer)).isEqualTo(50_00 - 12_30);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("charsetsAndSignTypes")
  void payWithAScannedPaymentCode(String charset, SignType signType) {
    DefaultAlipayClient client = f.client(app(signType), charset);
    User buyer = f.user(20_00);
    Merchant merchant = app(signType).merchant();
    long merchantBefore = f.balance(merchant);
    String out = out();
    AlipayTradePayResponse r = Sdk.pay(client, biz("out_trade_no", out, "scene", "bar_code",
        "auth_code", f.codes.issue(buyer.id()).code(), "total_amount", "15.00",
        "subject", "煎饼果子"));
    assertSuccess(r);
    assertThat(r.getOutTradeNo()).isEqualTo(out);
    assertThat(r.getTradeNo()).matches("[0-9]{28}");
    assertThat(r.getTotalAmount()).isEqualTo("15.00");
    assertThat(r.getReceiptAmount()).isEqualTo("15.00");
    assertThat(r.getBuyerPayAmount()).isEqualTo("15.00");
    assertThat(r.getBuyerOpenId()).isEqualTo(f.openIds.openIdFor(app(signType).appId(),
        buyer.id()));
    assertThat(r.getBuyerUserId()).isNull();
    assertThat(r.getGmtPayment()).isNotNull();
    assertThat(r.getFundBillList()).extracting(TradeFundBill::getFundChannel)
        .containsExactly("ALIPAYACCOUNT");
    assertThat(f.balance(buyer)).isEqualTo(5_00);
    // 0.6% of 15.00 is 0.09.
    assertThat(f.balance(merchant) - merchantBefore).isEqualTo(15_00 - 9);
    assertThat(Sdk.query(client, out).getTradeStatus()).isEqualTo("TRADE_SUCCESS");
  }

  // ------------------------------------------------------------------ Alipay's error cases

  @Test
  void tradeNotExist() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    assertFailure(Sdk.query(client, "no-such-order"), "40004", "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.queryWith(client, biz("trade_no", "2099010122001400000000000000")), "40004",
        "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.queryWith(client, biz("trade_no", "not-a-trade-no")), "40004",
        "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.refund(client, "no-such-order", "1.00", "r"), "40004",
        "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.close(client, biz("out_trade_no", "no-such-order")), "40004",
        "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.cancel(client, "no-such-order"), "40004", "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.refundQuery(client, "no-such-order", "r"), "40004", "ACQ.TRADE_NOT_EXIST");
    assertThat(Sdk.query(client, "no-such-order").getSubMsg()).startsWith("交易不存在");
  }

  @Test
  void contextInconsistentWhenAnOutTradeNoComesBackWithOtherFields() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    String out = out();
    assertSuccess(Sdk.create(client, out, "9.99"));
    assertFailure(Sdk.create(client, out, "9.98"), "40004", "ACQ.CONTEXT_INCONSISTENT");
    assertFailure(Sdk.create(client, biz("out_trade_no", out, "total_amount", "9.99",
        "subject", "别的")), "40004", "ACQ.CONTEXT_INCONSISTENT");
    assertFailure(Sdk.precreate(client, biz("out_trade_no", out, "total_amount", "9.99",
        "subject", "牛肉面")), "40004", "ACQ.CONTEXT_INCONSISTENT");
  }

  @Test
  void tradeHasSuccessWhenAPaidTradeIsSubmittedAgain() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User buyer = f.user(10_00);
    String out = out();
    paid(client, buyer, out, "3.00");
    assertFailure(Sdk.create(client, out, "3.00"), "40004", "ACQ.TRADE_HAS_SUCCESS");

    String scanned = out();
    assertSuccess(Sdk.pay(client, scanned, "1.00", f.codes.issue(buyer.id()).code()));
    assertFailure(Sdk.pay(client, scanned, "1.00", f.codes.issue(buyer.id()).code()), "40004",
        "ACQ.TRADE_HAS_SUCCESS");
    assertThat(f.balance(buyer)).isEqualTo(6_00);
  }

  @Test
  void tradeHasCloseForAClosedTrade() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    String out = out();
    assertSuccess(Sdk.create(client, out, "4.00"));
    assertSuccess(Sdk.close(client, biz("out_trade_no", out)));
    assertThat(Sdk.query(client, out).getTradeStatus()).isEqualTo("TRADE_CLOSED");
    assertFailure(Sdk.create(client, out, "4.00"), "40004", "ACQ.TRADE_HAS_CLOSE");
    assertFailure(Sdk.refund(client, out, "1.00", "r"), "40004", "ACQ.TRADE_HAS_CLOSE");
  }

  @Test
  void tradeStatusErrorForClosingAPaidTradeOrRefundingAnUnpaidOne() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User buyer = f.user(10_00);
    String paid = out();
    paid(client, buyer, paid, "2.00");
    assertFailure(Sdk.close(client, biz("out_trade_no", paid)), "40004",
        "ACQ.TRADE_STATUS_ERROR");
    String unpaid = out();
    assertSuccess(Sdk.create(client, unpaid, "2.00"));
    assertFailure(Sdk.refund(client, unpaid, "1.00", "r"), "40004", "ACQ.TRADE_STATUS_ERROR");
  }

  @Test
  void buyerBalanceNotEnoughMovesNothing() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User poor = f.user(1_00);
    String out = out();
    assertFailure(Sdk.pay(client, out, "5.00", f.codes.issue(poor.id()).code()), "40004",
        "ACQ.BUYER_BALANCE_NOT_ENOUGH");
    assertThat(f.balance(poor)).isEqualTo(1_00);
    assertThat(Sdk.query(client, out).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");

    // Topped up, the buyer shows a new code and the till retries the same out_trade_no.
    f.bank.topUp(new TopUp(poor.id(), 10_00, "more", null)).requireSuccess();
    assertSuccess(Sdk.pay(client, out, "5.00", f.codes.issue(poor.id()).code()));
    assertThat(f.balance(poor)).isEqualTo(6_00);
  }

  @Test
  void refundsUpToThePaidAmountAndNotBeyond() {
    DefaultAlipayClient client = f.client(b, "GBK");
    User buyer = f.user(50_00);
    String out = out();
    paid(client, buyer, out, "50.00");
    assertFailure(Sdk.refund(client, out, "50.01", "r0"), "40004",
        "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");
    assertSuccess(Sdk.refund(client, out, "30.00", "r1"));
    assertFailure(Sdk.refund(client, out, "20.01", "r2"), "40004",
        "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");
    AlipayTradeRefundResponse last = Sdk.refund(client, out, "20.00", "r3");
    assertSuccess(last);
    assertThat(last.getRefundFee()).isEqualTo("50.00");
    assertThat(f.balance(buyer)).isEqualTo(50_00);
    assertThat(Sdk.query(client, out).getTradeStatus()).isEqualTo("TRADE_CLOSED");
    assertFailure(Sdk.refund(client, out, "0.01", "r4"), "40004", "ACQ.TRADE_HAS_CLOSE");
    // The failed refund requests left nothing to query.
    AlipayTradeFastpayRefundQueryResponse none = Sdk.refundQuery(client, out, "r2");
    assertSuccess(none);
    assertThat(none.getRefundStatus()).isNull();
    assertThat(none.getRefundAmount()).isNull();
  }

  @Test
  void paymentAuthCodeInvalidForMalformedUnknownUsedOrExpiredCodes() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User buyer = f.user(10_00);
    assertFailure(Sdk.pay(client, out(), "1.00", "123"), "40004",
        "ACQ.PAYMENT_AUTH_CODE_INVALID");
    assertFailure(Sdk.pay(client, out(), "1.00", "280000000000000000"), "40004",
        "ACQ.PAYMENT_AUTH_CODE_INVALID");
    String code = f.codes.issue(buyer.id()).code();
    assertSuccess(Sdk.pay(client, out(), "1.00", code));
    assertFailure(Sdk.pay(client, out(), "1.00", code), "40004",
        "ACQ.PAYMENT_AUTH_CODE_INVALID");
    String stale = f.codes.issue(buyer.id()).code();
    f.clock.advance(Duration.ofSeconds(61));
    assertFailure(Sdk.pay(client, out(), "1.00", stale), "40004",
        "ACQ.PAYMENT_AUTH_CODE_INVALID");
    assertThat(f.balance(buyer)).isEqualTo(9_00);
  }

  @Test
  void invalidParameterForMalformedFields() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User buyer = f.user(0);
    String code = f.codes.issue(buyer.id()).code();
    List<String> creates = List.of(
        biz("out_trade_no", out(), "total_amount", "1.234", "subject", "x"),
        biz("out_trade_no", out(), "total_amount", "-1.00", "subject", "x"),
        biz("out_trade_no", out(), "total_amount", "0.00", "subject", "x"),
        biz("out_trade_no", out(), "total_amount", "100000000.01", "subject", "x"),
        biz("out_trade_no", out(), "subject", "x"),
        biz("out_trade_no", out(), "total_amount", "1.00"),
        biz("out_trade_no", out(), "total_amount", JsonNodeFactory.instance.objectNode(),
            "subject", "x"),
        biz("out_trade_no", "has space", "total_amount", "1.00", "subject", "x"),
        biz("total_amount", "1.00", "subject", "x"),
        biz("out_trade_no", out(), "total_amount", "1.00", "subject", "x", "timeout_express",
            "99x"),
        biz("out_trade_no", out(), "total_amount", "1.00", "subject", "x", "time_expire",
            "2020-01-01 00:00:00"),
        biz("out_trade_no", out(), "total_amount", "1.00", "subject", "x", "buyer_id",
            buyer.id().toString(), "buyer_open_id", "0abc"),
        biz("out_trade_no", out(), "total_amount", "1.00", "subject", "x", "buyer_id",
            "2088102146225135"),
        biz("out_trade_no", out(), "total_amount", "1.00", "subject", "x", "buyer_open_id",
            "0NoSuchOpenId"));
    for (String content : creates) {
      assertFailure(Sdk.create(client, content), "40004", "ACQ.INVALID_PARAMETER");
    }
    assertFailure(Sdk.pay(client, biz("out_trade_no", out(), "auth_code", code,
        "total_amount", "1.00", "subject", "x")), "40004", "ACQ.INVALID_PARAMETER");
    assertFailure(Sdk.pay(client, biz("out_trade_no", out(), "scene", "face_code",
        "auth_code", code, "total_amount", "1.00", "subject", "x")), "40004",
        "ACQ.INVALID_PARAMETER");
    assertFailure(Sdk.queryWith(client, biz("subject", "neither trade_no nor out_trade_no")), "40004",
        "ACQ.INVALID_PARAMETER");
    assertFailure(Sdk.refund(client, biz("out_trade_no", out(), "refund_amount", "1.001")),
        "40004", "ACQ.INVALID_PARAMETER");
    assertThat(Sdk.create(client, creates.get(0)).getSubMsg())
        .isEqualTo("参数无效: total_amount must be an amount like 88.88 (at most 2 decimals), got "
            + "1.234");
  }

  @Test
  void amountsMayComeAsJsonNumbers() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    String out = out();
    assertSuccess(Sdk.create(client, biz("out_trade_no", out, "total_amount",
        new BigDecimal("88.8"), "subject", "x")));
    assertThat(Sdk.query(client, out).getTotalAmount()).isEqualTo("88.80");
    String whole = out();
    assertSuccess(Sdk.create(client, biz("out_trade_no", whole, "total_amount", 7,
        "subject", "x")));
    assertThat(Sdk.query(client, whole).getTotalAmount()).isEqualTo("7.00");
  }

  // ------------------------------------------------------------------ idempotency, concurrency

  @Test
  void resubmissionsAnswerTheSameTradeAndTheSameRefund() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User buyer = f.user(20_00);
    String out = out();
    AlipayTradeCreateResponse first = Sdk.create(client, out, "20.00");
    AlipayTradeCreateResponse again = Sdk.create(client, out, "20.00");
    assertSuccess(again);
    assertThat(again.getTradeNo()).isEqualTo(first.getTradeNo());
    payInCashier(buyer, first.getTradeNo());

    AlipayTradeRefundResponse refund = Sdk.refund(client, out, "5.00", "req-1");
    AlipayTradeRefundResponse repeat = Sdk.refund(client, out, "5.00", "req-1");
    assertSuccess(repeat);
    assertThat(refund.getFundChange()).isEqualTo("Y");
    assertThat(repeat.getFundChange()).isEqualTo("N");
    assertThat(repeat.getRefundFee()).isEqualTo("5.00");
    assertThat(repeat.getSendBackFee()).isEqualTo("5.00");
    assertThat(repeat.getGmtRefundPay()).isEqualTo(refund.getGmtRefundPay());
    assertThat(f.balance(buyer)).isEqualTo(5_00);
    assertFailure(Sdk.refund(client, out, "6.00", "req-1"), "40004",
        "ACQ.DISCORDANT_REPEAT_REQUEST");
  }

  @Test
  void concurrentDuplicateSubmissionsMakeOneTradeAndOneRefund() throws Exception {
    User buyer = f.user(100_00);
    String out = out();
    List<String> tradeNos = race(8, () -> {
      AlipayTradeCreateResponse r = Sdk.create(f.client(a, "UTF-8"), out, "40.00");
      assertSuccess(r);
      return r.getTradeNo();
    });
    assertThat(Set.copyOf(tradeNos)).hasSize(1);
    assertThat(count("SELECT count(*) FROM pay_trade WHERE app_id = '" + a.appId()
        + "' AND out_trade_no = '" + out + "'")).isEqualTo(1);
    payInCashier(buyer, tradeNos.get(0));

    List<String> refundFees = race(8, () -> {
      AlipayTradeRefundResponse r = Sdk.refund(f.client(a, "UTF-8"), out, "15.00", "dup");
      assertSuccess(r);
      return r.getRefundFee() + "/" + r.getSendBackFee();
    });
    assertThat(Set.copyOf(refundFees)).containsExactly("15.00/15.00");
    assertThat(count("SELECT count(*) FROM pay_refund WHERE trade_no = '" + tradeNos.get(0)
        + "'")).isEqualTo(1);
    assertThat(f.balance(buyer)).isEqualTo(100_00 - 40_00 + 15_00);
  }

  private static <T> List<T> race(int threads, Callable<T> task) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return task.call();
        }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    }
  }

  private static long count(String sql) {
    return f.jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  // ------------------------------------------------------------------ close, cancel, timeouts

  @Test
  void cancelClosesAnUnpaidTradeAndRefundsAPaidOne() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    String unpaid = out();
    assertSuccess(Sdk.create(client, unpaid, "3.00"));
    AlipayTradeCancelResponse closed = Sdk.cancel(client, unpaid);
    assertSuccess(closed);
    assertThat(closed.getAction()).isEqualTo("close");
    assertThat(closed.getRetryFlag()).isEqualTo("N");
    assertThat(closed.getGmtRefundPay()).isNull();
    assertThat(Sdk.query(client, unpaid).getTradeStatus()).isEqualTo("TRADE_CLOSED");

    User buyer = f.user(10_00);
    String paid = out();
    paid(client, buyer, paid, "6.00");
    assertSuccess(Sdk.refund(client, paid, "1.00", "part"));
    AlipayTradeCancelResponse refunded = Sdk.cancel(client, paid);
    assertSuccess(refunded);
    assertThat(refunded.getAction()).isEqualTo("refund");
    assertThat(refunded.getRetryFlag()).isEqualTo("N");
    assertThat(refunded.getGmtRefundPay()).isNotNull();
    assertThat(f.balance(buyer)).isEqualTo(10_00);
    assertThat(Sdk.cancel(client, paid).getAction()).isEqualTo("refund");
    assertThat(f.balance(buyer)).isEqualTo(10_00);
  }

  @Test
  void anUnpaidTradeClosesWhenItsTimeoutPasses() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    String out = out();
    assertSuccess(Sdk.create(client, biz("out_trade_no", out, "total_amount", "1.00",
        "subject", "x", "timeout_express", "1m")));
    f.clock.advance(Duration.ofSeconds(59));
    assertThat(Sdk.query(client, out).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
    f.clock.advance(Duration.ofSeconds(2));
    assertThat(Sdk.query(client, out).getTradeStatus()).isEqualTo("TRADE_CLOSED");
  }

  // ------------------------------------------------------------------ app scoping, notify_url

  @Test
  void anAppSeesOnlyItsOwnTrades() {
    DefaultAlipayClient clientA = f.client(a, "UTF-8");
    DefaultAlipayClient clientC = f.client(c, "UTF-8");
    User buyer = f.user(10_00);
    String out = out();
    String tradeNo = paid(clientA, buyer, out, "5.00");

    assertFailure(Sdk.query(clientC, out), "40004", "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.queryWith(clientC, biz("trade_no", tradeNo)), "40004", "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.refund(clientC, biz("trade_no", tradeNo, "refund_amount", "5.00")),
        "40004", "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.cancel(clientC, out), "40004", "ACQ.TRADE_NOT_EXIST");
    assertFailure(Sdk.refundQuery(clientC, out, out), "40004", "ACQ.TRADE_NOT_EXIST");
    assertThat(f.balance(buyer)).isEqualTo(5_00);

    // The same out_trade_no is a different trade in another app.
    AlipayTradeCreateResponse other = Sdk.create(clientC, out, "7.00");
    assertSuccess(other);
    assertThat(other.getTradeNo()).isNotEqualTo(tradeNo);
  }

  @Test
  void theRequestsNotifyUrlWinsOverTheAppsDefault() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    String withOwn = out();
    com.alipay.api.request.AlipayTradeCreateRequest request =
        new com.alipay.api.request.AlipayTradeCreateRequest();
    request.setNotifyUrl("http://127.0.0.1:7/own");
    request.setBizContent(biz("out_trade_no", withOwn, "total_amount", "1.00", "subject", "x"));
    assertSuccess(OpenApiFixture.execute(client, request));
    assertThat(f.trades.query(TradeRef.byOutTradeNo(a.appId(), withOwn)).notifyUrl())
        .isEqualTo("http://127.0.0.1:7/own");

    String withDefault = out();
    assertSuccess(Sdk.create(client, withDefault, "1.00"));
    assertThat(f.trades.query(TradeRef.byOutTradeNo(a.appId(), withDefault)).notifyUrl())
        .isEqualTo(OpenApiFixture.NOTIFY_URL);

    request.setNotifyUrl("ftp://127.0.0.1/own");
    request.setBizContent(biz("out_trade_no", out(), "total_amount", "1.00", "subject", "x"));
    assertFailure(OpenApiFixture.execute(client, request), "40004", "ACQ.INVALID_PARAMETER");
  }
}
