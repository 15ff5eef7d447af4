package dev.hutong.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.server.browser.ServerFixture;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shell's API over HTTP: sessions, cookies, CSRF, rate limits, idempotency, bills. */
@Tag("db")
class ShellApiTest {
  static ServerFixture server;
  static final AtomicInteger phones = new AtomicInteger(13700000);

  @BeforeAll
  static void start() {
    server = ServerFixture.start("shellapi");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String phone() {
    return "137" + phones.incrementAndGet();
  }

  ShellClient signedUp() throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    ShellClient.Reply r = c.post("/api/signup", "phone", phone(), "password", "secret-pw",
        "pin", "123456");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(201);
    return c;
  }

  @Test
  void signUpSetsAnHttpOnlyStrictSessionCookieAndAReadableCsrfCookie() throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    ShellClient.Reply r = c.post("/api/signup", "phone", phone(), "password", "secret-pw",
        "pin", "123456");
    assertThat(r.status()).isEqualTo(201);
    String session = r.setCookies().stream().filter(s -> s.startsWith("hutong_user=")).findFirst()
        .orElseThrow();
    assertThat(session).contains("HttpOnly").containsIgnoringCase("SameSite=Strict")
        .contains("Path=/").doesNotContain("Secure");
    String csrf = r.setCookies().stream().filter(s -> s.startsWith("hutong_user_csrf="))
        .findFirst().orElseThrow();
    assertThat(csrf).doesNotContain("HttpOnly").containsIgnoringCase("SameSite=Strict");
    assertThat(c.cookies.get("hutong_user_csrf")).isEqualTo(r.json().path("csrf_token").asText());
    ShellClient.Reply me = c.get("/api/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().path("user").path("phone").asText()).startsWith("+86137");
    assertThat(me.json().toString()).doesNotContain(c.cookies.get("hutong_user"));
  }

