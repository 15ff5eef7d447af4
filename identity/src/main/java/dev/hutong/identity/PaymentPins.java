package dev.hutong.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Payment PIN checks with a lockout: {@link #ATTEMPTS_MAX} wrong PINs in a row lock the user's
 * payments for {@link #LOCK_DURATION}. The counter and the lock live in the user's row, so they
 * hold across threads, processes and restarts.
 *
 * <p>Each check first claims an attempt in one conditional UPDATE (counting it as wrong until
 * proven right), then runs bcrypt outside any transaction, then settles: a right PIN resets the
 * count, the wrong PIN that reaches the limit sets the lock. Claiming first is what makes the
 * limit hold under concurrency: ten parallel guesses get five hashes checked, not ten.
 */
public final class PaymentPins {
  public static final int ATTEMPTS_MAX = 5;
  public static final Duration LOCK_DURATION = Duration.ofMinutes(15);

  private final Jdbi jdbi;
  private final SecretHasher hasher;
  private final Clock clock;

  public PaymentPins(Jdbi jdbi, SecretHasher hasher, Clock clock) {
    this.jdbi = jdbi;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** Checks {@code pin} for the user; {@link IdentityError#USER_NOT_FOUND} for an unknown user. */
  public PinCheck verify(UUID userId, String pin) {
    Instant now = clock.instant();
    record Claim(int count, String hash) {}
    Optional<Claim> claim = Tx.run(jdbi, h -> h.createQuery("""
            UPDATE identity_user SET
              pin_failed_count = CASE WHEN pin_locked_until IS NOT NULL AND pin_locked_until <= :now
                                      THEN 1 ELSE pin_failed_count + 1 END,
              pin_locked_until = CASE WHEN pin_locked_until <= :now THEN NULL ELSE pin_locked_until END
             WHERE id = :id
               AND ((pin_locked_until IS NULL AND pin_failed_count < :max) OR pin_locked_until <= :now)
            RETURNING pin_failed_count, pin_hash""")
        .bind("id", Tx.uuid(userId)).bind("now", Tx.at(now)).bind("max", ATTEMPTS_MAX)
        .map((rs, ctx) -> new Claim(rs.getInt(1), rs.getString(2))).findOne());
    if (claim.isEmpty()) {
      Optional<Instant> lock = Tx.read(jdbi, h -> h.createQuery(
              "SELECT pin_locked_until FROM identity_user WHERE id = :id")
          .bind("id", Tx.uuid(userId)).map((rs, ctx) -> Optional.ofNullable(
              Tx.instant(rs, "pin_locked_until"))).findOne())
          .orElseThrow(() -> new IdentityException(IdentityError.USER_NOT_FOUND));
      return new PinCheck(PinCheck.Outcome.LOCKED, 0, lock.orElse(null));
    }
    boolean right = pin != null && pin.matches("[0-9]{6}") && hasher.verify(pin, claim.get().hash());
    if (right) {
      Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_user SET pin_failed_count = 0"
              + " WHERE id = :id AND pin_locked_until IS NULL")
          .bind("id", Tx.uuid(userId)).execute());
      return new PinCheck(PinCheck.Outcome.OK, ATTEMPTS_MAX, null);
    }
    int count = claim.get().count();
    if (count >= ATTEMPTS_MAX) {
      Instant until = now.plus(LOCK_DURATION);
      Tx.run(jdbi, h -> h.createUpdate(
              "UPDATE identity_user SET pin_locked_until = :until WHERE id = :id")
          .bind("until", Tx.at(until)).bind("id", Tx.uuid(userId)).execute());
      return new PinCheck(PinCheck.Outcome.LOCKED, 0, until);
    }
    return new PinCheck(PinCheck.Outcome.WRONG, ATTEMPTS_MAX - count, null);
  }

  /** Replaces the PIN (after the caller re-authenticated the user) and clears any lock. */
  public void change(UUID userId, String newPin) {
    String hash = hasher.hash(validPin(newPin));
    int n = Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_user SET pin_hash = :hash,"
            + " pin_failed_count = 0, pin_locked_until = NULL WHERE id = :id")
        .bind("hash", hash).bind("id", Tx.uuid(userId)).execute());
    if (n == 0) {
      throw new IdentityException(IdentityError.USER_NOT_FOUND);
    }
  }

  static String validPin(String pin) {
    if (pin == null || !pin.matches("[0-9]{6}")) {
      throw new IdentityException(IdentityError.INVALID_PIN);
    }
    return pin;
  }
}
