package dev.hutong.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The per-app identity of a user that apps see instead of the internal user id: random (so it is
 * unguessable and reveals nothing), stable for one (app, user) pair, different for every app. It
 * is created on first use and stored, with the reverse lookup.
 *
 * <p>Form: 32 characters, "0" followed by 31 base62 characters (about 184 random bits).
 */
public final class OpenIds {
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM_CHARS = 31;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  /** Pairs in the cache; past it the cache starts over (a bound on memory, not a tuning knob). */
  private static final int CACHE_ENTRIES_MAX = 100_000;

  private final Jdbi jdbi;
  private final Clock clock;
  /**
   * Known open_ids by "app_id user_id". A stored open_id never changes and is never deleted, so an
   * entry can not go stale; it saves a query on every paid trade and every answer naming a buyer.
   */
  private final ConcurrentMap<String, String> known =
      new ConcurrentHashMap<>();

  public OpenIds(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** The user's open_id in the app, created on first use. Concurrent first uses agree. */
  public String openIdFor(String appId, UUID userId) {
    String app = validAppId(appId);
    String key = app + " " + userId;
    String cached = known.get(key);
    if (cached != null) {
      return cached;
    }
    String openId = findOrCreate(app, userId);
    if (known.size() >= CACHE_ENTRIES_MAX) {
      known.clear();
    }
    known.put(key, openId);
    return openId;
  }

  private String findOrCreate(String app, UUID userId) {
    Optional<String> existing = find(app, userId);
    if (existing.isPresent()) {
      return existing.get();
    }
    String candidate = generate();
    try {
      Tx.run(jdbi, h -> h.createUpdate("INSERT INTO identity_open_id (app_id, user_id, open_id,"
              + " created_at) VALUES (:app, :user, :open, :at) ON CONFLICT (app_id, user_id) DO NOTHING")
          .bind("app", app).bind("user", Tx.uuid(userId)).bind("open", candidate)
          .bind("at", Tx.at(clock.instant())).execute());
    } catch (RuntimeException e) {
      if (isForeignKeyViolation(e)) {
        throw new IdentityException(IdentityError.USER_NOT_FOUND);
      }
      throw e;
    }
    return find(app, userId).orElseThrow();
  }

  /** The user behind an open_id in this app; empty for an unknown one or one of another app. */
  public Optional<UUID> userFor(String appId, String openId) {
    if (openId == null || openId.length() > 64) {
      return Optional.empty();
    }
    return Tx.read(jdbi, h -> h.createQuery(
            "SELECT user_id FROM identity_open_id WHERE open_id = :open AND app_id = :app")
        .bind("open", openId).bind("app", appId).map((rs, ctx) -> Tx.uuid(rs, "user_id"))
        .findOne());
  }

  private Optional<String> find(String appId, UUID userId) {
    return Tx.read(jdbi, h -> h.createQuery(
            "SELECT open_id FROM identity_open_id WHERE app_id = :app AND user_id = :user")
        .bind("app", appId).bind("user", Tx.uuid(userId)).mapTo(String.class).findOne());
  }

  static String generate() {
    StringBuilder b = new StringBuilder(RANDOM_CHARS + 1).append('0');
    for (int i = 0; i < RANDOM_CHARS; i++) {
      b.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return b.toString();
  }

  static String validAppId(String appId) {
    if (appId == null || !APP_ID.matcher(appId).matches()) {
      throw new IdentityException(IdentityError.INVALID_APP_ID);
    }
    return appId;
  }

  private static boolean isForeignKeyViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql && "23503".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
