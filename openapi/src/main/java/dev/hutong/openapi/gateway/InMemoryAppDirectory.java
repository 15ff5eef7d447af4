package dev.hutong.openapi.gateway;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Apps held in memory, for tests, demos and tools that run without a database. Registration
 * enforces the rules every directory must: one registration per app_id, and never the platform's
 * own key.
 */
public final class InMemoryAppDirectory implements AppDirectory {
  /** A bound on memory; a deployment with more apps keeps them in the database. */
  public static final int APPS_MAX = 100_000;

  private final PlatformKeys platformKeys;
  private final ConcurrentMap<String, RegisteredApp> apps = new ConcurrentHashMap<>();

  public InMemoryAppDirectory(PlatformKeys platformKeys) {
    this.platformKeys = Objects.requireNonNull(platformKeys, "platformKeys");
  }

  public void register(RegisteredApp app) {
    platformKeys.requireDistinctAppKey(app.appId(), app.publicKey());
    if (apps.size() >= APPS_MAX) {
      throw new IllegalStateException("the in-memory directory holds " + APPS_MAX
          + " apps already; use the database-backed directory");
    }
    RegisteredApp previous = apps.putIfAbsent(app.appId(), app);
    if (previous != null) {
      throw new IllegalArgumentException("app " + app.appId() + " is registered already; "
          + "use replace to change its keys or status");
    }
  }

  /** Changes an existing registration (key rotation, suspension); same checks as register. */
  public void replace(RegisteredApp app) {
    platformKeys.requireDistinctAppKey(app.appId(), app.publicKey());
    if (apps.replace(app.appId(), app) == null) {
      throw new IllegalArgumentException("app " + app.appId() + " is not registered; register "
          + "it first");
    }
  }

  @Override
  public Optional<RegisteredApp> find(String appId) {
    return Optional.ofNullable(apps.get(appId));
  }
}
