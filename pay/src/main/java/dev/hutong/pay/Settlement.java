package dev.hutong.pay;

import dev.hutong.identity.FundingChannel;
import dev.hutong.identity.FundingResult;
import dev.hutong.identity.IdentityError;
import dev.hutong.identity.IdentityException;
import dev.hutong.identity.MerchantProfile;
import dev.hutong.identity.MerchantStatus;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.Payout;
import dev.hutong.identity.Tx;
import dev.hutong.identity.Wallets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paying merchants out: on demand (any amount up to the balance) and by the automatic daily sweep,
 * T+1: on day D+1 (GMT+8) each active merchant with a bank account is paid what it earned up to
 * the end of day D, net of fees and refunds, less what was paid out already — never more than the
 * balance. Money moves through the {@link FundingChannel} (the simulated bank), which posts one
 * ledger transfer settlement → external funding per payout.
 *
 * <p>Idempotent: an on-demand payout by its request id; a sweep by the request id
 * {@code sweep-<D>} per merchant, so running the sweep of a day twice (two processes, a restart,
 * the hourly job) pays each merchant once. Client request ids may not start with {@code sweep-}.
 */
public final class Settlement {
  private static final Logger log = LoggerFactory.getLogger(Settlement.class);
  static final String SWEEP_PREFIX = "sweep-";
  private static final int PAGE = 200;

  private final Jdbi jdbi;
  private final Merchants merchants;
  private final Wallets wallets;
  private final FundingChannel channel;
  private final Clock clock;

  public Settlement(Jdbi jdbi, Merchants merchants, Wallets wallets, FundingChannel channel,
      Clock clock) {
    this.jdbi = jdbi;
    this.merchants = merchants;
    this.wallets = wallets;
    this.channel = channel;
    this.clock = clock;
  }

  public FundingChannel channel() {
    return channel;
  }

  /** A payout the merchant asked for; MERCHANT_FROZEN when frozen, INVALID_BANK_ACCOUNT without one. */
  public FundingResult payout(UUID merchantId, long amountFen, String requestId) {
    if (requestId != null && requestId.startsWith(SWEEP_PREFIX)) {
      throw new IdentityException(IdentityError.INVALID_REQUEST_ID,
          "request ids starting with " + SWEEP_PREFIX + " are the daily sweep's");
    }
    requirePayable(merchantId);
    return channel.payout(new Payout(merchantId, amountFen, requestId));
  }

  private MerchantProfile requirePayable(UUID merchantId) {
    MerchantProfile p = merchants.profile(merchantId)
        .orElseThrow(() -> new IdentityException(IdentityError.MERCHANT_NOT_FOUND));
    if (p.merchant().status() != MerchantStatus.ACTIVE) {
      throw new IdentityException(IdentityError.MERCHANT_FROZEN);
    }
    if (p.bankAccount() == null) {
      throw new IdentityException(IdentityError.INVALID_BANK_ACCOUNT,
          "the merchant has no settlement bank account: set one first");
    }
    return p;
  }

  /** The sweep of the day before today (GMT+8): what the hourly job runs. */
  public SweepReport sweepDue() {
    return sweep(clock.instant().atZone(AlipayTimes.ZONE).toLocalDate().minusDays(1));
  }

  /** Pays every active merchant with a bank account what it earned up to the end of {@code day}. */
  public SweepReport sweep(LocalDate day) {
    LocalDate today = clock.instant().atZone(AlipayTimes.ZONE).toLocalDate();
    if (!day.isBefore(today)) {
      throw TradeException.invalid("a sweep settles a past day (T+1): " + day + " is not before " + today);
    }
    int paid = 0;
    int already = 0;
    int failed = 0;
    long total = 0;
    UUID after = new UUID(0, 0);
    while (true) {
      List<UUID> page = payableMerchants(after);
      for (UUID m : page) {
        String requestId = SWEEP_PREFIX + day;
        if (payoutExists(m, requestId)) {
          already++;
          continue;
        }
        // Available, not posted: money held by a pending transfer (a property deposit in
        // escrow) is not the merchant's to pay out; a later day's sweep takes it once posted.
        long amount = Math.min(available(m), settleable(m, day));
        if (amount <= 0) {
          continue;
        }
        FundingResult r = channel.payout(new Payout(m, amount, requestId));
        if (r.succeeded()) {
          paid++;
          total += r.amountFen();
        } else {
          failed++;
          log.warn("sweep {} of merchant {} failed: {}", day, m, r.failure());
        }
      }
      if (page.size() < PAGE) {
        return new SweepReport(day, paid, total, already, failed);
      }
      after = page.get(page.size() - 1);
    }
  }

