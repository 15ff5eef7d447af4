package dev.hutong.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.server.browser.Miniapps;
import dev.hutong.server.browser.ServerFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The review console's live preview over HTTP on a real server: only an operator session with the
 * CSRF token gets a preview, only of a version under review; the ticket opens that version on the
 * app's own origin and nothing else, and ends with the review; every call that needs a user or
 * moves money is refused with bridge error 4; the preview is audited. And a frozen merchant's
 * app launches with the notice the shell shows, until it is unfrozen.
 */
@Tag("db")
class ReviewPreviewTest {
  static ServerFixture server;

  @BeforeAll
  static void start() {
    server = ServerFixture.start("reviewpreview");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** An app with {@code version} submitted for review; answers the app id. */
  static String appUnderReview(String name, String version) throws Exception {
    String merchantId = server.admin("/admin/merchants", "name", name, "fee_rate", "0.006")
        .path("merchant_id").asText();
    String appId = server.admin("/admin/miniapps", "merchant_id", merchantId, "name", name)
        .path("app_id").asText();
    String token = Files.readString(server.server().operatorTokenFile()).trim();
    int uploaded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            server.baseUrl() + "/admin/miniapps/" + appId + "/versions/" + version + "/package"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/zip")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(ReviewConsoleTest.pkg(name + " menu " + version))).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
    assertThat(uploaded).isIn(200, 201);
    server.admin("/admin/miniapps/" + appId + "/versions/" + version + "/submit",
        "description", "menu");
    return appId;
  }

  static ShellClient operator() throws Exception {
    ShellClient ops = new ShellClient(server.baseUrl());
    assertThat(ops.post("/ops/api/login", "token",
        Files.readString(server.server().operatorTokenFile()).trim()).status()).isEqualTo(200);
    return ops;
  }

  /** A GET on the app's own origin (the Host a browser sends for it), answering status and body. */
  static String[] getOnAppOrigin(String url) throws IOException {
    URI uri = URI.create(url);
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
          + uri.getPort() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the connection closed inside the headers");
        }
        head.write(b);
      }
      String headers = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
      var length = Pattern.compile("content-length: *(\\d+)").matcher(headers);
      int bytes = length.find() ? Integer.parseInt(length.group(1)) : 0;
      return new String[] {headers.split(" ", 3)[1],
          new String(in.readNBytes(bytes), StandardCharsets.UTF_8)};
    }
  }

  @Test
  void anOperatorPreviewsExactlyTheVersionUnderReviewUntilItIsDecided() throws Exception {
    String appId = appUnderReview("Noodle Bar", "1.0.0");
    String other = appUnderReview("Dumpling Hut", "1.0.0");
    String path = "/ops/api/review/" + appId + "/1.0.0/preview";
    ShellClient ops = operator();

    ShellClient.Reply launch = ops.post(path);
    assertThat(launch.status()).as(launch.json().toString()).isEqualTo(200);
    JsonNode l = launch.json();
    assertThat(l.path("preview").asBoolean()).isTrue();
    assertThat(l.path("version").asText()).isEqualTo("1.0.0");
    assertThat(l.path("api_base").asText()).isEqualTo(path + "/");
    assertThat(l.path("scopes")).isEmpty();
    assertThat(l.path("expires_in").asLong()).isEqualTo(300);
    String baseUrl = l.path("base_url").asText();
    assertThat(baseUrl).startsWith("http://" + appId + ".apps.localhost:");

    String[] page = getOnAppOrigin(baseUrl + "pages/index/index.html");
    assertThat(page[0]).isEqualTo("200");
    assertThat(page[1]).contains("Noodle Bar menu 1.0.0");
    // The ticket is for this app and version only: another app's origin refuses it.
    String ticketPath = URI.create(baseUrl).getRawPath();
    String otherUrl = "http://" + other + ".apps.localhost:" + server.port() + ticketPath
        + "pages/index/index.html";
    assertThat(getOnAppOrigin(otherUrl)[0]).isEqualTo("403");

    // No such version, or one that is not under review: nothing is issued.
    assertThat(ops.post("/ops/api/review/" + appId + "/9.9.9/preview").status()).isEqualTo(404);
    assertThat(ops.post("/ops/api/review/" + appId + "/not-a-version/preview").status())
        .isEqualTo(404);

    // Calls that need a user or move money are refused with Alipay's "no permission" (4).
    for (ShellClient.Reply refused : new ShellClient.Reply[] {
        ops.get(path + "/trades/2026112422001000001"), ops.post(path + "/auth-code",
            "scopes", "auth_user"), ops.post(path + "/storage/set", "key", "k", "data", "v"),
        ops.post(path + "/storage/clear"), ops.post(path + "/scopes/scope.userLocation")}) {
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.error()).isEqualTo("NOT_AVAILABLE_IN_PREVIEW");
      assertThat(refused.json().path("bridge_error").asInt()).isEqualTo(4);
      assertThat(refused.json().path("message").asText()).contains("not available in review"
          + " preview");
    }
    // Reading answers what a new user sees: nothing.
    assertThat(ops.post(path + "/storage/get", "key", "k").json().path("data").isNull()).isTrue();
    assertThat(ops.get(path + "/scopes").json().path("scopes")).isEmpty();

    assertThat(ops.get("/ops/api/audit").json().toString()).contains("review.preview")
        .contains("miniapp:" + appId + "@1.0.0");

    // Decided: the preview ends at once, and no new one is issued.
    assertThat(ops.post("/ops/api/review/" + appId + "/1.0.0/reject", "reason", "no prices")
        .status()).isEqualTo(200);
    assertThat(getOnAppOrigin(baseUrl + "pages/index/index.html")[0]).isEqualTo("403");
    ShellClient.Reply decided = ops.post(path);
    assertThat(decided.status()).isEqualTo(409);
    assertThat(decided.error()).isEqualTo("not_under_review");
  }

  @Test
  void aFrozenMerchantsAppLaunchesWithTheNoticeUntilItIsUnfrozen() throws Exception {
    Miniapps.MerchantApp shop = Miniapps.merchant(server, "Jianbing Cart");
    Miniapps.install(server, shop.appId(), Miniapps.zip(Miniapps.repoPath("samples/hello"),
        Map.of()), "name=Zhangjiabang%20Jianbing&category=food");
    ShellClient user = new ShellClient(server.baseUrl());
    assertThat(searchResult(user, shop.appId()).path("merchant_suspended").asBoolean()).isFalse();
    assertThat(user.post("/api/signup", "phone", phone(), "password", "secret-pw", "pin",
        "123456").status()).isEqualTo(201);
    String launch = "/api/apps/" + shop.appId() + "/launch";
    JsonNode active = user.post(launch).json();
    assertThat(active.path("merchant_status").asText()).isEqualTo("ACTIVE");
    assertThat(active.path("merchant_notice").isNull()).isTrue();

    ShellClient ops = operator();
    String status = "/ops/api/merchants/" + shop.merchantId();
    assertThat(ops.post(status + "/freeze", "reason", "complaints").status()).isEqualTo(200);
    JsonNode frozen = user.post(launch).json();
    assertThat(frozen.path("merchant_status").asText()).isEqualTo("FROZEN");
    assertThat(frozen.path("merchant_notice").asText()).isEqualTo(
        "This merchant is suspended by the platform; payments are unavailable");
    // The app still opens (its pages are not payments): the notice says what does not work.
    assertThat(frozen.path("base_url").asText()).contains("/~");
    // Search says so before the app is opened, and so do the user's recently used apps.
    assertThat(searchResult(user, shop.appId()).path("merchant_suspended").asBoolean()).isTrue();
    JsonNode recent = user.get("/api/me/apps/recent").json().path("apps");
    assertThat(recent.findValuesAsText("app_id")).contains(shop.appId());
    for (JsonNode app : recent) {
      assertThat(app.path("merchant_suspended").asBoolean()).as(app.toString())
          .isEqualTo(app.path("app_id").asText().equals(shop.appId()));
    }

    assertThat(ops.post(status + "/unfreeze", "reason", "resolved").status()).isEqualTo(200);
    JsonNode unfrozen = user.post(launch).json();
    assertThat(unfrozen.path("merchant_status").asText()).isEqualTo("ACTIVE");
    assertThat(unfrozen.path("merchant_notice").isNull()).isTrue();
    assertThat(searchResult(user, shop.appId()).path("merchant_suspended").asBoolean()).isFalse();
    assertThat(user.get("/api/me/apps/recent").json().path("apps").findValuesAsText(
        "merchant_suspended")).containsOnly("false");
  }

  /** The app's entry in the search results for its name (the index is refreshed in the background). */
  static JsonNode searchResult(ShellClient client, String appId) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (true) {
      for (JsonNode r : client.get("/api/search?q=Zhangjiabang&size=50").json().path("results")) {
        if (r.path("app_id").asText().equals(appId)) {
          return r;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("app " + appId + " not found by search");
      }
      Thread.sleep(100);
    }
  }

  static String phone() {
    return "139" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
  }

  @Test
  void onlyAnOperatorSessionWithTheCsrfTokenGetsAPreview() throws Exception {
    String appId = appUnderReview("Tea Stall", "1.0.0");
    String path = "/ops/api/review/" + appId + "/1.0.0/preview";
    ShellClient nobody = new ShellClient(server.baseUrl());
    assertThat(nobody.post(path).status()).isEqualTo(401);
    assertThat(nobody.get(path + "/trades/x").status()).isEqualTo(401);

    ShellClient user = new ShellClient(server.baseUrl());
    assertThat(user.post("/api/signup", "phone", phone(), "password", "secret-pw", "pin",
        "123456").status()).isEqualTo(201);
    assertThat(user.post(path).status()).isEqualTo(401);
    assertThat(user.post(path + "/storage/get", "key", "k").status()).isEqualTo(401);

    ShellClient ops = operator();
    String token = ops.csrfToken;
    ops.csrfToken = null;
    assertThat(ops.post(path).status()).isEqualTo(403);
    ops.csrfToken = token;
    ops.origin = "http://evil.example";
    assertThat(ops.post(path).status()).isEqualTo(403);
    ops.origin = server.baseUrl();
    assertThat(ops.post(path).status()).isEqualTo(200);
  }
}
