package dev.hutong.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.server.HutongServer;
import dev.hutong.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code hutong bench launch}: in headless Chromium, the time from tapping a mini-program in the
 * shell to the app's first paint, read from the Performance API on both sides (the tap's
 * {@code performance.timeOrigin + now()} in the shell, the app's {@code first-paint} entry plus its
 * own {@code timeOrigin}: one clock, the machine's). The tap is the shell's {@code launchApp()}
 * call, what a home-screen tile's click runs.
 *
 * <p>Cold: a new browser (empty cache, runtime not yet loaded), signed in, then the first tap.
 * Warm: the same browser, the app closed and tapped again (runtime loaded, the app's files in the
 * browser's cache under the reused launch ticket).
 */
public final class LaunchBenchmark {
  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "bench-password";

  /** @param coldRuns fresh browsers; @param warmRuns taps in one warmed browser */
  public record Options(int coldRuns, int warmRuns, String dbUrl) {
    public Options {
      if (coldRuns < 1 || coldRuns > 1000 || warmRuns < 1 || warmRuns > 10_000) {
        throw new IllegalArgumentException("runs must be 1-1000 cold and 1-10000 warm");
      }
    }
  }

  public record Result(double[] coldMs, double[] warmMs) {
    public double coldP50() {
      return percentile(coldMs, 50);
    }

    public double warmP50() {
      return percentile(warmMs, 50);
    }

    public double warmP99() {
      return percentile(warmMs, 99);
    }

    public String resultLine() {
      return String.format(Locale.ROOT, "RESULT bench=launch cold_p50_ms=%.1f warm_p50_ms=%.1f"
          + " warm_p99_ms=%.1f", coldP50(), warmP50(), warmP99());
    }
  }

  private final Options options;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  public LaunchBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public Result run() throws Exception {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new IllegalStateException("hutong bench launch needs " + CHROMIUM + " and "
          + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver)");
    }
    out.printf(Locale.ROOT, "launch benchmark: %d cold and %d warm launches, %d cores%n",
        options.coldRuns(), options.warmRuns(), Runtime.getRuntime().availableProcessors());
    Path dataDir = Files.createTempDirectory("hutong-bench-launch");
    try (BenchDatabase db = BenchDatabase.open(options.dbUrl(), 4, out);
        HutongServer server = HutongServer.start(ServerConfig.defaults().withPort(0)
            .withDataDirectory(dataDir).withDatabaseUrl(db.url()))) {
      String base = "http://127.0.0.1:" + server.port();
      String token = Files.readString(server.operatorTokenFile()).trim();
      String appId = installBenchApp(base, token);
      String phone = "+8613900000001";
      admin(base, token, "/admin/users", Map.of("phone", phone, "password", PASSWORD,
          "pin", "135790"));
      // One login (the shell rate-limits logins per address); every browser gets its cookies.
      Map<String, String> cookies = logIn(base, phone);
      double[] cold = new double[options.coldRuns()];
      for (int i = 0; i < cold.length; i++) {
        try (Session s = new Session(base, cookies)) {
          cold[i] = s.tapAndWaitForPaint(appId);
        }
        progress("cold", i + 1, cold.length);
      }
      double[] warm = new double[options.warmRuns()];
      try (Session s = new Session(base, cookies)) {
        s.tapAndWaitForPaint(appId);
        for (int i = 0; i < warm.length; i++) {
          warm[i] = s.tapAndWaitForPaint(appId);
          progress("warm", i + 1, warm.length);
        }
      }
      Result r = new Result(cold, warm);
      out.printf(Locale.ROOT, "cold: p50 %.1f ms, min %.1f, max %.1f%n", r.coldP50(),
          Arrays.stream(cold).min().orElse(0), Arrays.stream(cold).max().orElse(0));
      out.printf(Locale.ROOT, "warm: p50 %.1f ms, p99 %.1f ms, min %.1f, max %.1f (target: p50"
          + " <= 300 ms)%n", r.warmP50(), r.warmP99(), Arrays.stream(warm).min().orElse(0),
          Arrays.stream(warm).max().orElse(0));
      out.println(r.resultLine());
      return r;
    } finally {
      deleteTree(dataDir);
    }
  }

  private void progress(String kind, int done, int total) {
    if (done % 10 == 0 || done == total) {
      out.printf(Locale.ROOT, "  %s %d/%d%n", kind, done, total);
    }
  }

  /** One browser, signed in to the shell. */
  private final class Session implements AutoCloseable {
    final ChromeDriver driver;
    final WebDriverWait wait;

    Session(String base, Map<String, String> cookies) {
      System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
      ChromeOptions o = new ChromeOptions();
      o.setBinary(CHROMIUM);
      o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
          "--disable-gpu", "--no-first-run", "--disable-extensions", "--window-size=600,1000");
      driver = new ChromeDriver(new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build(), o);
      wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      driver.get(base + "/shell/app.css");
      cookies.forEach((name, value) -> driver.manage().addCookie(new Cookie.Builder(name, value)
          .path("/").isHttpOnly(!name.endsWith("_csrf")).sameSite("Strict").build()));
      driver.get(base + "/");
    }

    /** Taps the app, waits for its first paint, closes it; the milliseconds in between. */
    double tapAndWaitForPaint(String appId) {
      driver.switchTo().defaultContent();
      Object tap = driver.executeScript("const t = performance.timeOrigin + performance.now();"
          + "import('/shell/appframe-slot.js').then(m => m.launchApp(arguments[0],"
          + " {scene: 'recent'})); return t;", appId);
      var frame = wait.until(d -> d.findElements(By.cssSelector("iframe.hm-frame")).stream()
          .findFirst().orElse(null));
      driver.switchTo().frame(frame);
      String painted = wait.until(d -> d.findElement(By.tagName("body")).getAttribute(
          "data-paint"));
      driver.switchTo().defaultContent();
      driver.findElement(By.cssSelector(".hm-close")).click();
      wait.until(d -> d.findElements(By.cssSelector("iframe.hm-frame")).isEmpty());
      return Double.parseDouble(painted) - ((Number) tap).doubleValue();
    }

    @Override
    public void close() {
      driver.quit();
    }
  }

  /** Logs in through the shell's API as the page would; the cookies it sets. */
  private Map<String, String> logIn(String base, String phone) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
        .header("Origin", base).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("phone", phone,
            "password", PASSWORD)))).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("the bench user could not log in: " + r.body());
    }
    Map<String, String> cookies = new java.util.LinkedHashMap<>();
    for (String header : r.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0];
      cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    return cookies;
  }

  /** A merchant, its open platform app and a one-page mini-program that reports its paint. */
  private String installBenchApp(String base, String token) throws Exception {
    String merchantId = admin(base, token, "/admin/merchants", Map.of("name", "Bench Tea",
        "fee_rate", "0.006")).path("merchant_id").asText();
    String appId = admin(base, token, "/admin/apps", Map.of("merchant_id", merchantId,
        "public_key", KeyPairs.publicKeyBase64(KeyPairs.generateRsa2048().getPublic())))
        .path("app_id").asText();
    byte[] zip = zip(Map.of(
        "app.json", "{\"pages\":[\"pages/index/index\"],\"window\":{\"defaultTitle\":\"Bench\"}}",
        "pages/index/index.html", "<!doctype html><html><head><meta charset=\"utf-8\">"
            + "<link rel=\"stylesheet\" href=\"../../app.css\"><script>"
            + "new PerformanceObserver(l => { for (const e of l.getEntries()) {"
            + " if (e.name === 'first-paint' && !document.body.dataset.paint)"
            + " document.body.dataset.paint = String(performance.timeOrigin + e.startTime); } })"
            + ".observe({type: 'paint', buffered: true});</script></head>"
            + "<body><h1>Hello from the bench</h1><p>A mini-program page.</p>"
            + "<script src=\"../../app.js\"></script></body></html>",
        "app.css", "body { font: 16px system-ui; margin: 20px; } h1 { color: #1677ff; }",
        "app.js", "my.getSystemInfo();"));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
            + "/admin/miniapps/" + appId + "/install"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/zip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(zip)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("installing the bench app failed: " + r.body());
    }
    return appId;
  }

  private JsonNode admin(String base, String token, String path, Map<String, String> body)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("admin API answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static byte[] zip(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (var e : files.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      List<Path> paths = new ArrayList<>(walk.sorted((a, b) -> b.compareTo(a)).toList());
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    }
  }
}
