package dev.hutong.miniapp.runtime;

import dev.hutong.identity.Tx;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The device scopes a user granted an app after the shell's consent sheet: {@code my.getLocation}
 * needs {@value #LOCATION}, {@code my.scan} needs {@value #CAMERA}. The OAuth scopes
 * ({@code auth_base}, {@code auth_user}) are the open platform's consents, not kept here.
 */
public final class ScopeGrants {
  public static final String LOCATION = "scope.userLocation";
  public static final String CAMERA = "scope.camera";
  public static final Set<String> SCOPES = Set.of(LOCATION, CAMERA);

  private final Jdbi jdbi;
  private final Clock clock;

  public ScopeGrants(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Records the user's consent (granting again keeps the first grant's time). */
  public void grant(UUID userId, String appId, String scope) {
    requireScope(scope);
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO miniapp_scope_grant (user_id, app_id, scope,"
            + " granted_at) VALUES (:u, :a, :s, :at) ON CONFLICT DO NOTHING")
        .bind("u", Tx.uuid(userId)).bind("a", appId).bind("s", scope)
        .bind("at", Tx.at(clock.instant())).execute());
  }

  public boolean granted(UUID userId, String appId, String scope) {
    requireScope(scope);
    return Tx.read(jdbi, h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM miniapp_scope_grant"
            + " WHERE user_id = :u AND app_id = :a AND scope = :s)")
        .bind("u", Tx.uuid(userId)).bind("a", appId).bind("s", scope)
        .mapTo(Boolean.class).one());
  }

  /** The scopes the user granted the app, sorted. */
  public List<String> scopes(UUID userId, String appId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT scope FROM miniapp_scope_grant"
            + " WHERE user_id = :u AND app_id = :a ORDER BY scope")
        .bind("u", Tx.uuid(userId)).bind("a", appId).mapTo(String.class).list());
  }

  /** Apps the user granted any device scope, sorted by app id. */
  public List<String> apps(UUID userId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT DISTINCT app_id FROM miniapp_scope_grant"
            + " WHERE user_id = :u ORDER BY app_id LIMIT 1000")
        .bind("u", Tx.uuid(userId)).mapTo(String.class).list());
  }

  /** Takes a grant back; whether there was one. */
  public boolean revoke(UUID userId, String appId, String scope) {
    requireScope(scope);
    return Tx.run(jdbi, h -> h.createUpdate("DELETE FROM miniapp_scope_grant WHERE user_id = :u"
            + " AND app_id = :a AND scope = :s")
        .bind("u", Tx.uuid(userId)).bind("a", appId).bind("s", scope).execute()) > 0;
  }

  private static void requireScope(String scope) {
    if (!SCOPES.contains(scope)) {
      throw new IllegalArgumentException("unknown device scope '" + scope + "'; one of "
          + SCOPES.stream().sorted().toList());
    }
  }
}
