package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.response.AlipayTradePayResponse;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shell in headless Chromium against a real server: what a person does, end to end. */
@Tag("db")
@Tag("browser")
class ShellBrowserTest {
  static ServerFixture server;
  static Browser browser;
  static ShellPages shell;
  static ServerFixture.Merchant shop;

  @BeforeAll
  static void start() {
    server = ServerFixture.start("shellbrowser");
    browser = Browser.start();
    shell = new ShellPages(browser, server.baseUrl());
    shop = server.merchant("Noodle Bar");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
  }

  static String orderNo() {
    return "o-" + UUID.randomUUID().toString().substring(0, 13);
  }

  @Test
  void signUpTopUpAndTheBillShowsIt() {
    shell.signUp();
    browser.find(".home-hero");
    shell.topUp("100.00", "100.00");
    browser.waitForText("[data-testid=bills]", "Top-up from bank card (simulated)");
    assertThat(browser.text("[data-testid=bills] .bill[data-kind=TOP_UP] .bill-amount"))
        .isEqualTo("+¥100.00");
    assertThat(browser.text(".simulated-badge")).isEqualTo("Simulated bank");
  }

  @Test
  void aMerchantScansThePaymentCodeAndTheBillShowsIt() throws Exception {
    shell.signUp();
    shell.topUp("100.00", "100.00");
    shell.tab("pay");
    browser.find(".paycode-card[data-code-ready=true] .paycode-qr img");
    browser.click("[data-testid=paycode-reveal]");
    String code = browser.text("[data-testid=paycode-digits]").replace(" ", "");
    assertThat(code).matches("28[0-9]{16}");

    String order = orderNo();
    AlipayTradePayResponse paid = shop.payWithCode(order, code, "12.34", "Beef noodles");
    assertThat(paid.isSuccess()).as(paid.getBody()).isTrue();
    // One-time: the same code again is refused.
    assertThat(shop.payWithCode(orderNo(), code, "1.00", "Tea").isSuccess()).isFalse();

    assertThat(shell.balance()).isEqualTo("87.66");
    browser.waitForText("[data-testid=bills] .bill[data-kind=PAYMENT]", "Noodle Bar");
    assertThat(browser.text("[data-testid=bills] .bill[data-kind=PAYMENT] .bill-amount"))
        .isEqualTo("-¥12.34");
    browser.click("[data-testid=bills] .bill[data-kind=PAYMENT]");
    browser.waitForText("[data-testid=detail-amount]", "12.34");
  }

  @Test
  void scanAPastedTradeCodeAndPayWithThePin() throws Exception {
    shell.signUp();
    shell.topUp("50.00", "50.00");
    String order = orderNo();
    String qr = shop.precreate(order, "8.80", "Dumplings");
    shell.scanByPasting(qr);
    browser.waitForText("[data-testid=cashier-merchant]", "Noodle Bar");
    assertThat(browser.text("[data-testid=cashier-amount]")).isEqualTo("¥8.80");
    shell.enterPin(ShellPages.PIN);
    browser.find("[data-testid=cashier-done]");
    browser.waitForText("[data-testid=detail-amount]", "8.80");
    assertThat(shop.status(order)).isEqualTo("TRADE_SUCCESS");
    assertThat(shell.balance()).isEqualTo("41.20");
  }

  @Test
  void aPickedPictureOfTheCodeIsReadOnTheServerWhenTheBrowserCanNot() throws Exception {
    shell.signUp();
    shell.topUp("30.00", "30.00");
    String order = orderNo();
    shell.scanByPicture(ShellPages.qrPngFile(shop.precreate(order, "6.60", "Soy milk")));
    browser.waitForText("[data-testid=cashier-amount]", "6.60");
    shell.enterPin(ShellPages.PIN);
    browser.find("[data-testid=cashier-done]");
    browser.waitForText("[data-testid=detail-amount]", "6.60");
    assertThat(shop.status(order)).isEqualTo("TRADE_SUCCESS");
  }

  @Test
  void aWrongPinIsRefusedAndNothingIsCharged() throws Exception {
    shell.signUp();
    shell.topUp("20.00", "20.00");
    String order = orderNo();
    shell.scanByPasting(shop.precreate(order, "5.00", "Tea"));
    shell.enterPin("999999");
    browser.waitForText("[data-testid=cashier-error]", "PIN is wrong");
    assertThat(browser.text("[data-testid=cashier-error]")).contains("4 attempts left");
    browser.click("[data-testid=cashier] .sheet-close");
    browser.waitGone("[data-testid=cashier]");
    assertThat(shop.status(order)).isEqualTo("WAIT_BUYER_PAY");
    assertThat(shell.balance()).isEqualTo("20.00");
  }

  @Test
  void stateChangingCallsWithoutTheCsrfTokenOrFromAnotherOriginAreRefused() throws Exception {
    shell.signUp();
    shell.topUp("10.00", "10.00");
    // Same page, but a request that leaves out X-CSRF-Token.
    Object status = browser.async("const done = arguments[arguments.length - 1];"
        + "fetch('/api/wallet/top-ups', {method: 'POST', headers: {'Content-Type':"
        + " 'application/json', 'Idempotency-Key': 'forged-0001'}, body: '{\"amount\":\"5.00\"}'})"
        + ".then(r => r.json().then(j => done(r.status + ' ' + j.error)))");
    assertThat(status).isEqualTo("403 csrf_token");

    // Another origin on the same host (same site, so the browser sends the cookie along).
    HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] page = ("<!doctype html><script>fetch('" + server.baseUrl() + "/api/wallet/top-ups',"
        + " {method: 'POST', mode: 'no-cors', credentials: 'include', headers: {'Content-Type':"
        + " 'text/plain'}, body: '{\"amount\":\"7.00\"}'}).finally(() => document.title = 'sent');"
        + "</script>").getBytes(StandardCharsets.UTF_8);
    evil.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/html");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    evil.start();
    try {
      browser.open("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
      new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(),
          java.time.Duration.ofSeconds(10)).until(d -> "sent".equals(d.getTitle()));
    } finally {
      evil.stop(0);
    }
    browser.open(server.baseUrl() + "/#/wallet");
    browser.waitForText("[data-testid=balance]", ".");
    assertThat(browser.text("[data-testid=balance]")).isEqualTo("10.00");
    assertThat(browser.all("[data-testid=bills] .bill")).hasSize(1);
  }

  @Test
  void loginIsRateLimited() {
    String phone = shell.signUp();
    browser.click(".tab[data-tab=me]");
    browser.click("[data-testid=logout]");
    browser.find("form.account-form");
    for (int i = 0; i < 5; i++) {
      shell.submitLogin(phone, "wrong-password-" + i);
      browser.waitForText("[data-testid=account-error]", "wrong");
      browser.driver().executeScript(
          "document.querySelector('[data-testid=account-error]').textContent = ''");
    }
    shell.submitLogin(phone, "secret-pw-1");
    browser.waitForText("[data-testid=account-error]", "too many failed logins");
    assertThat(browser.all(".tabbar")).isEmpty();
  }

  @Test
  void theShellIsServedWithAStrictContentSecurityPolicy() throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    Map<String, java.util.List<String>> headers = r.headers().map();
    assertThat(headers.get("content-security-policy").get(0)).contains("script-src 'self'")
        .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
    assertThat(r.body()).contains("/shell/main.js");
    assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.baseUrl() + "/shell/..%2fapp.css")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }
}
