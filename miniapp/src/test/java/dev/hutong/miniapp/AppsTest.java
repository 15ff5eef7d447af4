package dev.hutong.miniapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** App records, recently used and favourite apps, quality signals. */
@Tag("db")
class AppsTest {
  static Fixture f;

  @BeforeAll
  static void start() {
    f = new Fixture("miniapp_apps");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void appsHaveGeneratedOrChosenIdsAndValidatedProfiles() {
    App generated = f.app(AppKind.APP);
    assertThat(generated.appId()).matches("20[0-9]{14}");
    assertThat(generated.status()).isEqualTo(AppStatus.DEVELOPING);
    App chosen = f.apps.create(new NewApp("red-star-cinema", f.merchant, AppKind.APP,
        new AppProfile("  Red Star  ", null, null, List.of("film", "film", "IMAX"), null, "")));
    assertThat(chosen.profile()).isEqualTo(new AppProfile("Red Star", "", "general",
        List.of("film", "IMAX"), "", null));
    assertThat(f.apps.get("red-star-cinema")).isEqualTo(chosen);
    assertThat(f.apps.byMerchant(f.merchant)).extracting(App::appId).contains("red-star-cinema");
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.apps.create(new NewApp(
        "red-star-cinema", f.merchant, AppKind.APP, Fixture.profile("X", "movies")))).error())
        .isEqualTo(MiniappError.APP_EXISTS);
    for (String bad : List.of("Red", "-x", "a.b", "x".repeat(64))) {
      assertThat(catchThrowableOfType(MiniappException.class, () -> f.apps.create(new NewApp(
          bad, f.merchant, AppKind.APP, Fixture.profile("X", "movies")))).error())
          .isEqualTo(MiniappError.INVALID_ARGUMENT);
    }
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.apps.create(new NewApp(null,
        f.merchant, AppKind.APP, Fixture.profile("X", "spaceships")))).getMessage())
        .contains("unknown category").contains("movies");
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.apps.create(new NewApp(null,
        UUID.randomUUID(), AppKind.APP, Fixture.profile("X", "movies")))).getMessage())
        .contains("does not exist");
    App updated = f.apps.updateProfile(generated.appId(), Fixture.profile("Renamed", "food"));
    assertThat(updated.profile().name()).isEqualTo("Renamed");
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.apps.get("missing")).error())
        .isEqualTo(MiniappError.APP_NOT_FOUND);
  }

  @Test
  void recentlyUsedIsOrderedAndBounded() {
    UUID user = UUID.randomUUID();
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < UserApps.RECENT_KEPT + 3; i++) {
      String id = f.app(AppKind.APP).appId();
      ids.add(id);
      f.userApps.recordOpen(user, id);
    }
    f.userApps.recordOpen(user, ids.get(5));
    List<String> recent = f.userApps.recent(user, 100);
    assertThat(recent).hasSize(UserApps.RECENT_KEPT);
    assertThat(recent.get(0)).isEqualTo(ids.get(5));
    assertThat(recent.get(1)).isEqualTo(ids.get(ids.size() - 1));
    assertThat(recent).doesNotContain(ids.get(0), ids.get(1));
    assertThat(f.userApps.recent(user, 3)).hasSize(3);
    assertThat(f.userApps.signals(ids.get(5)).opens()).isEqualTo(2);
  }

  @Test
  void favouritesAndSignals() {
    UUID user = UUID.randomUUID();
    String a = f.app(AppKind.APP).appId();
    String b = f.app(AppKind.APP).appId();
    f.userApps.addFavorite(user, a);
    f.userApps.addFavorite(user, b);
    f.userApps.addFavorite(user, a);
    assertThat(f.userApps.favorites(user)).containsExactly(b, a);
    f.userApps.removeFavorite(user, b);
    assertThat(f.userApps.favorites(user)).containsExactly(a);
    assertThat(catchThrowableOfType(MiniappException.class,
        () -> f.userApps.addFavorite(user, "nope")).error()).isEqualTo(MiniappError.APP_NOT_FOUND);

    f.userApps.recordPayment(a, true);
    f.userApps.recordPayment(a, true);
    f.userApps.recordPayment(a, false);
    f.userApps.rate(user, a, 2);
    f.userApps.rate(user, a, 4);
    f.userApps.rate(UUID.randomUUID(), a, 5);
    AppSignals s = f.userApps.signals(a);
    assertThat(s.paySuccessRate()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.rating()).isEqualTo(4.5);
    assertThat(f.userApps.signals(b)).isEqualTo(AppSignals.NONE);
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.userApps.rate(user, a, 6))
        .error()).isEqualTo(MiniappError.INVALID_ARGUMENT);
  }
}
