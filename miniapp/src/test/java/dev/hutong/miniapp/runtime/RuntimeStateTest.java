package dev.hutong.miniapp.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.TestDatabases;
import dev.hutong.miniapp.AppEvents;
import dev.hutong.miniapp.AppKind;
import dev.hutong.miniapp.AppProfile;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.NewApp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server-side storage and device scope grants, on a real PostgreSQL. */
class RuntimeStateTest {
  static HikariDataSource ds;
  static Jdbi jdbi;
  static Apps apps;
  static AppStorage storage;
  static ScopeGrants grants;

  @BeforeAll
  static void setUp() {
    ds = TestDatabases.open("miniapp_runtime", 8);
    Migrations.migrate(ds, "miniapp");
    jdbi = Jdbi.create(ds);
    apps = new Apps(jdbi, id -> Optional.of("Merchant"), AppEvents.NONE, Clock.systemUTC());
    storage = new AppStorage(jdbi, Clock.systemUTC());
    grants = new ScopeGrants(jdbi, Clock.systemUTC());
  }

  @AfterAll
  static void tearDown() {
    ds.close();
  }

  static String newApp() {
    return apps.create(new NewApp(null, UUID.randomUUID(), AppKind.APP, new AppProfile("Tea",
        "Tea shop", "food", List.of(), "Beijing", null))).appId();
  }

  @Test
  void storageIsIsolatedPerUserAndApp() {
    String a = newApp();
    String b = newApp();
    UUID alice = UUID.randomUUID();
    UUID bob = UUID.randomUUID();
    storage.set(alice, a, "counter", "3");
    storage.set(alice, a, "counter", "4");
    assertThat(storage.get(alice, a, "counter")).contains("4");
    assertThat(storage.get(bob, a, "counter")).isEmpty();
    assertThat(storage.get(alice, b, "counter")).isEmpty();
    assertThat(storage.usedBytes(alice, a)).isEqualTo("counter".length() + 1);
    storage.set(alice, a, "name", "\"丽\"");
    assertThat(storage.keys(alice, a)).containsExactly("counter", "name");
    storage.remove(alice, a, "counter");
    storage.remove(alice, a, "counter");
    assertThat(storage.usedBytes(alice, a)).isEqualTo("name".length() + 5);
    storage.clear(alice, a);
    assertThat(storage.keys(alice, a)).isEmpty();
    assertThat(storage.usedBytes(alice, a)).isZero();
  }

  @Test
  void valueOver200KbIsRefusedWithCode14AndChangesNothing() {
    String a = newApp();
    UUID u = UUID.randomUUID();
    storage.set(u, a, "k", "1");
    String big = "\"" + "x".repeat(AppStorage.VALUE_BYTES_MAX - 1) + "\"";
    assertThatThrownBy(() -> storage.set(u, a, "k", big))
        .isInstanceOfSatisfying(StorageException.class,
            e -> assertThat(e.code()).isEqualTo(StorageException.VALUE_TOO_LARGE));
    assertThat(storage.get(u, a, "k")).contains("1");
    String fits = "\"" + "x".repeat(AppStorage.VALUE_BYTES_MAX - 2) + "\"";
    storage.set(u, a, "k", fits);
    assertThat(storage.get(u, a, "k")).contains(fits);
  }

  @Test
  void appQuotaOf10MbHoldsUnderConcurrentWrites() throws Exception {
    String a = newApp();
    UUID u = UUID.randomUUID();
    String value = "\"" + "y".repeat(AppStorage.VALUE_BYTES_MAX - 10) + "\"";
    // 60 writes of ~200 KB: only about 51 fit into 10 MB, whatever the interleaving.
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Boolean>> results = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String key = "k" + i;
      results.add(pool.submit(() -> {
        try {
          storage.set(u, a, key, value);
          return true;
        } catch (StorageException e) {
          assertThat(e.code()).isEqualTo(StorageException.QUOTA_EXCEEDED);
          return false;
        }
      }));
    }
    long stored = 0;
    for (Future<Boolean> r : results) {
      stored += r.get() ? 1 : 0;
    }
    pool.shutdown();
    long perKey = value.length() + 3;
    assertThat(stored).isEqualTo(AppStorage.APP_BYTES_MAX / perKey);
    assertThat(storage.usedBytes(u, a)).isLessThanOrEqualTo(AppStorage.APP_BYTES_MAX)
        .isEqualTo(storage.keys(u, a).stream().mapToLong(k -> k.length() + value.length()).sum());
    // Other users keep their own 10 MB.
    storage.set(UUID.randomUUID(), a, "k0", value);
  }

  @Test
  void badKeysAreRefusedWithCode2() {
    String a = newApp();
    UUID u = UUID.randomUUID();
    for (String key : new String[] {null, "", "x".repeat(AppStorage.KEY_CHARS_MAX + 1), "a\0b"}) {
      assertThatThrownBy(() -> storage.set(u, a, key, "1"))
          .isInstanceOfSatisfying(StorageException.class,
              e -> assertThat(e.code()).isEqualTo(StorageException.INVALID_PARAMETER));
    }
    assertThatThrownBy(() -> storage.set(u, a, "k", null)).isInstanceOf(StorageException.class);
    assertThat(storage.usedBytes(u, a)).isZero();
  }

  @Test
  void scopeGrantsAreGrantedListedAndRevoked() {
    String a = newApp();
    UUID u = UUID.randomUUID();
    assertThat(grants.granted(u, a, ScopeGrants.LOCATION)).isFalse();
    grants.grant(u, a, ScopeGrants.LOCATION);
    grants.grant(u, a, ScopeGrants.LOCATION);
    grants.grant(u, a, ScopeGrants.CAMERA);
    assertThat(grants.scopes(u, a)).containsExactly(ScopeGrants.CAMERA, ScopeGrants.LOCATION);
    assertThat(grants.apps(u)).containsExactly(a);
    assertThat(grants.revoke(u, a, ScopeGrants.CAMERA)).isTrue();
    assertThat(grants.revoke(u, a, ScopeGrants.CAMERA)).isFalse();
    assertThat(grants.granted(u, a, ScopeGrants.CAMERA)).isFalse();
    assertThatThrownBy(() -> grants.grant(u, a, "scope.everything"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
