package dev.hutong.pay;

import dev.hutong.identity.DerivedIds;
import dev.hutong.identity.Tx;
import dev.hutong.identity.User;
import dev.hutong.identity.UserStatus;
import dev.hutong.identity.Users;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * One-time payment codes, the numbers the shell shows as a barcode for a merchant to scan
 * (alipay.trade.pay's auth_code): "28" and 16 random digits, valid for
 * {@link PaySettings#paymentCodeTtl()} (60 s), redeemable once.
 *
 * <p>Only SHA-256 of a code is stored. The 10^16 code space would not resist an offline search
 * for long, but a code is worthless after its minute, which is what the hashing needs to cover:
 * a database read-out does not yield usable codes.
 */
public final class PaymentCodes {
  static final int CODE_DIGITS = 18;
  private static final int ISSUE_ATTEMPTS_MAX = 4;

  private final Jdbi jdbi;
  private final Users users;
  private final PaySettings settings;
  private final Clock clock;

  public PaymentCodes(Jdbi jdbi, Users users, PaySettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.users = users;
    this.settings = settings;
    this.clock = clock;
  }

  /** A fresh code for the user. Earlier codes stay valid until they expire or are used. */
  public PaymentCode issue(UUID userId) {
    User user = users.find(userId).orElseThrow(() -> new TradeException(TradeError.USER_NOT_EXIST));
    if (user.status() != UserStatus.ACTIVE) {
      throw new TradeException(TradeError.BUYER_ENABLE_STATUS_FORBID);
    }
    Instant now = clock.instant();
    Instant expires = now.plus(settings.paymentCodeTtl());
    for (int attempt = 1; attempt <= ISSUE_ATTEMPTS_MAX; attempt++) {
      String code = "28" + Tokens.digits(CODE_DIGITS - 2);
      int n = Tx.run(jdbi, h -> h.createUpdate("INSERT INTO pay_payment_code (code_hash, user_id,"
              + " issued_at, expires_at) VALUES (:hash, :user, :now, :expires)"
              + " ON CONFLICT (code_hash) DO NOTHING")
          .bind("hash", DerivedIds.sha256(code)).bind("user", Tx.uuid(userId))
          .bind("now", Tx.at(now)).bind("expires", Tx.at(expires)).execute());
      if (n == 1) {
        return new PaymentCode(code, expires);
      }
    }
    throw new IllegalStateException("could not draw an unused payment code");
  }

  /**
   * The user a valid, unused, unexpired code belongs to; the code is spent by this call. Empty for
   * anything else (unknown, used, expired, malformed).
   */
  Optional<UUID> redeem(String code) {
    if (code == null || code.length() != CODE_DIGITS || !code.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return Tx.run(jdbi, h -> redeem(h, code, now));
  }

  /**
   * {@link #redeem(String)} in the caller's transaction, for a caller that writes its next step in
   * the same commit: the code is spent exactly when that commit happens.
   */
  static Optional<UUID> redeem(Handle h, String code, Instant now) {
    if (code == null || code.length() != CODE_DIGITS || !code.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return h.createQuery("UPDATE pay_payment_code SET used_at = :now"
            + " WHERE code_hash = :hash AND used_at IS NULL AND expires_at > :now RETURNING user_id")
        .bind("now", Tx.at(now)).bind("hash", DerivedIds.sha256(code))
        .map((rs, ctx) -> Tx.uuid(rs, "user_id")).findOne();
  }

  /** Deletes up to {@code batchMax} codes that expired more than an hour ago; returns how many. */
  public int deleteExpired(int batchMax) {
    Instant before = clock.instant().minusSeconds(3600);
    return Tx.run(jdbi, h -> h.createUpdate("DELETE FROM pay_payment_code WHERE code_hash IN"
            + " (SELECT code_hash FROM pay_payment_code WHERE expires_at < :before LIMIT :n)")
        .bind("before", Tx.at(before)).bind("n", batchMax).execute());
  }
}
