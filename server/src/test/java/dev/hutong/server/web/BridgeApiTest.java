package dev.hutong.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipaySystemOauthTokenRequest;
import com.alipay.api.response.AlipaySystemOauthTokenResponse;
import dev.hutong.server.browser.Miniapps;
import dev.hutong.server.browser.ServerFixture;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge's server API as the shell's runtime calls it (session cookie, CSRF token), against
 * a real server with the hello sample installed: launch tickets, storage isolation and limits,
 * auth codes the merchant exchanges with the official SDK, scopes and their revocation.
 */
class BridgeApiTest {
  static ServerFixture server;
  static Miniapps.MerchantApp shop;
  static final AtomicInteger phones = new AtomicInteger(13600000);

  @BeforeAll
  static void start() {
    server = ServerFixture.start("bridgeapi");
    shop = Miniapps.merchant(server, "Hello Tea");
    Miniapps.install(server, shop.appId(), Miniapps.zip(Miniapps.repoPath("samples/hello"),
        Map.of()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  ShellClient signedUp() throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    ShellClient.Reply r = c.post("/api/signup", "phone", "136" + phones.incrementAndGet(),
        "password", "secret-pw", "pin", "123456", "nickname", "Lan");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(201);
    return c;
  }

  String api(String suffix) {
    return "/api/apps/" + shop.appId() + "/" + suffix;
  }

  @Test
  void launchGivesATicketedEntryOnTheAppsOwnOrigin() throws Exception {
    ShellClient c = signedUp();
    ShellClient.Reply r = c.post(api("launch"));
    assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    String origin = "http://" + shop.appId() + ".apps.localhost:" + server.port();
    assertThat(r.json().path("origin").asText()).isEqualTo(origin);
    assertThat(r.json().path("base_url").asText()).startsWith(origin + "/~").endsWith("/");
    assertThat(r.json().path("page").asText()).isEqualTo("pages/index/index");
    assertThat(r.json().path("env_version").asText()).isEqualTo("release");
    assertThat(r.json().path("version").asText()).isEqualTo("1.0.0");
    assertThat(r.json().path("name").asText()).isEqualTo("Hello");
    assertThat(r.json().toString()).doesNotContain(c.cookies.get("hutong_user"));
    assertThat(c.post(api("launch"), "page", "pages/about/about").json().path("page").asText())
        .isEqualTo("pages/about/about");
    assertThat(c.post(api("launch"), "page", "pages/../secret").status()).isEqualTo(400);
    assertThat(c.post("/api/apps/nope/launch").status()).isEqualTo(404);
    assertThat(new ShellClient(server.baseUrl()).post(api("launch")).status()).isEqualTo(401);
    // A launch is an open: the app is in the user's recent list (and its opens count).
    assertThat(c.get("/api/me/apps").status()).isEqualTo(200);
  }

  @Test
  void storageIsPerUserAndAppAndLimited() throws Exception {
    ShellClient alice = signedUp();
    ShellClient bob = signedUp();
    assertThat(alice.post(api("storage/set"), "key", "counter", "data", "7").status())
        .isEqualTo(200);
    assertThat(alice.post(api("storage/get"), "key", "counter").json().path("data").asText())
        .isEqualTo("7");
    assertThat(bob.post(api("storage/get"), "key", "counter").json().path("data").isNull())
        .isTrue();
    ShellClient.Reply big = alice.post(api("storage/set"), "key", "big", "data",
        "x".repeat(200 * 1024));
    assertThat(big.status()).isEqualTo(400);
    assertThat(big.json().path("bridge_error").asInt()).isEqualTo(14);
    ShellClient.Reply noKey = alice.post(api("storage/set"), "data", "1");
    assertThat(noKey.json().path("bridge_error").asInt()).isEqualTo(2);
    ShellClient.Reply info = alice.post(api("storage/info"));
    assertThat(info.json().path("keys").toString()).isEqualTo("[\"counter\"]");
    alice.post(api("storage/remove"), "key", "counter");
    assertThat(alice.post(api("storage/get"), "key", "counter").json().path("data").isNull())
        .isTrue();
    // Without the CSRF token nothing is written.
    alice.csrfToken = "forged";
    assertThat(alice.post(api("storage/set"), "key", "k", "data", "1").status()).isEqualTo(403);
  }

  @Test
  void authCodesAreExchangedByTheMerchantAndConsentsAreListedAndRevoked() throws Exception {
    ShellClient c = signedUp();
    ShellClient.Reply code = c.post(api("auth-code"), "scopes", "auth_user");
    assertThat(code.status()).as(code.json().toString()).isEqualTo(200);
    DefaultAlipayClient sdk = new DefaultAlipayClient(server.baseUrl() + "/gateway.do",
        shop.appId(), shop.appPrivateKey(), "json", "UTF-8", shop.platformPublicKey(), "RSA2");
    AlipaySystemOauthTokenRequest token = new AlipaySystemOauthTokenRequest();
    token.setGrantType("authorization_code");
    token.setCode(code.json().path("authCode").asText());
    AlipaySystemOauthTokenResponse granted = sdk.execute(token);
    assertThat(granted.isSuccess()).as(granted.getBody()).isTrue();
    assertThat(granted.getOpenId()).isNotBlank();

    assertThat(c.post(api("auth-code"), "scopes", "auth_everything").status()).isEqualTo(400);
    assertThat(c.post(api("scopes/scope.userLocation")).status()).isEqualTo(200);
    assertThat(c.post(api("scopes/scope.microphone")).status()).isEqualTo(400);
    ShellClient.Reply mine = c.get("/api/me/apps");
    assertThat(mine.json().path("apps").get(0).path("app_id").asText()).isEqualTo(shop.appId());
    assertThat(mine.json().path("apps").get(0).path("scopes").toString())
        .contains("scope.userInfo").contains("scope.userLocation");

    ShellClient.Reply revoked = c.delete("/api/me/apps/" + shop.appId()
        + "/scopes/scope.userInfo");
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().path("scopes").toString()).doesNotContain("userInfo")
        .contains("scope.userLocation");
    c.delete("/api/me/apps/" + shop.appId() + "/scopes/scope.userLocation");
    assertThat(c.get("/api/me/apps").json().path("apps").size()).isZero();
  }

  @Test
  void directInstallIsIdempotentAndRefusesWhatItMust() throws Exception {
    byte[] zip = Miniapps.zip(Miniapps.repoPath("samples/hello"), Map.of());
    var again = Miniapps.install(server, shop.appId(), zip);
    assertThat(again.path("changed").asBoolean()).isFalse();
    assertThat(again.path("version").asText()).isEqualTo("1.0.0");
    String token = java.nio.file.Files.readString(server.server().operatorTokenFile()).trim();
    assertThat(rawInstall(shop.appId(), token, "application/zip", zip).statusCode())
        .isEqualTo(200);
    assertThat(rawInstall(shop.appId(), "wrong", "application/zip", zip).statusCode())
        .isEqualTo(401);
    assertThat(rawInstall("9999999999999999", token, "application/zip", zip).statusCode())
        .isEqualTo(404);
    assertThat(rawInstall(shop.appId(), token, "application/json", zip).statusCode())
        .isEqualTo(415);
    var broken = rawInstall(shop.appId(), token, "application/zip", Miniapps.zip(
        Miniapps.repoPath("samples/hello"), Map.of("\"pages\": [", "\"pages\": [\"pages/x/x\", ")));
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).contains("MINIAPP.PACKAGE_INVALID").contains("page-missing");
  }

  static java.net.http.HttpResponse<String> rawInstall(String appId, String token, String type,
      byte[] body) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.baseUrl() + "/admin/miniapps/" + appId + "/install"))
        .header("Authorization", "Bearer " + token).header("Content-Type", type)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }
}
