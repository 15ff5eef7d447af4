package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.hellomerchant.HelloMerchant;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Mini-programs in real headless Chromium: the hello sample end to end (sign-up, top-up, open the
 * app, consent, pay with the PIN in the cashier sheet, the merchant's back end notified, the
 * bill), and a hostile app whose every escape attempt must fail.
 */
@Tag("browser")
class MiniappBrowserTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static ServerFixture server;
  static HelloMerchant helloBackEnd;
  static Miniapps.MerchantApp hello;
  static Miniapps.MerchantApp hostile;
  Browser browser;
  ChromeDriver driver;
  ShellPages shell;
  WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    server = ServerFixture.start("miniappbrowser");
    hello = Miniapps.merchant(server, "Hello Tea");
    helloBackEnd = new HelloMerchant(server.baseUrl() + "/gateway.do", hello.appId(),
        hello.appPrivateKey(), hello.platformPublicKey(), 0);
    Miniapps.install(server, hello.appId(), Miniapps.zip(Miniapps.repoPath("samples/hello"),
        Map.of("http://127.0.0.1:8090", helloBackEnd.origin())));
    hostile = Miniapps.merchant(server, "Legit Co");
    Miniapps.install(server, hostile.appId(), Miniapps.zip(
        Miniapps.repoPath("server/src/test/resources/miniapps/hostile"),
        Map.of("__ALLOWED_ORIGIN__", helloBackEnd.origin())));
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
    driver = browser.driver();
    shell = new ShellPages(browser, server.baseUrl());
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      // The console goes to the test output: what to read first when a browser test fails.
      driver.manage().logs().get(LogType.BROWSER).forEach(
          e -> System.out.println("BROWSER " + e.getLevel() + " " + e.getMessage()));
      browser.close();
    }
  }

  /** Runs a shell API call from the shell's page (its cookies, its CSRF token). */
  JsonNode pageApi(String method, String path) throws Exception {
    Object result = browser.async("const done = arguments[arguments.length - 1];"
        + "import('/shell/api.js').then(m => m.api(arguments[0], arguments[1]))"
        + ".then(r => done(JSON.stringify(r)), e => done(JSON.stringify({failed: e.message})));",
        method, path);
    return MAPPER.readTree((String) result);
  }

  /** A new user, signed up and topped up through the shell's screens; returns the user id. */
  String signUpAndTopUp() throws Exception {
    shell.signUp();
    shell.topUp("100.00", "100.00");
    return pageApi("GET", "/api/me").path("user").path("id").asText();
  }

  void launch(String appId, String query) {
    driver.executeScript("import('/shell/appframe-slot.js')"
        + ".then(m => m.launchApp(arguments[0], {scene: 'search', query: arguments[1]}))",
        appId, query);
    WebElement frame = wait.until(d -> d.findElements(By.cssSelector("iframe.hm-frame")).stream()
        .findFirst().orElse(null));
    assertThat(frame.getAttribute("sandbox")).isEqualTo("allow-scripts allow-forms");
    driver.switchTo().frame(frame);
  }

  WebElement byId(String id) {
    return wait.until(d -> d.findElement(By.id(id)));
  }

  String balance() throws Exception {
    return pageApi("GET", "/api/wallet").path("balance").asText();
  }

  @Test
  void helloSampleConsentsCountsAndPaysWithThePin() throws Exception {
    signUpAndTopUp();
    launch(hello.appId(), "");
    wait.until(d -> !byId("counter").getText().equals("…"));
    assertThat(byId("counter").getText()).isEqualTo("1");

    byId("login").click();
    driver.switchTo().defaultContent();
    WebElement consent = wait.until(d -> d.findElement(By.cssSelector(".hm-consent")));
    assertThat(consent.getText()).contains("Hello").contains("To greet you by your nickname");
    consent.findElement(By.cssSelector(".hm-confirm")).click();
    String nickname = pageApi("GET", "/api/me").path("user").path("nickname").asText();
    driver.switchTo().frame(driver.findElement(By.cssSelector("iframe.hm-frame")));
    wait.until(d -> byId("greeting").getText().equals("Hello, " + nickname + "!"));

    byId("pay").click();
    driver.switchTo().defaultContent();
    WebElement cashier = wait.until(d -> d.findElement(By.cssSelector("[data-testid=cashier-amount]")));
    assertThat(cashier.getText()).contains("1.00");
    shell.enterPin(ShellPages.PIN);
    wait.until(d -> !d.findElements(By.cssSelector("[data-testid=cashier-done]")).isEmpty()
        || d.findElements(By.cssSelector("[data-testid=cashier]")).isEmpty());
    driver.switchTo().frame(driver.findElement(By.cssSelector("iframe.hm-frame")));
    wait.until(d -> byId("status").getText().startsWith("Paid: "));
    assertThat(byId("status").getText()).isEqualTo("Paid: TRADE_SUCCESS (merchant notified)");
    assertThat(helloBackEnd.notifications()).containsValue("TRADE_SUCCESS");

    driver.switchTo().defaultContent();
    assertThat(balance()).isEqualTo("99.00");
    driver.findElement(By.cssSelector(".hm-close")).click();
    browser.open(server.baseUrl() + "/");
    shell.tab("wallet");
    browser.waitForText("#app", "A cup of hello tea");
    assertThat(pageApi("GET", "/api/bills").toString()).contains("A cup of hello tea");

    // Storage survives: the second open counts 2.
    launch(hello.appId(), "");
    wait.until(d -> byId("counter").getText().equals("2"));
  }

  @Test
  void hostileAppIsStoppedAtEveryTurn() throws Exception {
    String userId = signUpAndTopUp();
    // The victim: the hello app's storage for this user.
    launch(hello.appId(), "");
    wait.until(d -> byId("counter").getText().equals("1"));
    driver.switchTo().defaultContent();
    // A trade the hostile app will try to get paid without the PIN.
    DefaultAlipayClient sdk = new DefaultAlipayClient(server.baseUrl() + "/gateway.do",
        hostile.appId(), hostile.appPrivateKey(), "json", "UTF-8", hostile.platformPublicKey(),
        "RSA2");
    AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
    create.setBizContent("{\"out_trade_no\":\"steal-1\",\"total_amount\":\"50.00\","
        + "\"subject\":\"Nothing\",\"buyer_id\":\"" + userId + "\"}");
    String tradeNo = sdk.execute(create).getTradeNo();
    assertThat(tradeNo).isNotBlank();
    DefaultAlipayClient helloSdk = new DefaultAlipayClient(server.baseUrl() + "/gateway.do",
        hello.appId(), hello.appPrivateKey(), "json", "UTF-8", hello.platformPublicKey(), "RSA2");
    create.setBizContent("{\"out_trade_no\":\"tea-1\",\"total_amount\":\"3.00\","
        + "\"subject\":\"Tea\",\"buyer_id\":\"" + userId + "\"}");
    String otherTradeNo = helloSdk.execute(create).getTradeNo();
    String shellUrl = driver.getCurrentUrl();
    assertThat(balance()).isEqualTo("100.00");

    launch(hostile.appId(), "shell=" + server.baseUrl() + "&victim=" + hello.appId()
        + "&allowed=" + helloBackEnd.origin() + "&trade=" + tradeNo + "&othertrade="
        + otherTradeNo);
    wait.until(d -> "yes".equals(d.findElement(By.tagName("body")).getAttribute("data-done")));
    List<String> expected = List.of("parent-dom", "top-dom", "cookies", "local-storage",
        "session-storage", "popup", "navigate-top", "fetch-unlisted", "pay-api-direct",
        "other-app-storage-api", "fetch-listed-works", "other-app-storage-bridge",
        "own-storage-only", "pretend-other-app", "pretend-shell", "bad-payload", "flood",
        "flood-recovers", "trade-of-another-app");
    for (String attempt : expected) {
      WebElement li = driver.findElement(By.cssSelector("li[data-attempt='" + attempt + "']"));
      System.out.println("hostile app: " + li.getText());
      assertThat(li.getAttribute("data-blocked")).as(li.getText()).isEqualTo("true");
    }
    assertThat(driver.findElements(By.cssSelector("li[data-attempt='crashed']"))).isEmpty();

    // tradePay opened the cashier in the shell; the app cannot type the PIN. The user closes it.
    driver.switchTo().defaultContent();
    assertThat(driver.getCurrentUrl()).isEqualTo(shellUrl);
    assertThat(driver.getWindowHandles()).hasSize(1);
    WebElement close = wait.until(d -> d.findElement(By.cssSelector(
        "[data-testid=cashier] .sheet-close")));
    close.click();
    driver.switchTo().frame(driver.findElement(By.cssSelector("iframe.hm-frame")));
    wait.until(d -> "yes".equals(d.findElement(By.tagName("body")).getAttribute("data-paid")));
    WebElement pay = driver.findElement(By.cssSelector("li[data-attempt='trade-pay']"));
    assertThat(pay.getAttribute("data-blocked")).as(pay.getText()).isEqualTo("true");
    driver.switchTo().defaultContent();

    AlipayTradeQueryRequest query = new AlipayTradeQueryRequest();
    query.setBizContent("{\"out_trade_no\":\"steal-1\"}");
    assertThat(sdk.execute(query).getTradeStatus()).isEqualTo("WAIT_BUYER_PAY");
    assertThat(balance()).isEqualTo("100.00");
    // The hello app's storage for this user is untouched.
    launch(hello.appId(), "");
    wait.until(d -> byId("counter").getText().equals("2"));
  }
}
