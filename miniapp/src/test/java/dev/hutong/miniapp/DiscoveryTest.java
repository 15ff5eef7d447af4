package dev.hutong.miniapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.miniapp.search.SearchIndex;
import dev.hutong.miniapp.search.SearchQuery;
import dev.hutong.miniapp.search.SearchResult;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The index follows the lifecycle: online apps are found, offline ones are not. */
@Tag("db")
class DiscoveryTest {
  static Fixture f;
  static SearchIndex index;
  static Discovery discovery;

  @BeforeAll
  static void start() {
    f = new Fixture("miniapp_discovery");
    index = SearchIndex.open(f.dataDir.resolve("index"));
    discovery = new Discovery(f.jdbi, f.userApps, f.merchants, index);
    f.events.next = discovery;
  }

  @AfterAll
  static void stop() {
    index.close();
    f.close();
  }

  static List<String> found(String text) {
    discovery.refresh();
    return discovery.search(SearchQuery.of(text)).results().stream().map(SearchResult::appId)
        .toList();
  }

  static void release(String appId, String version) {
    SemVer v = SemVer.parse(version);
    f.upload(appId, version, TestZip.minimal());
    f.versions.submitAudit(appId, v, new AuditSubmission("x", "movies", List.of()), "dev");
    f.versions.approve(appId, v, "op", null);
    f.versions.release(appId, v, "dev");
  }

  @Test
  void appsAreSearchableWhileOnline() {
    App app = f.apps.create(new NewApp(null, f.merchant("Plain Merchant"),
        AppKind.APP, new AppProfile("Emerald Picture Palace", "Seats and showtimes", "movies",
            List.of("IMAX"), "Chengdu", "img/icon.png")));
    assertThat(found("emerald")).doesNotContain(app.appId());
    release(app.appId(), "1.0.0");
    assertThat(found("emerald")).contains(app.appId());
    assertThat(found("film chengdu")).contains(app.appId());
    f.apps.updateProfile(app.appId(), new AppProfile("Sapphire Picture Palace",
        "Seats and showtimes", "movies", List.of(), "Chengdu", null));
    assertThat(found("sapphire")).contains(app.appId());
    assertThat(found("emerald picture")).doesNotContain(app.appId());
    f.versions.offline(app.appId(), SemVer.parse("1.0.0"), "dev");
    assertThat(found("sapphire")).doesNotContain(app.appId());
  }

  @Test
  void reindexRebuildsFromTheOnlineAppsWithTheirSignals() {
    App quiet = f.apps.create(new NewApp(null, f.merchant, AppKind.APP,
        Fixture.profile("Willow Tea House", "food")));
    App busy = f.apps.create(new NewApp(null, f.merchant, AppKind.APP,
        Fixture.profile("Willow Tea House", "food")));
    release(quiet.appId(), "1.0.0");
    release(busy.appId(), "1.0.0");
    for (int i = 0; i < 20; i++) {
      f.userApps.recordOpen(UUID.randomUUID(), busy.appId());
      f.userApps.recordPayment(busy.appId(), true);
    }
    f.userApps.rate(UUID.randomUUID(), busy.appId(), 5);
    int count = discovery.reindexAll();
    assertThat(count).isGreaterThanOrEqualTo(2);
    assertThat(found("willow tea house")).containsSubsequence(busy.appId(), quiet.appId());
  }
}