  @Test
  void withoutASessionEveryEndpointAnswers401() throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    assertThat(c.get("/api/me").status()).isEqualTo(401);
    assertThat(c.get("/api/wallet").status()).isEqualTo(401);
    c.cookies.put("hutong_user", "A".repeat(43));
    assertThat(c.get("/api/bills").status()).isEqualTo(401);
    assertThat(c.post("/api/payment-codes").status()).isEqualTo(401);
  }

  @Test
  void stateChangingCallsNeedTheTokenAndOurOrigin() throws Exception {
    ShellClient c = signedUp();
    String token = c.csrfToken;
    String key = "k-" + UUID.randomUUID();

    c.csrfToken = null;
    ShellClient.Reply noToken = c.postKeyed("/api/wallet/top-ups", key, "amount", "10.00");
    assertThat(noToken.status()).isEqualTo(403);
    assertThat(noToken.error()).isEqualTo("csrf_token");

    // One character changed, never to itself (a token may start with any character).
    c.csrfToken = (token.charAt(0) == 'x' ? "y" : "x") + token.substring(1);
    assertThat(c.postKeyed("/api/wallet/top-ups", key, "amount", "10.00").error())
        .isEqualTo("csrf_token");

    c.csrfToken = token;
    c.origin = "http://evil.example";
    ShellClient.Reply evil = c.postKeyed("/api/wallet/top-ups", key, "amount", "10.00");
    assertThat(evil.status()).isEqualTo(403);
    assertThat(evil.error()).isEqualTo("csrf_origin");
    c.origin = "null";
    assertThat(c.postKeyed("/api/wallet/top-ups", key, "amount", "10.00").error())
        .isEqualTo("csrf_origin");
    c.origin = null;
    assertThat(c.postKeyed("/api/wallet/top-ups", key, "amount", "10.00").error())
        .isEqualTo("csrf_origin");

    // Nothing above moved money.
    c.origin = server.baseUrl();
    assertThat(c.get("/api/wallet").json().path("balance").asText()).isEqualTo("0.00");
    assertThat(c.get("/api/bills").json().path("items")).isEmpty();
  }

  @Test
  void loginNeedsOurOriginToo() throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    c.origin = "http://evil.example";
    assertThat(c.post("/api/login", "phone", phone(), "password", "whatever").error())
        .isEqualTo("csrf_origin");
  }

  @Test
  void logoutEndsTheSessionForGood() throws Exception {
    ShellClient c = signedUp();
    String oldSession = c.cookies.get("hutong_user");
    ShellClient.Reply out = c.post("/api/logout");
    assertThat(out.status()).isEqualTo(200);
    assertThat(c.cookies).doesNotContainKey("hutong_user");
    c.cookies.put("hutong_user", oldSession);
    assertThat(c.get("/api/me").status()).isEqualTo(401);
  }

  @Test
  void loginIsRateLimitedPerPhone() throws Exception {
    ShellClient owner = new ShellClient(server.baseUrl());
    String phone = phone();
    owner.post("/api/signup", "phone", phone, "password", "right-password", "pin", "123456");
    ShellClient attacker = new ShellClient(server.baseUrl());
    for (int i = 0; i < 5; i++) {
      ShellClient.Reply r = attacker.post("/api/login", "phone", phone, "password", "guess-" + i);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.error()).isEqualTo("wrong_credentials");
    }
    ShellClient.Reply held = attacker.post("/api/login", "phone", phone, "password",
        "right-password");
    assertThat(held.status()).isEqualTo(429);
    assertThat(held.error()).isEqualTo("rate_limited");
    assertThat(held.setCookies()).isEmpty();
  }

  @Test
  void topUpIsIdempotentByKeyAndLabelledSimulated() throws Exception {
    ShellClient c = signedUp();
    assertThat(c.post("/api/wallet/top-ups", "amount", "5.00").error())
        .isEqualTo("idempotency_key");
    String key = "topup-" + UUID.randomUUID();
    ShellClient.Reply first = c.postKeyed("/api/wallet/top-ups", key, "amount", "50.00");
    assertThat(first.status()).as(first.json().toString()).isEqualTo(200);
    assertThat(first.json().path("simulated").asBoolean()).isTrue();
    ShellClient.Reply again = c.postKeyed("/api/wallet/top-ups", key, "amount", "50.00");
    assertThat(again.status()).isEqualTo(200);
    ShellClient.Reply other = c.postKeyed("/api/wallet/top-ups", key, "amount", "60.00");
    assertThat(other.status()).isEqualTo(409);
    assertThat(c.get("/api/wallet").json().path("balance").asText()).isEqualTo("50.00");
    ShellClient.Reply bills = c.get("/api/bills");
    assertThat(bills.json().path("items")).hasSize(1);
    assertThat(bills.json().path("items").get(0).path("kind").asText()).isEqualTo("TOP_UP");
    assertThat(bills.json().path("items").get(0).path("amount").asText()).isEqualTo("+50.00");
  }

  @Test
  void billsArePagedNewestFirst() throws Exception {
    ShellClient c = signedUp();
    for (int i = 1; i <= 5; i++) {
      c.postKeyed("/api/wallet/top-ups", "page-" + i + "-" + UUID.randomUUID(), "amount", i + ".00");
    }
    ShellClient.Reply p1 = c.get("/api/bills?limit=2");
    assertThat(p1.json().path("items")).extracting(n -> n.path("amount").asText())
        .containsExactly("+5.00", "+4.00");
    String next = p1.json().path("next").asText();
    ShellClient.Reply p2 = c.get("/api/bills?limit=2&before=" + next);
    assertThat(p2.json().path("items")).extracting(n -> n.path("amount").asText())
        .containsExactly("+3.00", "+2.00");
    ShellClient.Reply p3 = c.get("/api/bills?limit=2&before=" + p2.json().path("next").asText());
    assertThat(p3.json().path("items")).extracting(n -> n.path("amount").asText())
        .containsExactly("+1.00");
    assertThat(p3.json().path("next").isNull()).isTrue();
    assertThat(c.get("/api/bills?before=garbage").status()).isEqualTo(400);
    assertThat(c.get("/api/bills?limit=500").status()).isEqualTo(400);
  }

  @Test
  void aPictureOfAQrCodeIsReadAndAnythingElseRefused() throws Exception {
    ShellClient c = signedUp();
    ShellClient.Reply read = c.postRaw("/api/scan/image", "image/png",
        dev.hutong.server.browser.ShellPages.qrPng("http://127.0.0.1/launch/app_1?page=x"));
    assertThat(read.status()).as(read.json().toString()).isEqualTo(200);
    assertThat(read.json().path("text").asText()).isEqualTo("http://127.0.0.1/launch/app_1?page=x");
    assertThat(c.postRaw("/api/scan/image", "image/png", "not a picture".getBytes()).error())
        .isEqualTo("unreadable_image");
    assertThat(c.postRaw("/api/scan/image", "text/plain", new byte[10]).status()).isEqualTo(415);
    java.awt.image.BufferedImage white = new java.awt.image.BufferedImage(50, 50,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(white, "png", out);
    assertThat(c.postRaw("/api/scan/image", "image/png", out.toByteArray()).error())
        .isEqualTo("no_code_found");
    assertThat(c.postRaw("/api/scan/image", "image/png",
        new byte[dev.hutong.server.web.QrImageReader.BYTES_MAX + 1]).status()).isEqualTo(413);
  }

  @Test
  void scanTellsTradesCollectCodesAndLaunchLinksApartAndPaysWithThePin() throws Exception {
    ServerFixture.Merchant shop = server.merchant("Tea House");
    String qr = shop.precreate("scan-" + UUID.randomUUID().toString().substring(0, 8), "3.50",
        "Green tea");
    ShellClient c = signedUp();
    c.postKeyed("/api/wallet/top-ups", "fund-" + UUID.randomUUID(), "amount", "10.00");

    ShellClient.Reply trade = c.post("/api/scan", "text", qr);
    assertThat(trade.json().path("kind").asText()).isEqualTo("trade");
    assertThat(trade.json().path("trade").path("merchant_name").asText()).isEqualTo("Tea House");
    assertThat(trade.json().path("trade").path("amount").asText()).isEqualTo("3.50");
    String tradeNo = trade.json().path("trade").path("trade_no").asText();

    ShellClient.Reply launch = c.post("/api/scan", "text",
        server.baseUrl() + "/launch/2024000000000001?page=pages/index&query=a%3D1");
    assertThat(launch.json().path("kind").asText()).isEqualTo("launch");
    assertThat(launch.json().path("app_id").asText()).isEqualTo("2024000000000001");
    assertThat(c.post("/api/scan", "text", "hello world").status()).isEqualTo(404);

    ShellClient.Reply wrong = c.post("/api/cashier/pay", "trade_no", tradeNo, "pin", "654321");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.error()).isEqualTo("CASHIER.PIN_WRONG");
    assertThat(c.get("/api/wallet").json().path("balance").asText()).isEqualTo("10.00");

    ShellClient.Reply paid = c.post("/api/cashier/pay", "trade_no", tradeNo, "pin", "123456");
    assertThat(paid.json().path("result_code").asText()).isEqualTo("9000");
    ShellClient.Reply again = c.post("/api/cashier/pay", "trade_no", tradeNo, "pin", "123456");
    assertThat(again.json().path("result_code").asText()).isEqualTo("9000");
    assertThat(c.get("/api/wallet").json().path("balance").asText()).isEqualTo("6.50");
    ShellClient.Reply detail = c.get("/api/trades/" + tradeNo);
    assertThat(detail.json().path("status").asText()).isEqualTo("TRADE_SUCCESS");
    // Another user can not read it.
    assertThat(signedUp().get("/api/trades/" + tradeNo).status()).isEqualTo(404);
  }
}