  private boolean payoutExists(UUID merchantId, String requestId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT count(*) FROM identity_funding_operation"
            + " WHERE kind = 'PAYOUT' AND owner_id = :m AND request_id = :r")
        .bind("m", Tx.uuid(merchantId)).bind("r", requestId).mapTo(Integer.class).one()) > 0;
  }

  private List<UUID> payableMerchants(UUID after) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT id FROM identity_merchant WHERE id > :after"
            + " AND status = 'ACTIVE' AND bank_account_no IS NOT NULL ORDER BY id LIMIT :n")
        .bind("after", Tx.uuid(after)).bind("n", PAGE).map((rs, ctx) -> Tx.uuid(rs, "id")).list());
  }

  /** The settlement account's posted balance. */
  public long balance(UUID merchantId) {
    return wallets.balance(merchants.get(merchantId).settlementAccountId()).posted();
  }

  /** The posted balance less what pending transfers hold (an escrowed deposit). */
  long available(UUID merchantId) {
    return wallets.balance(merchants.get(merchantId).settlementAccountId()).available();
  }

  /**
   * What a sweep of {@code day} may pay: net earnings (payments less fees, less refunds plus the
   * fees they returned) up to the end of {@code day}, less every payout so far (done or in flight).
   */
  public long settleable(UUID merchantId, LocalDate day) {
    Instant end = day.plusDays(1).atStartOfDay(AlipayTimes.ZONE).toInstant();
    return Math.max(0, net(merchantId, end) - paidOut(merchantId));
  }

  long net(UUID merchantId, Instant before) {
    return Tx.read(jdbi, h -> h.createQuery("""
            SELECT coalesce((SELECT sum(total_amount - fee_amount) FROM pay_trade
                              WHERE merchant_id = :m AND paid_at IS NOT NULL AND paid_at < :end), 0)
                 - coalesce((SELECT sum(r.amount - r.fee_refund) FROM pay_refund r
                              JOIN pay_trade t ON t.trade_no = r.trade_no
                              WHERE t.merchant_id = :m AND r.status = 'SUCCESS'
                                AND r.refunded_at < :end), 0)""")
        .bind("m", Tx.uuid(merchantId)).bind("end", Tx.at(before)).mapTo(Long.class).one());
  }

  long paidOut(UUID merchantId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT coalesce(sum(amount), 0)"
            + " FROM identity_funding_operation WHERE kind = 'PAYOUT' AND owner_id = :m"
            + " AND status IN ('SUCCESS', 'PROCESSING')")
        .bind("m", Tx.uuid(merchantId)).mapTo(Long.class).one());
  }

  /** Balance, all-time sums and what the next sweep would pay. */
  public SettlementSummary summary(UUID merchantId) {
    record Sums(long gross, long fees, long refunded, long feesBack) {}
    Sums s = Tx.read(jdbi, h -> h.createQuery("""
            SELECT coalesce(sum(total_amount), 0), coalesce(sum(fee_amount), 0),
                   coalesce(sum(refund_amount), 0), coalesce(sum(fee_refunded), 0)
              FROM pay_trade WHERE merchant_id = :m AND paid_at IS NOT NULL""")
        .bind("m", Tx.uuid(merchantId))
        .map((rs, ctx) -> new Sums(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).one());
    LocalDate yesterday = clock.instant().atZone(AlipayTimes.ZONE).toLocalDate().minusDays(1);
    long balance = balance(merchantId);
    return new SettlementSummary(balance, s.gross(), s.fees(), s.refunded(), s.feesBack(),
        paidOutSucceeded(merchantId),
        Math.min(available(merchantId), settleable(merchantId, yesterday)),
        channel.simulated(), channel.name());
  }

  private long paidOutSucceeded(UUID merchantId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT coalesce(sum(amount), 0)"
            + " FROM identity_funding_operation WHERE kind = 'PAYOUT' AND owner_id = :m"
            + " AND status = 'SUCCESS'")
        .bind("m", Tx.uuid(merchantId)).mapTo(Long.class).one());
  }

  /** The merchant's payouts, newest first. */
  public List<FundingResult> payouts(UUID merchantId, int limit) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM identity_funding_operation"
            + " WHERE kind = 'PAYOUT' AND owner_id = :m ORDER BY created_at DESC, id DESC LIMIT :n")
        .bind("m", Tx.uuid(merchantId)).bind("n", Math.max(1, Math.min(limit, 500)))
        .map((rs, ctx) -> new FundingResult(Tx.uuid(rs, "id"), FundingResult.Kind.PAYOUT,
            Tx.uuid(rs, "owner_id"), rs.getString("request_id"), rs.getLong("amount"),
            FundingResult.Status.valueOf(rs.getString("status")), rs.getString("failure"),
            rs.getString("channel"), rs.getBoolean("simulated"), Tx.instant(rs, "created_at"),
            Tx.instant(rs, "completed_at")))
        .list());
  }
}
