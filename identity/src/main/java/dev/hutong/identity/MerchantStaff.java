package dev.hutong.identity;

import dev.hutong.ledger.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Merchant portal logins: a phone number (E.164) and a bcrypt-hashed password per staff member.
 * Wrong passwords lock the login for 15 minutes after 5 in a row; each check claims an attempt in
 * one conditional UPDATE before bcrypt runs (as {@link PaymentPins} does), so parallel guesses get
 * at most 5 checks.
 */
public final class MerchantStaff {
  public static final int ATTEMPTS_MAX = 5;
  public static final Duration LOCK_DURATION = Duration.ofMinutes(15);

  private final Jdbi jdbi;
  private final SecretHasher hasher;
  private final Clock clock;
  private final String dummyHash;

  public MerchantStaff(Jdbi jdbi, SecretHasher hasher, Clock clock) {
    this.jdbi = jdbi;
    this.hasher = hasher;
    this.clock = clock;
    this.dummyHash = hasher.hash("not-a-password");
  }

  /** Adds a login for the merchant inside the caller's transaction; LOGIN_TAKEN if the phone has one. */
  StaffMember insert(Handle h, UUID merchantId, String phone, String password, StaffMember.Role role) {
    String login = Phones.normalize(phone);
    String hash = hasher.hash(Users.validPassword(password));
    UUID id = Ids.next();
    int n = h.createUpdate("INSERT INTO identity_merchant_staff (id, merchant_id, login,"
            + " password_hash, role, created_at) VALUES (:id, :m, :login, :hash, :role, :at)"
            + " ON CONFLICT (login) DO NOTHING")
        .bind("id", Tx.uuid(id)).bind("m", Tx.uuid(merchantId)).bind("login", login)
        .bind("hash", hash).bind("role", role.name()).bind("at", Tx.at(clock.instant())).execute();
    if (n == 0) {
      throw new IdentityException(IdentityError.LOGIN_TAKEN);
    }
    return new StaffMember(id, merchantId, login, role);
  }

  /**
   * Adds an owner login to an existing merchant (merchants made by an operator or the demo seed,
   * not by onboarding, which makes its own); LOGIN_TAKEN if the phone has a login.
   */
  public StaffMember addOwner(UUID merchantId, String phone, String password) {
    return Tx.run(jdbi, h -> insert(h, merchantId, phone, password, StaffMember.Role.OWNER));
  }

  /** Adds a cashier login to a merchant. */
  public StaffMember addCashier(UUID merchantId, String phone, String password) {
    return Tx.run(jdbi, h -> insert(h, merchantId, phone, password, StaffMember.Role.CASHIER));
  }

  /** The staff member with this login, if the password is right; LOGIN_LOCKED while locked. */
  public StaffMember login(String phone, String password) {
    String login;
    try {
      login = Phones.normalize(phone);
    } catch (IdentityException e) {
      throw new IdentityException(IdentityError.LOGIN_FAILED);
    }
    Instant now = clock.instant();
    record Claim(StaffMember staff, String hash, int failed) {}
    Optional<Claim> claim = Tx.run(jdbi, h -> h.createQuery("""
            UPDATE identity_merchant_staff SET
              failed_count = CASE WHEN locked_until IS NOT NULL AND locked_until <= :now
                                  THEN 1 ELSE failed_count + 1 END,
              locked_until = CASE WHEN locked_until <= :now THEN NULL ELSE locked_until END
             WHERE login = :login
               AND ((locked_until IS NULL AND failed_count < :max) OR locked_until <= :now)
            RETURNING *""")
        .bind("login", login).bind("now", Tx.at(now)).bind("max", ATTEMPTS_MAX)
        .map((rs, ctx) -> new Claim(staff(rs), rs.getString("password_hash"),
            rs.getInt("failed_count"))).findOne());
    if (claim.isEmpty()) {
      hasher.verify("wrong-password", dummyHash); // the same time as a real check
      throw new IdentityException(exists(login) ? IdentityError.LOGIN_LOCKED
          : IdentityError.LOGIN_FAILED);
    }
    boolean right = password != null && password.length() <= 64
        && hasher.verify(password, claim.get().hash());
    if (right) {
      Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_merchant_staff SET failed_count = 0"
          + " WHERE login = :login AND locked_until IS NULL").bind("login", login).execute());
      return claim.get().staff();
    }
    if (claim.get().failed() >= ATTEMPTS_MAX) {
      Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_merchant_staff SET locked_until = :until"
              + " WHERE login = :login").bind("until", Tx.at(now.plus(LOCK_DURATION)))
          .bind("login", login).execute());
    }
    throw new IdentityException(IdentityError.LOGIN_FAILED);
  }

  public Optional<StaffMember> find(UUID staffId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM identity_merchant_staff WHERE id = :id")
        .bind("id", Tx.uuid(staffId)).map((rs, ctx) -> staff(rs)).findOne());
  }

  /** True when the password is right for this login (no lockout counting: for idempotent retries). */
  boolean matches(Handle h, String login, String password) {
    return h.createQuery("SELECT password_hash FROM identity_merchant_staff WHERE login = :l")
        .bind("l", login).mapTo(String.class).findOne()
        .map(hash -> password != null && hasher.verify(password, hash)).orElse(false);
  }

  Optional<StaffMember> byLogin(Handle h, String login) {
    return h.createQuery("SELECT * FROM identity_merchant_staff WHERE login = :l")
        .bind("l", login).map((rs, ctx) -> staff(rs)).findOne();
  }

  private boolean exists(String login) {
    return Tx.read(jdbi, h -> byLogin(h, login)).isPresent();
  }

  private static StaffMember staff(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new StaffMember(Tx.uuid(rs, "id"), Tx.uuid(rs, "merchant_id"), rs.getString("login"),
        StaffMember.Role.valueOf(rs.getString("role")));
  }
}
