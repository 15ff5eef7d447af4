package dev.hutong.miniapp;

import dev.hutong.identity.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A user's recently used and favourite apps (the shell's home screen), and the opens and ratings
 * that feed discovery's quality signals.
 */
public final class UserApps {
  /** Recent apps kept per user; older ones are dropped when a new one is used. */
  public static final int RECENT_KEPT = 50;
  public static final int FAVORITES_MAX = 200;

  private final Jdbi jdbi;
  private final Clock clock;

  public UserApps(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** A user opened an app: it moves to the front of their recent list and counts as an open. */
  public void recordOpen(UUID userId, String appId) {
    Instant now = clock.instant();
    Tx.run(jdbi, h -> {
      if (Apps.find(h, appId).isEmpty()) {
        throw Apps.notFound(appId);
      }
      h.createUpdate("INSERT INTO miniapp_recent (user_id, app_id, used_at) VALUES (:u, :a, :at)"
              + " ON CONFLICT (user_id, app_id) DO UPDATE SET used_at = EXCLUDED.used_at")
          .bind("u", Tx.uuid(userId)).bind("a", appId).bind("at", Tx.at(now)).execute();
      h.createUpdate("DELETE FROM miniapp_recent WHERE user_id = :u AND app_id IN (SELECT app_id"
              + " FROM miniapp_recent WHERE user_id = :u ORDER BY used_at DESC, app_id OFFSET "
              + RECENT_KEPT + ")").bind("u", Tx.uuid(userId)).execute();
      h.createUpdate("INSERT INTO miniapp_app_stats (app_id, opens) VALUES (:a, 1) ON CONFLICT"
              + " (app_id) DO UPDATE SET opens = miniapp_app_stats.opens + 1")
          .bind("a", appId).execute();
      return null;
    });
  }

  /** The user's recent apps, most recent first. */
  public List<String> recent(UUID userId, int limit) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT app_id FROM miniapp_recent WHERE user_id = :u"
            + " ORDER BY used_at DESC, app_id LIMIT :n")
        .bind("u", Tx.uuid(userId)).bind("n", Math.max(0, Math.min(limit, RECENT_KEPT)))
        .mapTo(String.class).list());
  }

  /** Adds a favourite (idempotent); at most {@link #FAVORITES_MAX} per user. */
  public void addFavorite(UUID userId, String appId) {
    Instant now = clock.instant();
    Tx.run(jdbi, h -> {
      if (Apps.find(h, appId).isEmpty()) {
        throw Apps.notFound(appId);
      }
      int count = h.createQuery("SELECT count(*) FROM miniapp_favorite WHERE user_id = :u")
          .bind("u", Tx.uuid(userId)).mapTo(Integer.class).one();
      int added = h.createUpdate("INSERT INTO miniapp_favorite (user_id, app_id, created_at)"
              + " VALUES (:u, :a, :at) ON CONFLICT (user_id, app_id) DO NOTHING")
          .bind("u", Tx.uuid(userId)).bind("a", appId).bind("at", Tx.at(now)).execute();
      if (added == 1 && count >= FAVORITES_MAX) {
        throw new MiniappException(MiniappError.LIMIT_REACHED, "at most " + FAVORITES_MAX
            + " favourites; remove one first");
      }
      return null;
    });
  }

  public void removeFavorite(UUID userId, String appId) {
    Tx.run(jdbi, h -> h.createUpdate("DELETE FROM miniapp_favorite WHERE user_id = :u AND app_id"
        + " = :a").bind("u", Tx.uuid(userId)).bind("a", appId).execute());
  }

  /** The user's favourites, newest first. */
  public List<String> favorites(UUID userId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT app_id FROM miniapp_favorite WHERE user_id ="
            + " :u ORDER BY created_at DESC, app_id LIMIT " + FAVORITES_MAX)
        .bind("u", Tx.uuid(userId)).mapTo(String.class).list());
  }

  /** A payment made inside the app finished (the pay module's outcome, wired by the server). */
  public void recordPayment(String appId, boolean success) {
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO miniapp_app_stats (app_id, pay_attempts,"
            + " pay_successes) VALUES (:a, 1, :s) ON CONFLICT (app_id) DO UPDATE SET pay_attempts"
            + " = miniapp_app_stats.pay_attempts + 1, pay_successes ="
            + " miniapp_app_stats.pay_successes + EXCLUDED.pay_successes")
        .bind("a", appId).bind("s", success ? 1 : 0).execute());
  }

  /** A user's rating of an app, 1-5 stars; a new rating replaces the user's earlier one. */
  public void rate(UUID userId, String appId, int stars) {
    if (stars < 1 || stars > 5) {
      throw Apps.invalid("a rating is 1-5 stars, got " + stars);
    }
    Instant now = clock.instant();
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO miniapp_rating (app_id, user_id, stars,"
            + " rated_at) VALUES (:a, :u, :s, :at) ON CONFLICT (app_id, user_id) DO UPDATE SET"
            + " stars = EXCLUDED.stars, rated_at = EXCLUDED.rated_at")
        .bind("a", appId).bind("u", Tx.uuid(userId)).bind("s", stars).bind("at", Tx.at(now))
        .execute());
  }

  /** The quality signals discovery ranks by. */
  public AppSignals signals(String appId) {
    return Tx.read(jdbi, h -> {
      var stats = h.createQuery("SELECT opens, pay_attempts, pay_successes FROM miniapp_app_stats"
              + " WHERE app_id = :a").bind("a", appId)
          .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
          .findOne().orElse(new long[3]);
      double rating = h.createQuery("SELECT COALESCE(AVG(stars), 0) FROM miniapp_rating WHERE"
              + " app_id = :a").bind("a", appId).mapTo(Double.class).one();
      return new AppSignals(stats[0], stats[1] == 0 ? 0 : (double) stats[2] / stats[1], rating);
    });
  }
}
