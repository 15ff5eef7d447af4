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

/**
 * Users: creation with a wallet, lookup, login check, freezing. Passwords and PINs are hashed with
 * bcrypt ({@link SecretHasher}) and never returned. The payment PIN is checked by
 * {@link PaymentPins}, which owns the lockout.
 */
public final class Users {
  private static final int NICKNAME_CHARS_MAX = 64;

  private final Jdbi jdbi;
  private final Wallets wallets;
  private final SecretHasher hasher;
  private final Clock clock;
  /** A hash of a throwaway string, verified on a miss so that misses cost what hits cost. */
  private final String dummyHash;

  public Users(Jdbi jdbi, Wallets wallets, SecretHasher hasher, Clock clock) {
    this.jdbi = jdbi;
    this.wallets = wallets;
    this.hasher = hasher;
    this.clock = clock;
    this.dummyHash = hasher.hash("not-a-password");
  }

  /**
   * Creates a user and its wallet. The wallet account is created first (an orphan empty account
   * after a crash is harmless; a user without a wallet would not be), then the row that names it.
   */
  public User create(NewUser request) {
    String phone = Phones.normalize(request.phone());
    String password = validPassword(request.password());
    String pin = PaymentPins.validPin(request.pin());
    String nickname = request.nickname() == null || request.nickname().isBlank()
        ? maskedPhone(phone) : validText(request.nickname(), NICKNAME_CHARS_MAX,
            IdentityError.INVALID_NICKNAME);
    if (findByPhone(phone).isPresent()) {
      throw new IdentityException(IdentityError.PHONE_TAKEN);
    }
    UUID id = Ids.next();
    UUID walletId = Ids.next();
    String passwordHash = hasher.hash(password);
    String pinHash = hasher.hash(pin);
    Instant now = clock.instant();
    wallets.createUserWallet(walletId, id);
    try {
      Tx.run(jdbi, h -> h.createUpdate("INSERT INTO identity_user (id, phone, password_hash,"
              + " pin_hash, nickname, status, wallet_account_id, created_at) VALUES (:id, :phone,"
              + " :pw, :pin, :nick, 'ACTIVE', :wallet, :at)")
          .bind("id", Tx.uuid(id)).bind("phone", phone).bind("pw", passwordHash)
          .bind("pin", pinHash).bind("nick", nickname).bind("wallet", Tx.uuid(walletId))
          .bind("at", Tx.at(now)).execute());
    } catch (RuntimeException e) {
      if (Tx.isUniqueViolation(e)) {
        throw new IdentityException(IdentityError.PHONE_TAKEN);
      }
      throw e;
    }
    return new User(id, phone, nickname, UserStatus.ACTIVE, walletId, now);
  }

  public Optional<User> find(UUID id) {
    return Tx.read(jdbi, h -> find(h, id));
  }

  /** The user, read in the caller's transaction (so a payment's checks take no extra handle). */
  public static Optional<User> find(Handle h, UUID id) {
    return h.createQuery("SELECT * FROM identity_user WHERE id = :id")
        .bind("id", Tx.uuid(id)).map(Users::user).findOne();
  }

  /** The user, or {@link IdentityError#USER_NOT_FOUND}. */
  public User get(UUID id) {
    return find(id).orElseThrow(() -> new IdentityException(IdentityError.USER_NOT_FOUND));
  }

  public Optional<User> findByPhone(String phone) {
    String normalized = Phones.normalize(phone);
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM identity_user WHERE phone = :phone")
        .bind("phone", normalized).map(Users::user).findOne());
  }

  /**
   * The user whose phone and password these are, or empty. Takes a bcrypt verification's time
   * even for an unknown phone, so response times do not reveal which phones are registered.
   */
  public Optional<User> verifyLogin(String phone, String password) {
    String normalized;
    try {
      normalized = Phones.normalize(phone);
    } catch (IdentityException e) {
      return Optional.empty();
    }
    record Row(User user, String hash) {}
    Optional<Row> row = Tx.read(jdbi, h -> h.createQuery(
            "SELECT * FROM identity_user WHERE phone = :phone")
        .bind("phone", normalized)
        .map((rs, ctx) -> new Row(user(rs, ctx), rs.getString("password_hash"))).findOne());
    if (row.isEmpty() || password == null) {
      hasher.verify("wrong-password", dummyHash);
      return Optional.empty();
    }
    return hasher.verify(password, row.get().hash()) ? Optional.of(row.get().user()) : Optional.empty();
  }

  /** Freezes or unfreezes a user. */
  public void setStatus(UUID id, UserStatus status) {
    int n = Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_user SET status = :s WHERE id = :id")
        .bind("s", status.name()).bind("id", Tx.uuid(id)).execute());
    if (n == 0) {
      throw new IdentityException(IdentityError.USER_NOT_FOUND);
    }
  }

  static User user(ResultSet rs, StatementContext ctx) throws SQLException {
    return new User(Tx.uuid(rs, "id"), rs.getString("phone"), rs.getString("nickname"),
        UserStatus.valueOf(rs.getString("status")), Tx.uuid(rs, "wallet_account_id"),
        Tx.instant(rs, "created_at"));
  }

  static String validPassword(String password) {
    if (password == null || password.length() < 6 || password.length() > 64
        || password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            > SecretHasher.SECRET_BYTES_MAX) {
      throw new IdentityException(IdentityError.INVALID_PASSWORD);
    }
    return password;
  }

  static String validText(String text, int charsMax, IdentityError error) {
    if (text == null) {
      throw new IdentityException(error);
    }
    String s = text.strip();
    if (s.isEmpty() || s.codePointCount(0, s.length()) > charsMax
        || s.codePoints().anyMatch(Character::isISOControl)) {
      throw new IdentityException(error);
    }
    return s;
  }

  private static String maskedPhone(String phone) {
    return phone.length() > 7
        ? phone.substring(0, phone.length() - 8) + "****" + phone.substring(phone.length() - 4)
        : phone;
  }
}
