package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.hellomerchant.HelloMerchant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Not a test: saves screenshots of an open mini-program (the hello sample: its consent sheet and
 * the app after sign-in) for the documentation. Its name keeps it out of normal builds; run it
 * with
 *
 * <pre>
 * ./mvnw -pl server -am verify -Dtest=MiniappScreenshotsTool -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dhutong.screenshots.dir=$PWD/docs/screenshots
 * </pre>
 */
@Tag("db")
@Tag("browser")
class MiniappScreenshotsTool {
  @Test
  void saveScreenshots() throws Exception {
    Path dir = Path.of(System.getProperty("hutong.screenshots.dir", "target/screenshots"));
    try (ServerFixture server = ServerFixture.start("miniappshots");
        Browser browser = Browser.start()) {
      Miniapps.MerchantApp hello = Miniapps.merchant(server, "Hello Tea");
      try (HelloMerchant backEnd = new HelloMerchant(server.baseUrl() + "/gateway.do",
          hello.appId(), hello.appPrivateKey(), hello.platformPublicKey(), 0)) {
        Miniapps.install(server, hello.appId(), Miniapps.zip(Miniapps.repoPath("samples/hello"),
            Map.of("http://127.0.0.1:8090", backEnd.origin())));
        ShellPages shell = new ShellPages(browser, server.baseUrl());
        shell.signUp();
        browser.driver().executeScript("import('/shell/appframe-slot.js')"
            + ".then(m => m.launchApp(arguments[0], {scene: 'search'}))", hello.appId());
        var frame = browser.find("iframe.hm-frame");
        browser.driver().switchTo().frame(frame);
        browser.waitForText("#counter", "1");
        browser.click("#login");
        browser.driver().switchTo().defaultContent();
        browser.find(".hm-consent");
        browser.screenshot(dir.resolve("miniapp-consent.png"));
        browser.click(".hm-consent .hm-confirm");
        browser.driver().switchTo().frame(browser.driver().findElement(
            By.cssSelector("iframe.hm-frame")));
        browser.waitForText("#greeting", "Hello, ");
        browser.driver().switchTo().defaultContent();
        browser.screenshot(dir.resolve("miniapp.png"));
      }
    }
    for (String name : new String[] {"miniapp", "miniapp-consent"}) {
      assertThat(Files.size(dir.resolve(name + ".png"))).isGreaterThan(5_000);
    }
  }
}
