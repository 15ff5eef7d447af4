package dev.hutong.pay;

import dev.hutong.identity.Merchant;
import dev.hutong.identity.MerchantLimits;
import dev.hutong.identity.MerchantProfile;
import dev.hutong.identity.MerchantStatus;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.Tx;
import dev.hutong.ledger.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Risk control on the payment path: every payment attempt (cashier, payment code, collect code)
 * passes {@link #check} before any money moves. It refuses a payment to a frozen merchant, above
 * the merchant's per-payment or daily limit, above the user's daily limit, or when a velocity rule
 * fires ({@link RiskRules}); each refusal is recorded as a {@link BlockedPayment} with its reason.
 *
 * <p>Sums and counts are read before the payment, so two concurrent payments may pass a limit
 * together by one payment (documented; the ledger's balances are never at risk).
 */
public final class Risk {
  private static final long RULES_TTL_NANOS = Duration.ofSeconds(5).toNanos();

  private final Jdbi jdbi;
  private final Merchants merchants;
  private final Clock clock;
  private volatile RiskRules cached;
  private volatile long cachedAt;

  Risk(Jdbi jdbi, Merchants merchants, Clock clock) {
    this.jdbi = jdbi;
    this.merchants = merchants;
    this.clock = clock;
  }

  /** Throws the refusal (after recording it) when {@code payer} may not pay the unpaid trade {@code t}. */
  void check(Trade t, UUID payer) {
    MerchantProfile p = merchants.profile(t.merchantId())
        .orElseThrow(() -> new TradeException(TradeError.SYSTEM_ERROR, "the trade's merchant is gone"));
    Merchant m = p.merchant();
    if (m.status() != MerchantStatus.ACTIVE) {
      throw block(t, payer, "merchant_frozen", "the merchant is frozen", TradeError.SELLER_BEEN_BLOCKED);
    }
    MerchantLimits limits = p.limits();
    if (limits.paymentLimitFen() > 0 && t.totalAmount() > limits.paymentLimitFen()) {
      throw block(t, payer, "merchant_payment_limit", "amount " + Amounts.format(t.totalAmount())
          + " is above the merchant's per-payment limit " + Amounts.format(limits.paymentLimitFen()),
          TradeError.TOTAL_FEE_EXCEED);
    }
    Instant dayStart = clock.instant().atZone(AlipayTimes.ZONE).toLocalDate()
        .atStartOfDay(AlipayTimes.ZONE).toInstant();
    if (limits.dayLimitFen() > 0) {
      long today = paidSince("merchant_id", m.id(), dayStart);
      if (today + t.totalAmount() > limits.dayLimitFen()) {
        throw block(t, payer, "merchant_day_limit", "the merchant took " + Amounts.format(today)
            + " today; its daily limit is " + Amounts.format(limits.dayLimitFen()),
            TradeError.PRODUCT_AMOUNT_LIMIT_ERROR);
      }
    }
    checkUser(t, payer, rules(), dayStart);
  }

  private void checkUser(Trade t, UUID payer, RiskRules r, Instant dayStart) {
    Instant now = clock.instant();
    if (r.userDayLimitFen() > 0) {
      long today = paidSince("buyer_user_id", payer, dayStart);
      if (today + t.totalAmount() > r.userDayLimitFen()) {
        throw block(t, payer, "user_day_limit", "the user paid " + Amounts.format(today)
            + " today; the daily limit is " + Amounts.format(r.userDayLimitFen()),
            TradeError.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR);
      }
    }
    if (r.failedPinMax() > 0) {
      long wrong = Tx.read(jdbi, h -> h.createQuery("SELECT count(*) FROM pay_risk_event"
              + " WHERE user_id = :u AND kind = 'PIN_WRONG' AND at > :since")
          .bind("u", Tx.uuid(payer)).bind("since", Tx.at(now.minusSeconds(r.failedPinWindowS())))
          .mapTo(Long.class).one());
      if (wrong >= r.failedPinMax()) {
        throw block(t, payer, "failed_pins", wrong + " wrong payment PINs in the last "
            + r.failedPinWindowS() + " s", TradeError.PAYMENT_REQUEST_HAS_RISK);
      }
    }
    if (r.smallPaymentMax() > 0 && t.totalAmount() <= r.smallPaymentFen()) {
      long small = Tx.read(jdbi, h -> h.createQuery("SELECT count(*) FROM pay_trade"
              + " WHERE buyer_user_id = :u AND paid_at > :since AND total_amount <= :small")
          .bind("u", Tx.uuid(payer)).bind("since", Tx.at(now.minusSeconds(r.smallPaymentWindowS())))
          .bind("small", r.smallPaymentFen()).mapTo(Long.class).one());
      if (small >= r.smallPaymentMax()) {
        throw block(t, payer, "small_payments", small + " payments of at most "
            + Amounts.format(r.smallPaymentFen()) + " in the last " + r.smallPaymentWindowS() + " s",
            TradeError.PAYMENT_REQUEST_HAS_RISK);
      }
    }
  }

  private long paidSince(String column, UUID id, Instant since) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT coalesce(sum(total_amount), 0) FROM pay_trade"
            + " WHERE " + column + " = :id AND paid_at >= :since")
        .bind("id", Tx.uuid(id)).bind("since", Tx.at(since)).mapTo(Long.class).one());
  }

  private TradeException block(Trade t, UUID payer, String rule, String reason, TradeError error) {
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO pay_blocked_payment (id, at, trade_no,"
            + " merchant_id, user_id, amount, rule, reason) VALUES (:id, :at, :t, :m, :u, :a, :r, :why)")
        .bind("id", Tx.uuid(Ids.next())).bind("at", Tx.at(clock.instant())).bind("t", t.tradeNo())
        .bind("m", Tx.uuid(t.merchantId())).bind("u", Tx.uuid(payer)).bind("a", t.totalAmount())
        .bind("r", rule).bind("why", reason).execute());
    return new TradeException(error, reason);
  }

  /** Counts a wrong payment PIN towards the failed-PIN velocity rule. */
  void recordPinWrong(UUID userId) {
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO pay_risk_event (id, user_id, kind, at)"
            + " VALUES (:id, :u, 'PIN_WRONG', :at)")
        .bind("id", Tx.uuid(Ids.next())).bind("u", Tx.uuid(userId))
        .bind("at", Tx.at(clock.instant())).execute());
  }

  /** The rules in force (re-read at most every 5 s, and at once after {@link #setRule}). */
  public RiskRules rules() {
    RiskRules r = cached;
    if (r != null && System.nanoTime() - cachedAt < RULES_TTL_NANOS) {
      return r;
    }
    Map<String, Long> stored = new HashMap<>();
    Tx.read(jdbi, h -> h.createQuery("SELECT name, value FROM pay_risk_rule")
        .map((rs, ctx) -> stored.put(rs.getString(1), rs.getLong(2))).list());
    r = RiskRules.from(stored);
    cached = r;
    cachedAt = System.nanoTime();
    return r;
  }

  /** Sets one rule; the name must be one of {@link RiskRules#RULES}, the value within its bounds. */
  public RiskRules setRule(String name, long value) {
    long[] spec = name == null ? null : RiskRules.RULES.get(name);
    if (spec == null) {
      throw TradeException.invalid("unknown risk rule: " + name + "; rules: " + RiskRules.RULES.keySet());
    }
    if (value < 0 || value > spec[1]) {
      throw TradeException.invalid(name + " must be 0 to " + spec[1]);
    }
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO pay_risk_rule (name, value, updated_at)"
            + " VALUES (:n, :v, :at) ON CONFLICT (name) DO UPDATE SET value = :v, updated_at = :at")
        .bind("n", name).bind("v", value).bind("at", Tx.at(clock.instant())).execute());
    cached = null;
    return rules();
  }

  /** Blocked payments, newest first; of one merchant when {@code merchantId} is given. */
  public List<BlockedPayment> blocked(UUID merchantId, int limit) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM pay_blocked_payment"
            + " WHERE (CAST(:m AS uuid) IS NULL OR merchant_id = :m) ORDER BY at DESC, id DESC LIMIT :n")
        .bind("m", Tx.uuid(merchantId)).bind("n", Math.max(1, Math.min(limit, 500)))
        .map((rs, ctx) -> new BlockedPayment(Tx.uuid(rs, "id"), Tx.instant(rs, "at"),
            rs.getString("trade_no"), Tx.uuid(rs, "merchant_id"), Tx.uuid(rs, "user_id"),
            rs.getLong("amount"), rs.getString("rule"), rs.getString("reason")))
        .list());
  }
}
