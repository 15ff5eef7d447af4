package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipaySystemOauthTokenRequest;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.response.AlipayTradeCreateResponse;
import com.example.hellomerchant.HelloMerchant;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator's side of mini-programs in Chromium (issue 7): the review queue's live preview of
 * the version under review (the reviewed page text, a pay button refused, nothing charged), and a
 * frozen merchant's notice in the shell (frozen in /ops: the notice shows and tradePay is
 * refused; unfrozen: the notice is gone).
 */
@Tag("db")
@Tag("browser")
class OpsPreviewBrowserTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static ServerFixture server;
  static HelloMerchant helloBackEnd;
  static Miniapps.MerchantApp hello;
  Browser browser;
  WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    server = ServerFixture.start("opspreview");
    hello = Miniapps.merchant(server, "Preview Tea");
    helloBackEnd = new HelloMerchant(server.baseUrl() + "/gateway.do", hello.appId(),
        hello.appPrivateKey(), hello.platformPublicKey(), 0);
    Miniapps.install(server, hello.appId(), Miniapps.zip(Miniapps.repoPath("samples/hello"),
        Map.of("http://127.0.0.1:8090", helloBackEnd.origin())));
  }

  @AfterAll
  static void stop() {
    if (helloBackEnd != null) {
      helloBackEnd.close();
    }
    server.close();
  }

  @BeforeEach
  void browser() {
    browser = Browser.start();
    wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.driver().manage().logs().get(LogType.BROWSER).forEach(
          e -> System.out.println("BROWSER " + e.getLevel() + " " + e.getMessage()));
      browser.close();
    }
  }

  void opsLogIn() throws Exception {
    browser.open(server.baseUrl() + "/ops");
    browser.type("#token", Files.readString(server.server().operatorTokenFile()).trim());
    MiniProgramReviewBrowserTest.press(browser, "#login");
    browser.find("#cards .card");
  }

  /** A GET of the console's API from the console's page (the operator's cookie). */
  JsonNode opsApi(String path) throws Exception {
    return MAPPER.readTree((String) browser.async("const done = arguments[arguments.length - 1];"
        + "fetch(arguments[0]).then(r => r.text()).then(done, e => done(String(e)));", path));
  }

  /** A new version of the hello sample, with its own button text, submitted for review. */
  static void submitNewVersion(String version, String buttonText) throws Exception {
    byte[] zip = Miniapps.zip(Miniapps.repoPath("samples/hello"), Map.of(
        "http://127.0.0.1:8090", helloBackEnd.origin(), "Buy a cup of tea", buttonText));
    String token = Files.readString(server.server().operatorTokenFile()).trim();
    int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            server.baseUrl() + "/admin/miniapps/" + hello.appId() + "/versions/" + version
                + "/package"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/zip")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(zip)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
    assertThat(status).isIn(200, 201);
    server.admin("/admin/miniapps/" + hello.appId() + "/versions/" + version + "/submit",
        "description", "a pot instead of a cup");
  }

  @Test
  void theOperatorPreviewsTheVersionUnderReviewAndItsPayButtonIsRefused() throws Exception {
    submitNewVersion("9.0.0", "Buy a pot of tea");
    opsLogIn();
    MiniProgramReviewBrowserTest.press(browser, "nav button[data-tab=review]");
    String item = "#review li[data-app='" + hello.appId() + "']";
    browser.waitForText(item, "9.0.0");
    MiniProgramReviewBrowserTest.press(browser, item + " button[data-action=preview]");

    WebElement frame = browser.find("#preview-phone iframe.hm-frame");
    assertThat(frame.getAttribute("sandbox")).isEqualTo("allow-scripts allow-forms");
    assertThat(frame.getAttribute("src"))
        .startsWith("http://" + hello.appId() + ".apps.localhost:" + server.port() + "/~");
    browser.waitForText("#preview-phone .hm-notice", "Review preview of version 9.0.0");

    browser.driver().switchTo().frame(frame);
    browser.waitForText("#pay", "Buy a pot of tea");
    browser.click("#pay");
    browser.waitForText("#status", "not available in review preview");
    browser.driver().switchTo().defaultContent();

    // Nothing charged, nothing sent to the merchant; the preview is in the audit log.
    JsonNode detail = opsApi("/ops/api/merchants/" + hello.merchantId());
    assertThat(detail.path("gross").asText()).as(detail.toString()).isEqualTo("0.00");
    assertThat(helloBackEnd.notifications()).isEmpty();
    assertThat(opsApi("/ops/api/audit").toString()).contains("review.preview");
  }

  @Test
  void aFrozenMerchantsAppShowsTheNoticeAndCannotBePaidUntilUnfrozen() throws Exception {
    ShellPages shell = new ShellPages(browser, server.baseUrl());
    shell.signUp();
    shell.topUp("50.00", "50.00");
    // A trade of the app for this user, made before the freeze (the merchant's back end would).
    launch();
    String openId = openIdInApp();
    browser.driver().switchTo().defaultContent();
    assertThat(browser.all(".hm-notice").get(0).isDisplayed()).isFalse();
    String tradeNo = createTrade(openId);
    browser.click(".hm-close");

    opsLogIn();
    setFrozen(true);

    browser.open(server.baseUrl() + "/");
    browser.find(".tabbar");
    launch();
    browser.driver().switchTo().defaultContent();
    browser.waitForText(".hm-notice", "This merchant is suspended by the platform; payments are"
        + " unavailable");

    // tradePay from the app: the cashier opens, the PIN is typed, the payment is refused.
    browser.driver().switchTo().frame(browser.find("iframe.hm-frame"));
    ((JavascriptExecutor) browser.driver()).executeScript("window.__paid = my.tradePay("
        + "{tradeNO: arguments[0]}).then(r => JSON.stringify(r), e => JSON.stringify(e));",
        tradeNo);
    browser.driver().switchTo().defaultContent();
    shell.enterPin(ShellPages.PIN);
    wait.until(d -> !d.findElement(By.cssSelector("[data-testid=cashier] .cashier-error"))
        .getText().isBlank());
    assertThat(browser.text("[data-testid=cashier] .cashier-error")).contains("frozen");
    browser.driver().findElement(By.xpath("//*[@data-testid='cashier']//button[text()='Close']"))
        .click();
    browser.driver().switchTo().frame(browser.find("iframe.hm-frame"));
    String result = (String) browser.async("window.__paid.then(arguments[arguments.length - 1]);");
    assertThat(MAPPER.readTree(result).path("resultCode").asText()).isEqualTo("4000");
    browser.driver().switchTo().defaultContent();
    browser.click(".hm-close");
    assertThat(shell.balance()).contains("50.00");

    browser.open(server.baseUrl() + "/ops");
    browser.find("#cards .card");
    setFrozen(false);
    browser.open(server.baseUrl() + "/");
    browser.find(".tabbar");
    launch();
    browser.driver().switchTo().defaultContent();
    wait.until(d -> !d.findElement(By.cssSelector(".hm-notice")).isDisplayed());
  }

  void setFrozen(boolean frozen) {
    MiniProgramReviewBrowserTest.press(browser, "nav button[data-tab=merchants]");
    browser.type("#m-q", "Preview Tea");
    MiniProgramReviewBrowserTest.press(browser, "#search-form button");
    MiniProgramReviewBrowserTest.press(browser, "#merchants tbody tr[data-merchant='"
        + hello.merchantId() + "']");
    browser.type("#m-reason", frozen ? "customer complaints" : "resolved");
    MiniProgramReviewBrowserTest.press(browser, frozen ? "#m-freeze" : "#m-unfreeze");
    browser.waitForText("#m-name", frozen ? "FROZEN" : "ACTIVE");
  }

  /** Opens the hello app from the shell and switches into its frame. */
  void launch() {
    browser.driver().executeScript("import('/shell/appframe-slot.js')"
        + ".then(m => m.launchApp(arguments[0], {scene: 'search'}))", hello.appId());
    browser.driver().switchTo().frame(browser.find("iframe.hm-frame"));
    browser.find("#pay");
  }

  /** The user's open_id for the app, as the app's back end learns it (auth_base, no consent). */
  String openIdInApp() throws Exception {
    String code = (String) browser.async("const done = arguments[arguments.length - 1];"
        + "my.getAuthCode({scopes: 'auth_base'}).then(r => done(r.authCode),"
        + " e => done('failed ' + JSON.stringify(e)));");
    AlipaySystemOauthTokenRequest request = new AlipaySystemOauthTokenRequest();
    request.setGrantType("authorization_code");
    request.setCode(code);
    var token = sdk().execute(request);
    assertThat(token.isSuccess()).as(token.getBody()).isTrue();
    return token.getOpenId();
  }

  String createTrade(String openId) throws Exception {
    AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
    create.setBizContent(MAPPER.writeValueAsString(Map.of("out_trade_no",
        "frozen-" + System.nanoTime(), "total_amount", "1.00", "subject", "A cup of tea",
        "buyer_open_id", openId)));
    AlipayTradeCreateResponse created = sdk().execute(create);
    assertThat(created.isSuccess()).as(created.getBody()).isTrue();
    return created.getTradeNo();
  }

  static DefaultAlipayClient sdk() {
    return new DefaultAlipayClient(server.baseUrl() + "/gateway.do", hello.appId(),
        hello.appPrivateKey(), "json", "UTF-8", hello.platformPublicKey(), "RSA2");
  }
}
