package dev.hutong.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.request.AlipayDataDataserviceBillDownloadurlQueryRequest;
import com.alipay.api.response.AlipayDataDataserviceBillDownloadurlQueryResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.pay.AlipayTimes;
import dev.hutong.server.browser.ServerFixture;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The merchant portal's and the operations console's APIs over HTTP on a real server: the money
 * path from onboarding to payout, and every endpoint tried without a session, with the wrong
 * role's session, and as another merchant.
 */
@Tag("db")
class MerchantApiTest {
  static ServerFixture server;
  static final AtomicInteger phones = new AtomicInteger(13500000);
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = ServerFixture.start("merchantapi");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String phone() {
    return "135" + phones.incrementAndGet();
  }

  static ShellClient merchant(String name) throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    ShellClient.Reply r = c.post("/merchant/api/onboard", "business_name", name, "category", "food",
        "city", "Chengdu", "phone", phone(), "password", "noodles-2026", "bank_holder", "Li Wei",
        "bank_account_no", "6222021001019876");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(201);
    return c;
  }

  static ShellClient user(String topUp) throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    assertThat(c.post("/api/signup", "phone", phone(), "password", "secret-pw", "pin", "123456")
        .status()).isEqualTo(201);
    assertThat(c.postKeyed("/api/wallet/top-ups", "topup-" + UUID.randomUUID(), "amount", topUp)
        .status()).isEqualTo(200);
    return c;
  }

  static ShellClient operator() throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    String token = Files.readString(server.server().operatorTokenFile()).trim();
    ShellClient.Reply r = c.post("/ops/api/login", "token", token);
    assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    return c;
  }

  static HttpResponse<byte[]> raw(ShellClient c, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
    if (!c.cookies.isEmpty()) {
      b.header("Cookie", String.join("; ", c.cookies.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String pay(ShellClient user, String code, String amount) throws Exception {
    ShellClient.Reply r = user.postKeyed("/api/cashier/collect", "pay-" + UUID.randomUUID(),
        "code", code, "amount", amount, "pin", "123456");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    return r.json().path("trade_no").asText();
  }

  @Test
  void fromOnboardingToPayoutThroughThePortal() throws Exception {
    long start = Instant.now().toEpochMilli() - 1;
    ShellClient m = merchant("Chengdu Noodles");
    ShellClient.Reply me = m.get("/merchant/api/me");
    assertThat(me.json().path("merchant").path("tier").asText()).isEqualTo("MICRO");
    assertThat(me.json().path("merchant").path("payment_limit").asText()).isEqualTo("1000.00");
    assertThat(me.json().path("merchant").path("bank_account").path("number").asText())
        .isEqualTo("**** 9876");
    assertThat(me.json().path("merchant").path("bank_account").path("simulated").asBoolean()).isTrue();
    String code = m.get("/merchant/api/collect-code").json().path("code").asText();
    assertThat(code).startsWith(server.baseUrl() + "/c/");

    HttpResponse<byte[]> png = raw(m, "/merchant/api/collect-code.png");
    assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
    assertThat(image.getWidth()).isEqualTo(1200);
    assertThat(image.getHeight()).isEqualTo(1500);
    HttpResponse<byte[]> svg = raw(m, "/merchant/api/collect-code.svg");
    assertThat(new String(svg.body())).startsWith("<svg").contains("Chengdu Noodles");

    ShellClient u = user("100.00");
    String tradeNo = pay(u, code, "12.50");
    ShellClient.Reply live = m.get("/merchant/api/live?since=" + start);
    assertThat(live.json().path("payments").get(0).path("trade_no").asText()).isEqualTo(tradeNo);
    assertThat(live.json().path("payments").get(0).path("total_amount").asText()).isEqualTo("12.50");

    String key = "refund-" + UUID.randomUUID();
    ShellClient.Reply refund = m.postKeyed("/merchant/api/trades/" + tradeNo + "/refunds", key,
        "amount", "2.50", "reason", "one bowl less");
    assertThat(refund.status()).as(refund.json().toString()).isEqualTo(200);
    assertThat(refund.json().path("fund_change").asBoolean()).isTrue();
    assertThat(m.postKeyed("/merchant/api/trades/" + tradeNo + "/refunds", key, "amount", "2.50",
        "reason", "one bowl less").json().path("fund_change").asBoolean()).isFalse();
    ShellClient.Reply detail = m.get("/merchant/api/trades/" + tradeNo);
    assertThat(detail.json().path("trade").path("refunded").asText()).isEqualTo("2.50");
    assertThat(m.get("/merchant/api/trades?status=TRADE_SUCCESS&min=10.00").json().path("trades"))
        .hasSize(1);

    String today = LocalDate.now(AlipayTimes.ZONE).toString();
    String csv = new String(raw(m, "/merchant/api/statements/" + today + ".csv").body());
    assertThat(csv).contains("PAYMENT,").contains(",12.50,0.08,12.42,").contains("REFUND,")
        .contains(",-2.50,-0.02,-2.48,");

    ShellClient.Reply money = m.get("/merchant/api/money");
    assertThat(money.json().path("balance").asText()).isEqualTo("9.94");
    ShellClient.Reply payout = m.postKeyed("/merchant/api/payouts", "payout-" + UUID.randomUUID(),
        "amount", "9.94");
    assertThat(payout.status()).as(payout.json().toString()).isEqualTo(200);
    assertThat(payout.json().path("payout").path("simulated").asBoolean()).isTrue();
    assertThat(m.get("/merchant/api/money").json().path("balance").asText()).isEqualTo("0.00");
    assertThat(m.postKeyed("/merchant/api/payouts", "payout-" + UUID.randomUUID(), "amount",
        "0.01").status()).isEqualTo(409);
  }

  @Test
  void everyPortalEndpointRefusesNoSessionTheWrongRoleAndAnotherMerchant() throws Exception {
    ShellClient a = merchant("Shop A");
    ShellClient b = merchant("Shop B");
    ShellClient u = user("50.00");
    String code = a.get("/merchant/api/collect-code").json().path("code").asText();
    String tradeNo = pay(u, code, "3.00");
    List<String> gets = List.of("/merchant/api/me", "/merchant/api/collect-code",
        "/merchant/api/trades", "/merchant/api/trades/" + tradeNo, "/merchant/api/live",
        "/merchant/api/money", "/merchant/api/apps", "/merchant/api/statements/2026-01-01.csv",
        "/ops/api/merchants", "/ops/api/risk", "/ops/api/dashboard", "/ops/api/audit");
    ShellClient nobody = new ShellClient(server.baseUrl());
    for (String path : gets) {
      assertThat(raw(nobody, path).statusCode()).as(path).isEqualTo(401);
      if (path.startsWith("/merchant")) {
        assertThat(raw(u, path).statusCode()).as("user on " + path).isEqualTo(401);
      } else {
        assertThat(raw(a, path).statusCode()).as("merchant on " + path).isEqualTo(401);
      }
    }
    assertThat(raw(u, "/merchant/api/collect-code.png").statusCode()).isEqualTo(401);
    // another merchant: the trade does not exist for it
    assertThat(b.get("/merchant/api/trades/" + tradeNo).status()).isEqualTo(404);
    assertThat(b.postKeyed("/merchant/api/trades/" + tradeNo + "/refunds", "refund-b-1234",
        "amount", "1.00").status()).isEqualTo(404);
    assertThat(b.get("/merchant/api/trades").json().path("trades")).isEmpty();
    // a user's session is not a merchant's, even for state-changing calls
    assertThat(u.postKeyed("/merchant/api/payouts", "payout-u-1234", "amount", "1.00").status())
        .isEqualTo(401);
    // CSRF: a merchant's own session without the token, or from another origin
    String token = a.csrfToken;
    a.csrfToken = null;
    assertThat(a.postKeyed("/merchant/api/payouts", "payout-a-1234", "amount", "1.00").status())
        .isEqualTo(403);
    a.csrfToken = token;
    a.origin = "http://evil.example";
    assertThat(a.postKeyed("/merchant/api/payouts", "payout-a-1234", "amount", "1.00").status())
        .isEqualTo(403);
    a.origin = server.baseUrl();
    // a cashier sees payments but moves no money out and manages no apps
    String cashierPhone = phone();
    assertThat(a.post("/merchant/api/staff", "phone", cashierPhone, "password", "cashier-pw")
        .status()).isEqualTo(201);
    ShellClient cashier = new ShellClient(server.baseUrl());
    assertThat(cashier.post("/merchant/api/login", "phone", cashierPhone, "password", "cashier-pw")
        .status()).isEqualTo(200);
    assertThat(cashier.get("/merchant/api/trades/" + tradeNo).status()).isEqualTo(200);
    assertThat(cashier.postKeyed("/merchant/api/payouts", "payout-c-1234", "amount", "1.00")
        .status()).isEqualTo(403);
    assertThat(cashier.get("/merchant/api/apps").status()).isEqualTo(403);
    assertThat(cashier.post("/merchant/api/staff", "phone", phone(), "password", "x-password")
        .status()).isEqualTo(403);
    // apps and their notification logs belong to their merchant
    String appKey = dev.hutong.openapi.gateway.KeyPairs.publicKeyBase64(
        dev.hutong.openapi.gateway.KeyPairs.generateRsa2048().getPublic());
    ShellClient.Reply app = a.post("/merchant/api/apps", "name", "A's back end", "public_key", appKey,
        "notify_url", "http://127.0.0.1:9/notify");
    assertThat(app.status()).as(app.json().toString()).isEqualTo(201);
    String appId = app.json().path("app_id").asText();
    assertThat(a.get("/merchant/api/apps/" + appId + "/notifications").status()).isEqualTo(200);
    assertThat(b.get("/merchant/api/apps/" + appId + "/notifications").status()).isEqualTo(404);
    assertThat(b.post("/merchant/api/apps/" + appId + "/notifications/" + UUID.randomUUID()
        + "/retry").status()).isEqualTo(404);
    // operators' endpoints refuse a merchant's session
    String merchantId = a.get("/merchant/api/me").json().path("merchant").path("id").asText();
    assertThat(a.post("/ops/api/merchants/" + merchantId + "/unfreeze", "reason", "me").status())
        .isEqualTo(401);
  }

  @Test
  void operatorsFreezeRaiseLimitsSetRulesAndEverythingIsAudited() throws Exception {
    ShellClient bad = new ShellClient(server.baseUrl());
    assertThat(bad.post("/ops/api/login", "token", "guess").status()).isEqualTo(401);
    ShellClient ops = operator();
    ShellClient m = merchant("Frozen Yoghurt " + phones.get());
    String id = m.get("/merchant/api/me").json().path("merchant").path("id").asText();
    String code = m.get("/merchant/api/collect-code").json().path("code").asText();
    assertThat(ops.get("/ops/api/merchants?q=frozen%20yoghurt").json().path("merchants")
        .findValuesAsText("id")).contains(id);

    assertThat(ops.post("/ops/api/merchants/" + id + "/freeze").status()).isEqualTo(400);
    assertThat(ops.post("/ops/api/merchants/" + id + "/freeze", "reason", "chargeback fraud")
        .json().path("merchant").path("status").asText()).isEqualTo("FROZEN");
    ShellClient u = user("2000.00");
    ShellClient.Reply refused = u.postKeyed("/api/cashier/collect", "pay-" + UUID.randomUUID(),
        "code", code, "amount", "5.00", "pin", "123456");
    assertThat(refused.status()).isIn(404, 409);
    assertThat(m.postKeyed("/merchant/api/payouts", "payout-" + UUID.randomUUID(), "amount",
        "1.00").status()).isEqualTo(409);
    ops.post("/ops/api/merchants/" + id + "/unfreeze", "reason", "cleared");

    ShellClient.Reply over = u.postKeyed("/api/cashier/collect", "pay-" + UUID.randomUUID(),
        "code", code, "amount", "1000.01", "pin", "123456");
    assertThat(over.status()).isEqualTo(409);
    assertThat(over.error()).isEqualTo("ACQ.TOTAL_FEE_EXCEED");
    assertThat(ops.get("/ops/api/merchants/" + id).json().path("blocked")
        .findValuesAsText("rule")).contains("merchant_payment_limit");
    ShellClient.Reply raised = ops.post("/ops/api/merchants/" + id + "/limits", "tier", "STANDARD",
        "payment_limit", "5000.00", "day_limit", "50000.00", "reason", "verified business licence");
    assertThat(raised.json().path("merchant").path("payment_limit").asText()).isEqualTo("5000.00");
    pay(u, code, "1000.01");

    assertThat(ops.post("/ops/api/risk/rules", "name", "failed_pin_max", "value", "-1", "reason",
        "x").status()).isEqualTo(400);
    assertThat(ops.post("/ops/api/risk/rules", "name", "failed_pin_max", "value", "8", "reason",
        "tighter").json().path("rules").path("failed_pin_max").asLong()).isEqualTo(8);
    ShellClient.Reply dash = ops.get("/ops/api/dashboard");
    assertThat(dash.json().path("payments_today").asLong()).isPositive();
    assertThat(dash.json().has("notification_backlog")).isTrue();
    assertThat(dash.json().path("top_merchants").isArray()).isTrue();
    // the charts' last hour: 60 one-minute buckets, oldest first, holding this test's payments
    JsonNode minutes = dash.json().path("minutes");
    assertThat(minutes).hasSize(60);
    assertThat(minutes.get(59).path("start").asLong() - minutes.get(0).path("start").asLong())
        .isEqualTo(59 * 60_000L);
    long paidLastHour = 0;
    for (JsonNode minute : minutes) {
      paidLastHour += minute.path("paid").asLong();
    }
    assertThat(paidLastHour).isPositive();

    List<String> actions = ops.get("/ops/api/audit").json().path("entries").findValuesAsText("action");
    assertThat(actions).contains("ops.login", "merchant.freeze", "merchant.unfreeze",
        "merchant.limits", "risk.rule", "ops.login_failed");
    assertThat(ops.get("/ops/api/merchants/" + id).json().path("audit").findValuesAsText("detail"))
        .anyMatch(d -> d.contains("chargeback fraud"));
  }

  @Test
  void billDownloadLinksFromTheGatewayServeTheStatementOnceSignedAndRefuseAlteredOnes()
      throws Exception {
    ServerFixture.Merchant shop = server.merchant("Bill Shop");
    AlipayDataDataserviceBillDownloadurlQueryRequest request =
        new AlipayDataDataserviceBillDownloadurlQueryRequest();
    String yesterday = LocalDate.now(AlipayTimes.ZONE).minusDays(1).toString();
    request.setBizContent("{\"bill_type\":\"trade\",\"bill_date\":\"" + yesterday + "\"}");
    AlipayDataDataserviceBillDownloadurlQueryResponse r = shop.sdk().execute(request);
    assertThat(r.isSuccess()).as(r.getBody()).isTrue();
    HttpResponse<String> csv = HTTP.send(HttpRequest.newBuilder(URI.create(r.getBillDownloadUrl()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/csv"));
    assertThat(csv.body()).startsWith("# Hutong statement,").contains(shop.merchantId())
        .contains(yesterday);
    String altered = r.getBillDownloadUrl().replace("bill_date=" + yesterday,
        "bill_date=" + LocalDate.parse(yesterday).minusDays(1));
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(altered)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
  }
}
