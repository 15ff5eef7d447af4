package dev.hutong.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The shell's home with discovery and the runtime in real headless Chromium: search by a synonym,
 * open the result, find it under Recently used, mark it favourite from the app's "…" sheet, find
 * it under Favourites, browse a category, and open a /launch link at a given page and query.
 */
@Tag("browser")
class HomeBrowserTest {
  static ServerFixture server;
  static String cinema;
  static String tea;
  Browser browser;
  ChromeDriver driver;
  ShellPages shell;
  WebDriverWait wait;

  @BeforeAll
  static void start() {
    server = ServerFixture.start("homebrowser");
    cinema = Miniapps.merchant(server, "Starlight").appId();
    tea = Miniapps.merchant(server, "Tea House").appId();
    byte[] zip = Miniapps.zip(Miniapps.repoPath("samples/hello"), Map.of());
    Miniapps.install(server, cinema, zip, "name=Starlight%20Cinema&category=movies"
        + "&description=Tickets%20and%20showtimes");
    Miniapps.install(server, tea, zip, "name=Tea%20House&category=food"
        + "&description=Green%20tea%20and%20dumplings");
  }

  @AfterAll
  static void stop() {
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
      driver.manage().logs().get(LogType.BROWSER).forEach(
          e -> System.out.println("BROWSER " + e.getLevel() + " " + e.getMessage()));
      browser.close();
    }
  }

  String tile(String section, String appId) {
    return "[data-section=" + section + "] .app-tile[data-app-id='" + appId + "']";
  }

  /** Waits for the app's frame, and for its home page to have talked to the bridge. */
  void waitForHelloHome() {
    WebElement frame = wait.until(d -> d.findElements(By.cssSelector("iframe.hm-frame")).stream()
        .findFirst().orElse(null));
    driver.switchTo().frame(frame);
    wait.until(d -> !d.findElement(By.id("counter")).getText().equals("…"));
    driver.switchTo().defaultContent();
  }

  void closeApp() {
    browser.click(".hm-close");
    browser.waitGone(".hm-app");
  }

  @Test
  void searchOpenRecentFavouriteCategoryAndLaunchLink() {
    shell.signUp();
    browser.find("[data-section=recent]");
    assertThat(browser.all(tile("recent", cinema))).isEmpty();

    // "film" is a synonym of cinema: the home box finds Starlight Cinema, not the tea house.
    WebElement box = browser.find(".search-input");
    box.sendKeys("film", Keys.ENTER);
    String result = ".search-results .result-row[data-app-id='" + cinema + "']";
    browser.find(result);
    assertThat(browser.all(".search-results .result-row[data-app-id='" + tea + "']")).isEmpty();
    browser.click(result);
    waitForHelloHome();
    closeApp();

    // Back on the home screen, it is the one recently used app.
    browser.find(tile("recent", cinema));
    assertThat(browser.all("[data-section=recent] .app-tile")).hasSize(1);
    assertThat(browser.all(tile("favorite", cinema))).isEmpty();

    // Opened from Recently used, made a favourite in its "…" sheet.
    browser.click(tile("recent", cinema));
    waitForHelloHome();
    browser.click(".hm-more");
    browser.find(".hm-favorite[data-favorite=false]");
    browser.click(".hm-favorite");
    browser.find(".hm-favorite[data-favorite=true]");
    browser.click(".hm-about .hm-confirm");
    closeApp();
    browser.find(tile("favorite", cinema));
    browser.screenshot(Path.of("target/screenshots/home-lists.png"));

    // A category tile lists that category's apps.
    browser.click(".category[data-category=food]");
    browser.find(".search-results .result-row[data-app-id='" + tea + "']");
    assertThat(browser.all(".search-results .result-row[data-app-id='" + cinema + "']"))
        .isEmpty();
    browser.screenshot(Path.of("target/screenshots/home-category.png"));

    // A launch link opens the app at its page with its query, over the home screen.
    browser.open(server.baseUrl() + "/launch/" + cinema
        + "?page=pages/about/about&query=from%3Dposter");
    WebElement frame = wait.until(d -> d.findElements(By.cssSelector("iframe.hm-frame"))
        .stream().findFirst().orElse(null));
    assertThat(driver.getCurrentUrl()).endsWith("/#/home");
    driver.switchTo().frame(frame);
    wait.until(d -> d.findElement(By.tagName("h1")).getText().equals("About this sample"));
    wait.until(d -> d.findElement(By.id("env")).getText().contains("opened from poster"));
    driver.switchTo().defaultContent();
    closeApp();
    browser.find(tile("recent", cinema));
  }

  @Test
  void theConsentGivenInAnAppIsListedUnderMeAndRevocable() {
    shell.signUp();
    browser.open(server.baseUrl() + "/launch/" + tea);
    waitForHelloHome();
    driver.switchTo().frame(driver.findElement(By.cssSelector("iframe.hm-frame")));
    driver.findElement(By.id("login")).click();
    driver.switchTo().defaultContent();
    browser.click(".hm-consent .hm-confirm");
    browser.waitGone(".hm-consent");
    closeApp();

    shell.tab("me");
    String app = "[data-testid=me-apps] .scope-app[data-app-id='" + tea + "']";
    browser.find(app + " li[data-scope='scope.userInfo']");
    assertThat(browser.text(app)).contains("Your nickname").doesNotContain("auth_user");
    browser.click(app + " li[data-scope='scope.userInfo'] button");
    browser.waitForText("[data-testid=me-apps]", "No mini-program holds any permission.");
  }

  @Test
  void aLaunchLinkOpenedBeforeLoggingInOpensTheAppAfterwards() {
    String phone = shell.signUp();
    browser.forgetSession();
    browser.open(server.baseUrl() + "/launch/" + tea + "?page=pages/about/about");
    shell.submitLogin(phone, "secret-pw-1");
    WebElement frame = wait.until(d -> d.findElements(By.cssSelector("iframe.hm-frame"))
        .stream().findFirst().orElse(null));
    driver.switchTo().frame(frame);
    wait.until(d -> d.findElement(By.tagName("h1")).getText().equals("About this sample"));
    driver.switchTo().defaultContent();
  }
}
