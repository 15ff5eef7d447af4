package dev.hutong.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The seeded booking apps (DemoSeed) in one browser: open an app in the shell's sandboxed frame,
 * step into it and out of it, answer the shell's consent and cashier sheets.
 */
final class BookingApps implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  final Browser browser;
  final ChromeDriver driver;
  final ShellPages shell;
  final WebDriverWait wait;
  private final ServerFixture server;

  BookingApps(ServerFixture server) {
    this.server = server;
    this.browser = Browser.start();
    this.driver = browser.driver();
    this.shell = new ShellPages(browser, server.baseUrl());
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  /** A server with the demo seeded, as a fresh `hutong start` makes it. */
  static ServerFixture seededServer(String purpose) {
    ServerFixture server = ServerFixture.start(purpose);
    server.server().seedDemo();
    return server;
  }

  /** The seeded instance of {@code template} (cinema, restaurant, property). */
  static String appId(ServerFixture server, String template) {
    try {
      JsonNode seed = MAPPER.readTree(Files.readString(server.dataDirectory()
          .resolve("demo-seed.json")));
      for (JsonNode a : seed.path("apps")) {
        if (a.path("template").asText().equals(template)) {
          return a.path("app_id").asText();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("the seed made no " + template + " app");
  }

  /** Opens the app in the shell and steps into its frame. */
  void launch(String appId) {
    driver.switchTo().defaultContent();
    driver.executeScript("import('/shell/appframe-slot.js')"
        + ".then(m => m.launchApp(arguments[0], {scene: 'search', query: ''}))", appId);
    intoApp();
  }

  /**
   * Finds the app from the shell's Home search box with {@code query}, taps its result and steps
   * into its frame; returns the result row's text (the app's name and description).
   */
  String findAndOpen(String query, String appId) {
    driver.switchTo().defaultContent();
    String row = shell.searchAndOpen(query, appId);
    intoApp();
    return row;
  }

  /** Closes the open app with the shell's close button, back to Home. */
  void closeApp() {
    driver.switchTo().defaultContent();
    browser.click(".hm-close");
    browser.waitGone(".hm-app");
  }

  /** Steps into the app's current frame (a navigation may have replaced it). */
  void intoApp() {
    driver.switchTo().defaultContent();
    WebElement frame = wait.until(d -> d.findElements(By.cssSelector("iframe.hm-frame")).stream()
        .filter(WebElement::isDisplayed).reduce((a, b) -> b).orElse(null));
    driver.switchTo().frame(frame);
  }

  /**
   * Waits for {@code css} in the app, stepping into its frame anew at every try: a navigation
   * (navigateTo, redirectTo) replaces the frame the browser was in.
   */
  WebElement inApp(String css) {
    return wait.until(d -> {
      try {
        d.switchTo().defaultContent();
        WebElement frame = d.findElements(By.cssSelector("iframe.hm-frame")).stream()
            .filter(WebElement::isDisplayed).reduce((a, b) -> b).orElse(null);
        if (frame == null) {
          return null;
        }
        d.switchTo().frame(frame);
        return d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null);
      } catch (org.openqa.selenium.WebDriverException e) {
        return null; // the frame went away between the two steps: try again
      }
    });
  }

  /** Clicks {@code css} in the current frame, again if the page re-rendered it meanwhile. */
  void click(String css) {
    wait.until(d -> {
      try {
        waitFor(css).click();
        return true;
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        return false;
      }
    });
  }

  WebElement waitFor(String css) {
    return wait.until(d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
  }

  /** In the shell: agrees to the app's sign-in consent if asked; returns the cashier's amount. */
  String cashierOpened() {
    driver.switchTo().defaultContent();
    WebElement first = wait.until(d -> d.findElements(By.cssSelector(
        ".hm-consent, [data-testid=cashier-amount]")).stream().findFirst().orElse(null));
    if (first.getAttribute("class").contains("hm-consent")) {
      first.findElement(By.cssSelector(".hm-confirm")).click();
    }
    return waitFor("[data-testid=cashier-amount]").getText();
  }

  /** Types the PIN on the open cashier sheet and waits until it is done. */
  void payInCashier(String pin) {
    driver.switchTo().defaultContent();
    shell.enterPin(pin);
    wait.until(d -> !d.findElements(By.cssSelector("[data-testid=cashier-done]")).isEmpty()
        || d.findElements(By.cssSelector("[data-testid=cashier]")).isEmpty());
  }

  /**
   * In the shell: agrees to the sign-in consent if asked, then waits for a toast; returns its
   * text (what the app told the user). Fails if the cashier opens instead.
   */
  String toastAfterConsent() {
    driver.switchTo().defaultContent();
    WebElement first = wait.until(d -> d.findElements(By.cssSelector(
        ".hm-consent, .hm-toast, [data-testid=cashier]")).stream().findFirst().orElse(null));
    if (first.getAttribute("class").contains("hm-consent")) {
      first.findElement(By.cssSelector(".hm-confirm")).click();
      first = wait.until(d -> d.findElements(By.cssSelector(".hm-toast, [data-testid=cashier]"))
          .stream().findFirst().orElse(null));
    }
    if (!first.getAttribute("class").contains("hm-toast")) {
      throw new AssertionError("the cashier opened where the app should have refused");
    }
    return first.getText();
  }

  /** The wallet balance through the shell's API (as the page does). */
  String balance() {
    driver.switchTo().defaultContent();
    Object r = browser.async("const done = arguments[arguments.length - 1];"
        + "import('/shell/api.js').then(m => m.api('GET', '/api/wallet'))"
        + ".then(r => done(r.balance), e => done('failed: ' + e.message));");
    return String.valueOf(r);
  }

  WebDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    try {
      driver.switchTo().defaultContent();
      System.out.println("SHELL TEXT " + driver.findElement(By.tagName("body")).getText());
      if (!driver.findElements(By.cssSelector("iframe.hm-frame")).isEmpty()) {
        intoApp();
        System.out.println("APP PAGE " + driver.getPageSource());
      }
    } catch (RuntimeException e) {
      System.out.println("no app page: " + e);
    }
    driver.manage().logs().get(LogType.BROWSER).forEach(
        e -> System.out.println("BROWSER " + e.getLevel() + " " + e.getMessage()));
    browser.close();
  }
}
