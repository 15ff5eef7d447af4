package dev.hutong.identity;

import dev.hutong.ledger.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Merchants and their settlement accounts. */
public final class Merchants {
  /** The most merchants {@link #frozenAmong} takes: a page of search results is at most 50. */
  public static final int STATUS_BATCH_MAX = 200;

  private static final int NAME_CHARS_MAX = 128;
  private static final int CATEGORY_CHARS_MAX = 64;

  private final Jdbi jdbi;
  private final Wallets wallets;
  private final Clock clock;

  public Merchants(Jdbi jdbi, Wallets wallets, Clock clock) {
    this.jdbi = jdbi;
    this.wallets = wallets;
    this.clock = clock;
  }

  /** Creates a merchant; its settlement account first, then the row naming it. */
  public Merchant create(NewMerchant request) {
    String name = validName(request.name());
    String category = validCategory(request.category());
    FeeRate rate = request.feeRate() == null ? FeeRate.ZERO : request.feeRate();
    UUID id = Ids.next();
    UUID accountId = Ids.next();
    Instant now = clock.instant();
    wallets.createMerchantSettlement(accountId, id);
    Tx.run(jdbi, h -> {
      insert(h, new Merchant(id, name, category, rate, MerchantStatus.ACTIVE, accountId, now),
          MerchantLimits.NONE);
      return null;
    });
    return new Merchant(id, name, category, rate, MerchantStatus.ACTIVE, accountId, now);
  }

  /** A new merchant row (its settlement account must exist already), inside the caller's transaction. */
  static void insert(org.jdbi.v3.core.Handle h, Merchant m, MerchantLimits limits) {
    h.createUpdate("INSERT INTO identity_merchant (id, name, category, fee_rate_ppm, status,"
            + " settlement_account_id, created_at, tier, payment_limit_fen, day_limit_fen)"
            + " VALUES (:id, :name, :cat, :ppm, :status, :acct, :at, :tier, :pl, :dl)")
        .bind("id", Tx.uuid(m.id())).bind("name", m.name()).bind("cat", m.category())
        .bind("ppm", m.feeRate().ppm()).bind("status", m.status().name())
        .bind("acct", Tx.uuid(m.settlementAccountId())).bind("at", Tx.at(m.createdAt()))
        .bind("tier", limits.tier().name()).bind("pl", nullIfZero(limits.paymentLimitFen()))
        .bind("dl", nullIfZero(limits.dayLimitFen())).execute();
  }

  /** Validates a business name and category the way {@link #create} does. */
  static String validName(String name) {
    return Users.validText(name, NAME_CHARS_MAX, IdentityError.INVALID_NAME);
  }

  static String validCategory(String category) {
    return category == null || category.isBlank() ? "general"
        : Users.validText(category, CATEGORY_CHARS_MAX, IdentityError.INVALID_CATEGORY);
  }

