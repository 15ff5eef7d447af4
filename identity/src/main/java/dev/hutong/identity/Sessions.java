package dev.hutong.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Login sessions for every role ({@link SessionRole}). A session id is 256 random bits, handed out
 * once as a base64url token (43 characters) and stored only as its SHA-256. A session ends at
 * the first of: its idle timeout (no request for that long), its absolute lifetime, or revocation
 * (logout). Nothing about HTTP lives here: the server puts the token in a cookie.
 */
public final class Sessions {
  /** An hour without a request ends a session. */
  public static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofMinutes(60);
  /** No session outlives 12 hours, however active. */
  public static final Duration LIFETIME_DEFAULT = Duration.ofHours(12);
  /** last_seen_at is written at most this often, so most requests only read. */
  static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
  /** Ended sessions each log-in deletes, so the table stays proportional to live sessions. */
  static final int SWEEP_PER_OPEN = 16;
  private static final int TOKEN_BYTES = 32;
  private static final int TOKEN_CHARS = 43;

  private final Jdbi jdbi;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration idleTimeout;
  private final Duration lifetime;

  public Sessions(Jdbi jdbi, Clock clock, SecureRandom random, Duration idleTimeout,
      Duration lifetime) {
    if (idleTimeout.isNegative() || idleTimeout.isZero() || lifetime.compareTo(idleTimeout) < 0) {
      throw new IllegalArgumentException("need 0 < idle timeout <= lifetime, got " + idleTimeout
          + " and " + lifetime);
    }
    this.jdbi = jdbi;
    this.clock = clock;
    this.random = random;
    this.idleTimeout = idleTimeout;
    this.lifetime = lifetime;
  }

  public Sessions(Jdbi jdbi, Clock clock) {
    this(jdbi, clock, new SecureRandom(), IDLE_TIMEOUT_DEFAULT, LIFETIME_DEFAULT);
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Opens a session for {@code principalId} in {@code role}. */
  public NewSession open(SessionRole role, UUID principalId) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO identity_session (id_hash, role, principal_id,"
            + " created_at, last_seen_at, expires_at) VALUES (:hash, :role, :p, :now, :now, :exp)")
        .bind("hash", DerivedIds.sha256(token)).bind("role", role.name())
        .bind("p", Tx.uuid(principalId)).bind("now", Tx.at(now)).bind("exp", Tx.at(expires))
        .execute());
    deleteEnded(SWEEP_PER_OPEN);
    return new NewSession(token, new Session(role, principalId, now, now, expires));
  }

  /**
   * The live session of {@code role} behind {@code token}, or empty (unknown, malformed, another
   * role's, idle too long, past its lifetime, revoked). Records the activity.
   */
  public Optional<Session> authenticate(SessionRole role, String token) {
    if (!wellFormed(token)) {
      return Optional.empty();
    }
    byte[] hash = DerivedIds.sha256(token);
    Instant now = clock.instant();
    Optional<Session> found = Tx.read(jdbi, h -> h.createQuery("SELECT * FROM identity_session"
            + " WHERE id_hash = :hash AND role = :role AND revoked_at IS NULL"
            + " AND expires_at > :now AND last_seen_at > :idle")
        .bind("hash", hash).bind("role", role.name()).bind("now", Tx.at(now))
        .bind("idle", Tx.at(now.minus(idleTimeout)))
        .map((rs, ctx) -> new Session(SessionRole.valueOf(rs.getString("role")),
            Tx.uuid(rs, "principal_id"), Tx.instant(rs, "created_at"),
            Tx.instant(rs, "last_seen_at"), Tx.instant(rs, "expires_at")))
        .findOne());
    found.filter(s -> s.lastSeenAt().plus(TOUCH_INTERVAL).isBefore(now))
        .ifPresent(s -> touch(hash, now));
    return found;
  }

  /** Ends the session behind {@code token} (logout); unknown or ended tokens are ignored. */
  public void revoke(String token) {
    if (!wellFormed(token)) {
      return;
    }
    Instant now = clock.instant();
    Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_session SET revoked_at = :now"
            + " WHERE id_hash = :hash AND revoked_at IS NULL")
        .bind("now", Tx.at(now)).bind("hash", DerivedIds.sha256(token)).execute());
  }

  /** Ends every session of a principal in a role (password change, freeze); returns how many. */
  public int revokeAll(SessionRole role, UUID principalId) {
    Instant now = clock.instant();
    return Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_session SET revoked_at = :now"
            + " WHERE principal_id = :p AND role = :role AND revoked_at IS NULL")
        .bind("now", Tx.at(now)).bind("p", Tx.uuid(principalId)).bind("role", role.name())
        .execute());
  }

  /**
   * Deletes up to {@code batchMax} sessions whose absolute lifetime ended over a day ago; returns
   * how many. Revoked and idle sessions go with them (they are refused long before): selecting
   * by expires_at alone keeps this on its index.
   */
  public int deleteEnded(int batchMax) {
    Instant before = clock.instant().minus(Duration.ofDays(1));
    return Tx.run(jdbi, h -> h.createUpdate("DELETE FROM identity_session WHERE id_hash IN"
            + " (SELECT id_hash FROM identity_session WHERE expires_at < :before LIMIT :n)")
        .bind("before", Tx.at(before)).bind("n", batchMax).execute());
  }

  /** True for a string shaped like a token we issue (checked before any hashing or SQL). */
  public static boolean wellFormed(String token) {
    if (token == null || token.length() != TOKEN_CHARS) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private void touch(byte[] hash, Instant now) {
    Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_session SET last_seen_at = :now"
            + " WHERE id_hash = :hash AND last_seen_at < :now")
        .bind("now", Tx.at(now)).bind("hash", hash).execute());
  }
}
