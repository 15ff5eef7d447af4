package dev.hutong.identity;

import dev.hutong.ledger.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Merchants and their settlement accounts. */
public final class Merchants {
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
    String name = Users.validText(request.name(), NAME_CHARS_MAX, IdentityError.INVALID_NAME);
    String category = request.category() == null || request.category().isBlank() ? "general"
        : Users.validText(request.category(), CATEGORY_CHARS_MAX, IdentityError.INVALID_CATEGORY);
    FeeRate rate = request.feeRate() == null ? FeeRate.ZERO : request.feeRate();
    UUID id = Ids.next();
    UUID accountId = Ids.next();
    Instant now = clock.instant();
    wallets.createMerchantSettlement(accountId, id);
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO identity_merchant (id, name, category,"
            + " fee_rate_ppm, status, settlement_account_id, created_at) VALUES (:id, :name, :cat,"
            + " :ppm, 'ACTIVE', :acct, :at)")
        .bind("id", Tx.uuid(id)).bind("name", name).bind("cat", category).bind("ppm", rate.ppm())
        .bind("acct", Tx.uuid(accountId)).bind("at", Tx.at(now)).execute());
    return new Merchant(id, name, category, rate, MerchantStatus.ACTIVE, accountId, now);
  }

  public Optional<Merchant> find(UUID id) {
    return Tx.read(jdbi, h -> find(h, id));
  }

  /** The merchant, read in the caller's transaction. */
  public static Optional<Merchant> find(Handle h, UUID id) {
    return h.createQuery("SELECT * FROM identity_merchant WHERE id = :id")
        .bind("id", Tx.uuid(id)).map(Merchants::merchant).findOne();
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
