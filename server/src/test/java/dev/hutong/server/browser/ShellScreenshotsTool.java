package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Not a test: a tool that saves screenshots of the shell (home, wallet, pay code, cashier) for the
 * documentation. Its name keeps it out of normal builds; run it with
 *
 * <pre>
 * ./mvnw -pl server -am verify -Dtest=ShellScreenshotsTool -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dhutong.screenshots.dir=$PWD/docs/screenshots
 * </pre>
 */
@Tag("db")
@Tag("browser")
class ShellScreenshotsTool {
  @Test
  void saveScreenshots() throws Exception {
    Path dir = Path.of(System.getProperty("hutong.screenshots.dir", "target/screenshots"));
    try (ServerFixture server = ServerFixture.start("screenshots"); Browser browser = Browser.start()) {
      ShellPages shell = new ShellPages(browser, server.baseUrl());
      ServerFixture.Merchant noodles = server.merchant("Lao Wang Noodles");
      ServerFixture.Merchant cinema = server.merchant("Hutong Cinema");
      shell.signUp();
      assertThat(browser.driver().executeScript("return innerWidth + 'x' + innerHeight"))
          .isEqualTo(Browser.WIDTH + "x" + Browser.HEIGHT);
      browser.find(".app-section[data-section=featured] .muted");
      browser.screenshot(dir.resolve("home.png"));

      shell.topUp("200.00", "200.00");
      shell.scanByPasting(noodles.precreate("shot-1", "26.00", "Beef noodles x2"));
      shell.enterPin(ShellPages.PIN);
      browser.find("[data-testid=cashier-done]");
      browser.waitForText("[data-testid=detail-amount]", "26.00");
      shell.tab("pay");
      browser.find(".paycode-card[data-code-ready=true] .paycode-qr img");
      browser.screenshot(dir.resolve("pay.png"));
      browser.click("[data-testid=paycode-reveal]");
      String code = browser.text("[data-testid=paycode-digits]").replace(" ", "");
      assertThat(cinema.payWithCode("shot-2", code, "45.00", "Two tickets").isSuccess()).isTrue();
      shell.tab("wallet");
      browser.waitForText("[data-testid=bills]", "Hutong Cinema");
      browser.waitForText("[data-testid=bills]", "Lao Wang Noodles");
      browser.screenshot(dir.resolve("wallet.png"));

      shell.scanByPasting(noodles.precreate("shot-3", "18.50", "Dumplings (12)"));
      browser.waitForText("[data-testid=cashier-merchant]", "Lao Wang Noodles");
      for (char c : "123".toCharArray()) {
        browser.click("[data-testid=cashier] .key[data-key='" + c + "']");
      }
      browser.screenshot(dir.resolve("cashier.png"));
    }
    for (String name : new String[] {"home", "wallet", "pay", "cashier"}) {
      assertThat(Files.size(dir.resolve(name + ".png"))).isGreaterThan(5_000);
    }
  }
}
