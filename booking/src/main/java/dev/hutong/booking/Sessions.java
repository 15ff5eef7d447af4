package dev.hutong.booking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * A mini-program's session for one user: the app's page got a one-time OAuth code from the bridge
 * ({@code my.getAuthCode}); the server exchanged it (with the open platform) for the user, and
 * this issues a bearer token valid for that app only. Only SHA-256 of a token is stored. Lookups
 * are cached for a few seconds (hot path of every booking request), bounded in size.
 */
public final class Sessions {
  public static final Duration TTL = Duration.ofHours(2);
  static final int TOKEN_BYTES = 32;
  static final int CACHE_MAX = 100_000;
  static final Duration CACHE_TTL = Duration.ofSeconds(10);
  /** Compiled once: the shape check runs on every booking request. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

  /** Who a token stands for. */
  public record Session(String appId, UUID userId, Instant expiresAt) {}

  private record Cached(Session session, Instant until) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public Sessions(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** A new token for the user in the app. */
  public String issue(String appId, UUID userId) {
    byte[] raw = new byte[TOKEN_BYTES];
    random.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Instant expires = clock.instant().plus(TTL);
    Sql.tx(jdbi, h -> h.createUpdate("INSERT INTO booking_session (token_hash, app_id, user_id,"
            + " expires_at) VALUES (:h, :a, :u, :e)").bind("h", sha256(token)).bind("a", appId)
        .bind("u", Sql.id(userId)).bind("e", Sql.at(expires)).execute());
    return token;
  }

  /** The live session of this token for this app; empty for anything else. */
  public Optional<Session> resolve(String appId, String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Cached c = cache.get(token);
    Session s;
    if (c != null && now.isBefore(c.until())) {
      s = c.session();
    } else {
      s = jdbi.withHandle(h -> h.createQuery("SELECT app_id, user_id, expires_at FROM"
              + " booking_session WHERE token_hash = :h").bind("h", sha256(token))
          .map((rs, ctx) -> new Session(rs.getString("app_id"), Sql.uuid(rs, "user_id"),
              Sql.instant(rs, "expires_at"))).findOne().orElse(null));
      if (s == null) {
        return Optional.empty();
      }
      if (cache.size() >= CACHE_MAX) {
        cache.clear(); // crude but bounded; the database is the truth
      }
      cache.put(token, new Cached(s, now.plus(CACHE_TTL)));
    }
    return s.appId().equals(appId) && now.isBefore(s.expiresAt()) ? Optional.of(s)
        : Optional.empty();
  }

  public int deleteExpired(int batchMax) {
    return Sql.tx(jdbi, h -> h.createUpdate("DELETE FROM booking_session WHERE token_hash IN"
            + " (SELECT token_hash FROM booking_session WHERE expires_at < :now LIMIT :n)")
        .bind("now", Sql.at(clock.instant())).bind("n", batchMax).execute());
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