  /** The merchant with its onboarding data, tier, limits and bank account. */
  public Optional<MerchantProfile> profile(UUID id) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM identity_merchant WHERE id = :id")
        .bind("id", Tx.uuid(id)).map(Merchants::profile).findOne());
  }

  /** The merchant's limits (what the payment path enforces). */
  public MerchantLimits limits(UUID id) {
    return profile(id).orElseThrow(() -> new IdentityException(IdentityError.MERCHANT_NOT_FOUND))
        .limits();
  }

  /** Sets tier and limits (an operator raising a micro-merchant's, say). */
  public void setLimits(UUID id, MerchantLimits limits) {
    int n = Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_merchant SET tier = :tier,"
            + " payment_limit_fen = :pl, day_limit_fen = :dl WHERE id = :id")
        .bind("tier", limits.tier().name()).bind("pl", nullIfZero(limits.paymentLimitFen()))
        .bind("dl", nullIfZero(limits.dayLimitFen())).bind("id", Tx.uuid(id)).execute());
    if (n == 0) {
      throw new IdentityException(IdentityError.MERCHANT_NOT_FOUND);
    }
  }

  /** Sets where payouts go: an account at the named funding channel. */
  public void setBankAccount(UUID id, String holder, String accountNo, FundingChannel channel) {
    String h0 = Users.validText(holder, NAME_CHARS_MAX, IdentityError.INVALID_BANK_HOLDER);
    String no = BankAccount.validNumber(accountNo);
    int n = Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_merchant SET bank_holder = :h,"
            + " bank_account_no = :no, bank_channel = :c WHERE id = :id")
        .bind("h", h0).bind("no", no).bind("c", channel.name()).bind("id", Tx.uuid(id)).execute());
    if (n == 0) {
      throw new IdentityException(IdentityError.MERCHANT_NOT_FOUND);
    }
  }

  /**
   * Merchants whose name contains {@code text} (case-insensitive; any when blank), optionally
   * only those with {@code status}, newest first, at most {@code limit} (≤ 200).
   */
  public java.util.List<MerchantProfile> search(String text, MerchantStatus status, int limit) {
    String q = text == null ? "" : text.strip();
    if (q.length() > NAME_CHARS_MAX) {
      throw new IdentityException(IdentityError.INVALID_NAME);
    }
    String pattern = "%" + q.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\")
        .replace("%", "\\%").replace("_", "\\_") + "%";
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM identity_merchant"
            + " WHERE lower(name) LIKE :p AND (CAST(:s AS text) IS NULL OR status = :s)"
            + " ORDER BY created_at DESC, id LIMIT :n")
        .bind("p", pattern).bind("s", status == null ? null : status.name())
        .bind("n", Math.max(1, Math.min(limit, 200))).map(Merchants::profile).list());
  }

  static MerchantProfile profile(ResultSet rs, StatementContext ctx) throws SQLException {
    long pl = rs.getLong("payment_limit_fen");
    long dl = rs.getLong("day_limit_fen");
    String no = rs.getString("bank_account_no");
    String channel = rs.getString("bank_channel");
    BankAccount bank = no == null ? null : new BankAccount(rs.getString("bank_holder"), no,
        channel, SimulatedBankChannel.NAME.equals(channel));
    return new MerchantProfile(merchant(rs, ctx), rs.getString("city"),
        rs.getString("contact_phone"),
        new MerchantLimits(MerchantTier.valueOf(rs.getString("tier")), pl, dl), bank);
  }

  private static Long nullIfZero(long fen) {
    return fen == 0 ? null : fen;
  }

  public Optional<Merchant> find(UUID id) {
    return Tx.read(jdbi, h -> find(h, id));
  }

  /** The merchant, read in the caller's transaction. */
  public static Optional<Merchant> find(Handle h, UUID id) {
    return h.createQuery("SELECT * FROM identity_merchant WHERE id = :id")
        .bind("id", Tx.uuid(id)).map(Merchants::merchant).findOne();
  }

  /** Which of these merchants (at most {@link #STATUS_BATCH_MAX}) are frozen: one query. */
  public Set<UUID> frozenAmong(Collection<UUID> ids) {
    if (ids.size() > STATUS_BATCH_MAX) {
      throw new IllegalArgumentException("at most " + STATUS_BATCH_MAX + " merchants at a time");
    }
    if (ids.isEmpty()) {
      return Set.of();
    }
    return Tx.read(jdbi, h -> Set.copyOf(h.createQuery("SELECT id FROM identity_merchant"
            + " WHERE id = ANY(CAST(:ids AS uuid[])) AND status = 'FROZEN'")
        .bindArray("ids", String.class, ids.stream().map(UUID::toString).toList())
        .map((rs, ctx) -> Tx.uuid(rs, "id")).list()));
  }

  /** The merchant, or {@link IdentityError#MERCHANT_NOT_FOUND}. */
  public Merchant get(UUID id) {
    return find(id).orElseThrow(() -> new IdentityException(IdentityError.MERCHANT_NOT_FOUND));
  }

  public void setStatus(UUID id, MerchantStatus status) {
    int n = Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_merchant SET status = :s WHERE id = :id")
        .bind("s", status.name()).bind("id", Tx.uuid(id)).execute());
    if (n == 0) {
      throw new IdentityException(IdentityError.MERCHANT_NOT_FOUND);
    }
  }

  /** Changes the fee rate for trades created from now on (existing trades keep theirs). */
  public void setFeeRate(UUID id, FeeRate rate) {
    int n = Tx.run(jdbi, h -> h.createUpdate(
            "UPDATE identity_merchant SET fee_rate_ppm = :ppm WHERE id = :id")
        .bind("ppm", rate.ppm()).bind("id", Tx.uuid(id)).execute());
    if (n == 0) {
      throw new IdentityException(IdentityError.MERCHANT_NOT_FOUND);
    }
  }

  static Merchant merchant(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Merchant(Tx.uuid(rs, "id"), rs.getString("name"), rs.getString("category"),
        new FeeRate(rs.getInt("fee_rate_ppm")), MerchantStatus.valueOf(rs.getString("status")),
        Tx.uuid(rs, "settlement_account_id"), Tx.instant(rs, "created_at"));
  }
}
