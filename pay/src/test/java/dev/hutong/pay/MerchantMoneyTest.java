package dev.hutong.pay;

import static dev.hutong.pay.PayFixture.PIN;
import static dev.hutong.pay.PayFixture.assertSubCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.db.MutableClock;
import dev.hutong.identity.FundingResult;
import dev.hutong.identity.IdentityError;
import dev.hutong.identity.IdentityException;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.MerchantLimits;
import dev.hutong.identity.MerchantStatus;
import dev.hutong.identity.MerchantTier;
import dev.hutong.identity.User;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Micro-merchant limits, freezing, risk rules, payouts, the T+1 sweep and statements. */
@Tag("db")
class MerchantMoneyTest {
  static MutableClock clock = new MutableClock(Instant.parse("2026-03-01T02:00:00Z"));
  static PayFixture f;
  static final AtomicInteger requests = new AtomicInteger();

  @BeforeAll
  static void start() {
    f = new PayFixture("merchant_money", clock, PaySettings.defaults("http://127.0.0.1:8080"));
  }

  @AfterEach
  void invariants() throws Exception {
    for (String rule : RiskRules.RULES.keySet()) {
      f.trades.risk().setRule(rule, RiskRules.RULES.get(rule)[0]);
    }
    f.assertInvariants();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static Trade collect(User buyer, Merchant m, long fen) {
    String code = f.collectCodes.codeFor(m.id());
    return f.cashier.payCollectCode(buyer.id(), code, fen, PIN, "r" + requests.incrementAndGet())
        .trade();
  }

  static void collectRefused(User buyer, Merchant m, long fen, TradeError error) {
    String code = f.collectCodes.codeFor(m.id());
    assertSubCode(() -> f.cashier.payCollectCode(buyer.id(), code, fen, PIN,
        "r" + requests.incrementAndGet()), error);
  }

  @Test
  void aMicroMerchantTakesAtMostItsPerPaymentLimitUntilAnOperatorRaisesIt() {
    Merchant m = f.microMerchant();
    User buyer = f.user(5_000_00);
    long before = f.balance(buyer);
    collectRefused(buyer, m, MerchantLimits.MICRO.paymentLimitFen() + 1, TradeError.TOTAL_FEE_EXCEED);
    assertThat(f.balance(buyer)).isEqualTo(before);
    List<BlockedPayment> blocked = f.trades.risk().blocked(m.id(), 10);
    assertThat(blocked).singleElement().satisfies(b -> {
      assertThat(b.rule()).isEqualTo("merchant_payment_limit");
      assertThat(b.reason()).contains("1000.01").contains("1000.00");
      assertThat(b.userId()).isEqualTo(buyer.id());
    });
    assertThat(collect(buyer, m, MerchantLimits.MICRO.paymentLimitFen()).status())
        .isEqualTo(TradeStatus.TRADE_SUCCESS);
    f.merchants.setLimits(m.id(), new MerchantLimits(MerchantTier.STANDARD, 2_000_00, 0));
    assertThat(collect(buyer, m, 1_500_00).status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
  }

  @Test
  void aMicroMerchantsDailyLimitResetsAtMidnightGmt8() {
    Merchant m = f.microMerchant();
    User buyer = f.user(30_000_00);
    for (int i = 0; i < 10; i++) {
      collect(buyer, m, 1_000_00);
    }
    collectRefused(buyer, m, 1_00, TradeError.PRODUCT_AMOUNT_LIMIT_ERROR);
    assertThat(f.trades.risk().blocked(m.id(), 1).get(0).rule()).isEqualTo("merchant_day_limit");
    clock.advance(Duration.ofDays(1));
    assertThat(collect(buyer, m, 1_00).status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
  }

  @Test
  void aFrozenMerchantCanNotBePaidEvenForATradeCreatedBeforeTheFreeze() {
    Merchant m = f.merchant("0.006");
    User buyer = f.user(100_00);
    Trade t = f.trades.create(f.create(m, "frz-" + requests.incrementAndGet(), 10_00, buyer.id()));
    f.merchants.setStatus(m.id(), MerchantStatus.FROZEN);
    assertSubCode(() -> f.cashier.confirm(buyer.id(), t.tradeNo(), PIN), TradeError.SELLER_BEEN_BLOCKED);
    assertSubCode(() -> f.trades.create(f.create(m, "frz-new", 10_00, buyer.id())),
        TradeError.SELLER_BEEN_BLOCKED);
    assertThat(f.trades.risk().blocked(m.id(), 5)).extracting(BlockedPayment::rule)
        .containsExactly("merchant_frozen");
    assertThat(f.balance(buyer)).isEqualTo(100_00);
    f.merchants.setStatus(m.id(), MerchantStatus.ACTIVE);
    assertThat(f.cashier.confirm(buyer.id(), t.tradeNo(), PIN).trade().status())
        .isEqualTo(TradeStatus.TRADE_SUCCESS);
  }

  @Test
  void manyWrongPinsBlockPaymentsForTheWindowEvenAfterARightOne() {
    f.trades.risk().setRule("failed_pin_max", 3);
    f.trades.risk().setRule("failed_pin_window_s", 3600);
    Merchant m = f.merchant("0");
    User buyer = f.user(100_00);
    String code = f.collectCodes.codeFor(m.id());
    for (int i = 0; i < 3; i++) {
      assertSubCode(() -> f.cashier.payCollectCode(buyer.id(), code, 1_00, "000000", "w" + requests
          .incrementAndGet()), TradeError.PIN_WRONG);
    }
    collectRefused(buyer, m, 1_00, TradeError.PAYMENT_REQUEST_HAS_RISK);
    assertThat(f.trades.risk().blocked(m.id(), 1).get(0).reason()).contains("3 wrong payment PINs");
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(collect(buyer, m, 1_00).status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
  }

  @Test
  void manySmallPaymentsInAWindowBlockTheNextSmallOneButNotALargerOne() {
    f.trades.risk().setRule("small_payment_max", 3);
    Merchant m = f.merchant("0");
    User buyer = f.user(100_00);
    for (int i = 0; i < 3; i++) {
      collect(buyer, m, 10);
    }
    collectRefused(buyer, m, 50, TradeError.PAYMENT_REQUEST_HAS_RISK);
    assertThat(f.trades.risk().blocked(m.id(), 1).get(0).rule()).isEqualTo("small_payments");
    assertThat(collect(buyer, m, 51).status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
  }

  @Test
  void aUsersDailyLimitCoversEveryKindOfPayment() {
    f.trades.risk().setRule("user_day_limit_fen", 100_00);
    Merchant m = f.merchant("0");
    User buyer = f.user(500_00);
    collect(buyer, m, 60_00);
    collectRefused(buyer, m, 50_00, TradeError.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR);
    Trade t = f.trades.create(f.create(m, "udl-" + requests.incrementAndGet(), 50_00, buyer.id()));
    assertSubCode(() -> f.cashier.confirm(buyer.id(), t.tradeNo(), PIN),
        TradeError.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR);
    assertThat(collect(buyer, m, 40_00).status()).isEqualTo(TradeStatus.TRADE_SUCCESS);
  }

  @Test
  void riskRulesAreValidated() {
    assertSubCode(() -> f.trades.risk().setRule("no_such_rule", 1), TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.risk().setRule("failed_pin_max", -1), TradeError.INVALID_PARAMETER);
    assertSubCode(() -> f.trades.risk().setRule("failed_pin_max", 1001), TradeError.INVALID_PARAMETER);
    assertThat(f.trades.risk().setRule("failed_pin_max", 7).failedPinMax()).isEqualTo(7);
  }

  @Test
  void payoutsOnDemandAreIdempotentAndNeverExceedTheBalance() {
    Merchant m = f.microMerchant();
    User buyer = f.user(100_00);
    Trade t = collect(buyer, m, 12_50);
    new MerchantTrades(f.trades).refund(m.id(), t.tradeNo(), 2_50, "rf-1", "one bowl less");
    long net = 12_50 - 8 - 2_50 + 2; // fee 0.075 → 0.08; its share of 2.50 → 0.02
    assertThat(f.settlement.balance(m.id())).isEqualTo(net);
    FundingResult p = f.settlement.payout(m.id(), net, "po-1");
    assertThat(p.succeeded()).isTrue();
    assertThat(p.simulated()).isTrue();
    assertThat(f.settlement.payout(m.id(), net, "po-1").operationId()).isEqualTo(p.operationId());
    assertThat(f.settlement.balance(m.id())).isZero();
    FundingResult over = f.settlement.payout(m.id(), 1, "po-2");
    assertThat(over.status()).isEqualTo(FundingResult.Status.FAILED);
    assertThat(over.failure()).isEqualTo("BALANCE_NOT_ENOUGH");
    assertIdentity(() -> f.settlement.payout(m.id(), 1, "sweep-2026-01-01"),
        IdentityError.INVALID_REQUEST_ID);
    f.merchants.setStatus(m.id(), MerchantStatus.FROZEN);
    assertIdentity(() -> f.settlement.payout(m.id(), 1, "po-3"), IdentityError.MERCHANT_FROZEN);
    f.merchants.setStatus(m.id(), MerchantStatus.ACTIVE);
    Merchant noBank = f.merchant("0");
    assertIdentity(() -> f.settlement.payout(noBank.id(), 1, "po-1"),
        IdentityError.INVALID_BANK_ACCOUNT);
    SettlementSummary s = f.settlement.summary(m.id());
    assertThat(s.grossFen()).isEqualTo(12_50);
    assertThat(s.paidOutFen()).isEqualTo(net);
    assertThat(s.balanceFen()).isZero();
  }

  @Test
  void theDailySweepPaysYesterdaysNetOnceAndLeavesTodaysMoney() {
    Merchant m = f.microMerchant();
    User buyer = f.user(100_00);
    LocalDate day = clock.instant().atZone(AlipayTimes.ZONE).toLocalDate();
    Trade t = collect(buyer, m, 12_50);
    new MerchantTrades(f.trades).refund(m.id(), t.tradeNo(), 2_50, "rf-1", null);
    assertSubCode(() -> f.settlement.sweep(day), TradeError.INVALID_PARAMETER);
    clock.advance(Duration.ofDays(1));
    collect(buyer, m, 5_00); // today's: stays until tomorrow's sweep
    assertThat(f.settlement.summary(m.id()).settleableFen()).isEqualTo(9_94);
    SweepReport r = f.settlement.sweepDue();
    assertThat(r.businessDay()).isEqualTo(day);
    assertThat(f.settlement.payouts(m.id(), 10)).singleElement().satisfies(p -> {
      assertThat(p.amountFen()).isEqualTo(9_94);
      assertThat(p.requestId()).isEqualTo("sweep-" + day);
    });
    assertThat(f.settlement.sweepDue().alreadySwept()).isGreaterThanOrEqualTo(1);
    assertThat(f.settlement.payouts(m.id(), 10)).hasSize(1);
    assertThat(f.settlement.balance(m.id())).isEqualTo(5_00 - 3);
    clock.advance(Duration.ofDays(1));
    f.settlement.sweepDue();
    assertThat(f.settlement.balance(m.id())).isZero();
  }

  @Test
  void theStatementListsPaymentsRefundsAndPayoutsOfTheDayWithTotals() {
    Merchant m = f.microMerchant();
    User buyer = f.user(100_00);
    LocalDate day = clock.instant().atZone(AlipayTimes.ZONE).toLocalDate();
    Trade t = collect(buyer, m, 12_50);
    new MerchantTrades(f.trades).refund(m.id(), t.tradeNo(), 2_50, "rf-1", "=cmd,\"quoted\"");
    f.settlement.payout(m.id(), 9_94, "po-1").requireSuccess();
    String csv = f.statements.day(m.id(), day);
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0)).startsWith("# Hutong statement,").contains(m.id().toString())
        .contains(day.toString());
    assertThat(lines.get(1)).isEqualTo(Statements.HEADER);
    assertThat(lines.get(2)).startsWith("PAYMENT,").contains(t.tradeNo()).contains(",12.50,0.08,12.42,");
    assertThat(lines.get(3)).startsWith("REFUND,").contains(",rf-1,")
        .contains(",-2.50,-0.02,-2.48,").endsWith(",\"'=cmd,\"\"quoted\"\"\"");
    assertThat(lines.get(4)).startsWith("PAYOUT,").contains(",po-1,").contains(",-9.94,0.00,-9.94,")
        .contains("SIMULATED");
    assertThat(lines.get(5)).isEqualTo("TOTAL,,,,,3 lines,0.06,0.06,0.00,");
    assertThat(f.statements.day(m.id(), day.minusDays(1)).lines()).hasSize(3);
  }

  @Test
  void aMerchantSeesAndRefundsOnlyItsOwnTrades() {
    Merchant mine = f.microMerchant();
    Merchant other = f.microMerchant();
    User buyer = f.user(100_00);
    Trade t = collect(buyer, mine, 3_00);
    MerchantTrades portal = new MerchantTrades(f.trades);
    assertThat(portal.get(mine.id(), t.tradeNo()).tradeNo()).isEqualTo(t.tradeNo());
    assertSubCode(() -> portal.get(other.id(), t.tradeNo()), TradeError.TRADE_NOT_EXIST);
    assertSubCode(() -> portal.refund(other.id(), t.tradeNo(), 1_00, "x1", null),
        TradeError.TRADE_NOT_EXIST);
    assertThat(portal.list(other.id(), MerchantTrades.Filter.ALL, null, 50)).isEmpty();
    assertThat(portal.list(mine.id(), new MerchantTrades.Filter(TradeStatus.TRADE_SUCCESS,
        ProductKind.STATIC_COLLECT, null, null, 2_00L, 4_00L, null), null, 50))
        .extracting(Trade::tradeNo).containsExactly(t.tradeNo());
    assertThat(portal.list(mine.id(), new MerchantTrades.Filter(null, null, null, null, 4_00L,
        null, null), null, 50)).isEmpty();
    assertThat(portal.paidSince(mine.id(), clock.instant().minusSeconds(1), 10))
        .extracting(Trade::tradeNo).containsExactly(t.tradeNo());
    assertThat(portal.refund(mine.id(), t.tradeNo(), 3_00, "all", null).trade().status())
        .isEqualTo(TradeStatus.TRADE_CLOSED);
  }

  static void assertIdentity(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      IdentityError error) {
    assertThatThrownBy(call).isInstanceOfSatisfying(IdentityException.class,
        e -> assertThat(e.error()).isEqualTo(error));
  }
}
