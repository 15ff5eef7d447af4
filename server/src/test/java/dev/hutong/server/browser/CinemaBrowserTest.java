package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The seeded cinema app end to end in Chromium: a user opens it in the shell, picks a showtime,
 * taps a seat, holds it, pays in the shell's cashier with the PIN, and gets the e-ticket with its
 * QR code; the wallet shows the price gone.
 */
class CinemaBrowserTest {
  static ServerFixture server;
  static Browser browser;
  static ShellPages shell;
  static String cinemaApp;

  @BeforeAll
  static void start() throws Exception {
    server = ServerFixture.start("cinema_browser");
    server.server().seedDemo();
    JsonNode seeded = new ObjectMapper().readTree(Files.readString(
        server.dataDirectory().resolve("demo-seed.json")));
    cinemaApp = seeded.path("apps").get(0).path("app_id").asText();
    browser = Browser.start();
    shell = new ShellPages(browser, server.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
  }

  /** Switches into the app's topmost visible page frame. */
  private void intoApp() {
    browser.driver().switchTo().defaultContent();
    WebDriverWait wait = new WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(20));
    wait.until(d -> d.findElements(By.cssSelector("iframe.hm-frame")).stream()
        .anyMatch(WebElement::isDisplayed));
    List<WebElement> frames = browser.driver().findElements(By.cssSelector("iframe.hm-frame"));
    WebElement top = frames.stream().filter(WebElement::isDisplayed).reduce((a, b) -> b)
        .orElseThrow();
    browser.driver().switchTo().frame(top);
  }

  @Test
  void pickASeatHoldItPayWithThePinAndGetTheTicket() {
    shell.signUp();
    shell.topUp("200.00", "200.00");
    browser.async("const done = arguments[arguments.length - 1];"
        + " import('/shell/appframe-slot.js').then(m => m.launchApp(arguments[0], {scene: 'search'}))"
        + ".then(() => done('ok'), e => done(String(e)));", cinemaApp);
    intoApp();
    WebDriverWait wait = new WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(20));
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-showtime]")))
        .click();
    intoApp();
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.seat:not([disabled])")))
        .click();
    String price = browser.driver().findElement(By.id("total")).getText();
    assertThat(price).startsWith("¥");
    browser.driver().findElement(By.id("go")).click();
    browser.driver().switchTo().defaultContent();
    shell.enterPin(ShellPages.PIN);
    browser.find("[data-testid=cashier-done]");
    intoApp();
    WebElement ticket = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector(".qr[data-ticket] svg")));
    assertThat(ticket.isDisplayed()).isTrue();
    assertThat(browser.driver().findElement(By.cssSelector(".badge")).getText())
        .isEqualTo("Confirmed");
    browser.driver().switchTo().defaultContent();
    String paid = price.substring(1);
    browser.open(server.baseUrl() + "/");
    assertThat(shell.balance()).isEqualTo(new java.math.BigDecimal("200.00")
        .subtract(new java.math.BigDecimal(paid)).toPlainString());
  }
}
