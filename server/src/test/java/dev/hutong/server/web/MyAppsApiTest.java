package dev.hutong.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.server.browser.Miniapps;
import dev.hutong.server.browser.ServerFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The home screen's own lists against a real server with two apps: recently used (recorded by the
 * runtime's launch) and favourites (session, CSRF, idempotency, bounds, isolation per user).
 */
class MyAppsApiTest {
  static ServerFixture server;
  static String cinema;
  static String tea;
  static final AtomicInteger phones = new AtomicInteger(13700000);

  @BeforeAll
  static void start() {
    server = ServerFixture.start("myappsapi");
    cinema = Miniapps.merchant(server, "Starlight").appId();
    tea = Miniapps.merchant(server, "Tea House").appId();
    byte[] zip = Miniapps.zip(Miniapps.repoPath("samples/hello"), Map.of());
    Miniapps.install(server, cinema, zip, "name=Starlight%20Cinema&category=movies");
    Miniapps.install(server, tea, zip, "name=Tea%20House&category=food");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  ShellClient signedUp() throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    ShellClient.Reply r = c.post("/api/signup", "phone", "137" + phones.incrementAndGet(),
        "password", "secret-pw", "pin", "123456", "nickname", "Mei");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(201);
    return c;
  }

  static List<String> ids(ShellClient.Reply reply) {
    assertThat(reply.status()).as(reply.json().toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    reply.json().path("apps").forEach(a -> ids.add(a.path("app_id").asText()));
    return ids;
  }

  @Test
  void launchesAreTheRecentListMostRecentFirst() throws Exception {
    ShellClient c = signedUp();
    assertThat(ids(c.get("/api/me/apps/recent"))).isEmpty();
    assertThat(c.post("/api/apps/" + cinema + "/launch").status()).isEqualTo(200);
    assertThat(c.post("/api/apps/" + tea + "/launch").status()).isEqualTo(200);
    assertThat(ids(c.get("/api/me/apps/recent"))).containsExactly(tea, cinema);
    c.post("/api/apps/" + cinema + "/launch");
    assertThat(ids(c.get("/api/me/apps/recent"))).containsExactly(cinema, tea);
    assertThat(ids(c.get("/api/me/apps/recent?limit=1"))).containsExactly(cinema);
    JsonNode row = c.get("/api/me/apps/recent").json().path("apps").get(0);
    assertThat(row.path("name").asText()).isEqualTo("Starlight Cinema");
    assertThat(row.path("category").asText()).isEqualTo("movies");
    // Another user has their own list.
    assertThat(ids(signedUp().get("/api/me/apps/recent"))).isEmpty();
  }

  @Test
  void favouritesNeedTheSessionAndCsrfAndAreIdempotent() throws Exception {
    ShellClient anonymous = new ShellClient(server.baseUrl());
    assertThat(anonymous.get("/api/me/apps/favorites").status()).isEqualTo(401);
    assertThat(anonymous.put("/api/me/apps/favorites/" + tea).status()).isEqualTo(401);
    assertThat(anonymous.get("/api/me/apps/recent").status()).isEqualTo(401);

    ShellClient c = signedUp();
    String token = c.csrfToken;
    c.csrfToken = "forged";
    ShellClient.Reply forged = c.put("/api/me/apps/favorites/" + tea);
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.error()).isEqualTo("csrf_token");
    c.csrfToken = token;
    c.origin = "http://evil.example";
    assertThat(c.put("/api/me/apps/favorites/" + tea).status()).isEqualTo(403);
    c.origin = server.baseUrl();
    assertThat(ids(c.get("/api/me/apps/favorites"))).isEmpty();

    ShellClient.Reply added = c.put("/api/me/apps/favorites/" + tea);
    assertThat(added.status()).as(added.json().toString()).isEqualTo(200);
    assertThat(added.json().path("favorite").asBoolean()).isTrue();
    assertThat(c.put("/api/me/apps/favorites/" + tea).status()).isEqualTo(200);
    c.put("/api/me/apps/favorites/" + cinema);
    assertThat(ids(c.get("/api/me/apps/favorites"))).containsExactlyInAnyOrder(tea, cinema);

    c.csrfToken = "forged";
    assertThat(c.delete("/api/me/apps/favorites/" + tea).status()).isEqualTo(403);
    c.csrfToken = token;
    assertThat(ids(c.get("/api/me/apps/favorites"))).contains(tea);
    ShellClient.Reply removed = c.delete("/api/me/apps/favorites/" + tea);
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.json().path("favorite").asBoolean()).isFalse();
    assertThat(c.delete("/api/me/apps/favorites/" + tea).status()).isEqualTo(200);
    assertThat(ids(c.get("/api/me/apps/favorites"))).containsExactly(cinema);
    assertThat(ids(signedUp().get("/api/me/apps/favorites"))).isEmpty();
  }

  @Test
  void badInputIsRefusedAndChangesNothing() throws Exception {
    ShellClient c = signedUp();
    ShellClient.Reply unknown = c.put("/api/me/apps/favorites/no-such-app");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error()).isEqualTo("app_not_found");
    assertThat(c.put("/api/me/apps/favorites/Not_An_Id").error()).isEqualTo("invalid_app_id");
    assertThat(c.put("/api/me/apps/favorites/" + "a".repeat(64)).error())
        .isEqualTo("invalid_app_id");
    assertThat(c.put("/api/me/apps/favorites/" + tea + "?x=1").error())
        .isEqualTo("unknown_parameter");
    assertThat(ids(c.get("/api/me/apps/favorites"))).isEmpty();

    for (String limit : List.of("0", "51", "-1", "x", "99999")) {
      ShellClient.Reply r = c.get("/api/me/apps/recent?limit=" + limit);
      assertThat(r.status()).as(limit).isEqualTo(400);
      assertThat(r.error()).isEqualTo("invalid_parameter");
    }
    assertThat(c.get("/api/me/apps/favorites?limit=200").status()).isEqualTo(200);
    assertThat(c.get("/api/me/apps/favorites?limit=201").error()).isEqualTo("invalid_parameter");
    assertThat(c.get("/api/me/apps/recent?limit=1&limit=2").error())
        .isEqualTo("repeated_parameter");
    assertThat(c.get("/api/me/apps/recent?list=recent").error()).isEqualTo("unknown_parameter");
  }
}
