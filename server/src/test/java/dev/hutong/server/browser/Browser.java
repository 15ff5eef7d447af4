package dev.hutong.server.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Debian's chromedriver, sized like a phone (375×812 CSS
 * pixels, device scale factor 2 for sharp screenshots, emulated through the DevTools protocol). Nothing is downloaded: both binaries are given by path, so
 * Selenium Manager never runs.
 *
 * <p>Without chromium the tests are skipped on a developer machine, and FAIL under CI (env
 * {@code CI=true}): browser tests must never silently not run there. Install with
 * {@code apt-get install -y chromium chromium-driver}.
 */
public final class Browser implements AutoCloseable {
  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  public static final int WIDTH = 375;
  public static final int HEIGHT = 812;
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, WAIT);
  }

  /** A new headless browser; see the class comment for what happens without chromium. */
  public static Browser start() {
    requireInstalled();
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-gpu", "--no-first-run", "--disable-extensions", "--lang=en-US",
        // Headless Chromium keeps windows at least 500 px wide; the phone's viewport is emulated
        // inside a window large enough to hold it (below), so clicks land where they should.
        "--window-size=600,1000");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", WIDTH,
        "height", HEIGHT, "deviceScaleFactor", 2, "mobile", true));
    // No animations (the shell honours prefers-reduced-motion): a sheet sliding in would move
    // its buttons away from where a click is aimed.
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
    return new Browser(driver);
  }

  private static void requireInstalled() {
    boolean installed = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    if (installed) {
      return;
    }
    String message = "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
        + " (apt-get install -y chromium chromium-driver)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(message + "; CI must run the browser tests");
    }
    Assumptions.abort(message);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Loads {@code url} afresh, even when only its #fragment differs from the current page's. */
  public void open(String url) {
    driver.get("about:blank");
    driver.get(url);
  }

  /** Waits until an element matching {@code css} is visible, and returns it. */
  public WebElement find(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public void click(String css) {
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
  }

  /** Clears the field matching {@code css} and types {@code text}. */
  public void type(String css, String text) {
    WebElement field = find(css);
    field.clear();
    field.sendKeys(text);
  }

  /** Waits until the element matching {@code css} has text containing {@code text}. */
  public void waitForText(String css, String text) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
  }

  public void waitGone(String css) {
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
  }

  public String text(String css) {
    return find(css).getText();
  }

  /** Runs an async script: the last argument is the callback that ends it. */
  public Object async(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
  }

  /** Saves a PNG of the viewport. */
  public Path screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forgets every cookie of the current site, so the next test starts logged out. */
  public void forgetSession() {
    driver.manage().deleteAllCookies();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
