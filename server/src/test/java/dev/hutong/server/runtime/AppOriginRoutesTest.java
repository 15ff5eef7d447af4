package dev.hutong.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.TestDatabases;
import dev.hutong.miniapp.AppEvents;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.ContentStore;
import dev.hutong.miniapp.EnvVersion;
import dev.hutong.miniapp.PackageValidator;
import dev.hutong.miniapp.SemVer;
import dev.hutong.miniapp.Versions;
import dev.hutong.miniapp.runtime.DirectInstall;
import dev.hutong.miniapp.runtime.LaunchTickets;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content origins over real HTTP: routing by Host, launch tickets, the CSP and other headers,
 * caching, the injected bridge, and what is refused. Direct install makes the versions.
 */
class AppOriginRoutesTest {
  static final String SHELL = "http://127.0.0.1:8080";
  static final byte[] KEY = new byte[32];
  @TempDir static Path data;
  static HikariDataSource ds;
  static WebServer server;
  static LaunchTickets tickets;
  static DirectInstall install;
  static Versions versions;
  static final UUID USER = UUID.randomUUID();
  static final UUID MERCHANT = UUID.randomUUID();

  @BeforeAll
  static void start() {
    ds = TestDatabases.open("server_app_origins", 4);
    Migrations.migrate(ds, "miniapp");
    Jdbi jdbi = Jdbi.create(ds);
    Clock clock = Clock.systemUTC();
    Apps apps = new Apps(jdbi, id -> Optional.of("Tea House"), AppEvents.NONE, clock);
    versions = new Versions(jdbi, new ContentStore(data.resolve("content")),
        new PackageValidator(), AppEvents.NONE, clock);
    install = new DirectInstall(apps, versions, new PackageValidator());
    tickets = new LaunchTickets(KEY, clock);
    AppHosts hosts = AppHosts.forShell(SHELL, "apps.localhost");
    AppOriginRoutes origins = new AppOriginRoutes(hosts, tickets, versions);
    HttpRouting.Builder routing = HttpRouting.builder().any(origins::handle)
        .get("/shell-page", (req, res) -> res.send("the shell"));
    server = WebServer.builder().host("127.0.0.1").port(0).routing(routing).build().start();
  }

  @AfterAll
  static void stop() {
    server.stop();
    ds.close();
  }

  static byte[] zip(Map<String, String> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (var e : files.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static Map<String, String> tea(String domains) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("app.json", "{\"pages\":[\"pages/index/index\",\"pages/pay/pay\"],\"window\":"
        + "{\"defaultTitle\":\"Tea\"},\"domains\":[" + domains + "]}");
    files.put("pages/index/index.html", "<!doctype html><html><head><title>Tea</title>"
        + "<link rel=\"stylesheet\" href=\"../../app.css\"></head><body>hi</body></html>");
    files.put("pages/pay/pay.html", "<!doctype html><p>pay</p>");
    files.put("app.css", "body { color: green }");
    return files;
  }

  record Reply(int status, Map<String, String> headers, String body) {}

  /** A raw HTTP/1.1 GET, so the Host header is exactly what a browser sends for the app. */
  static Reply get(String host, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the connection closed inside the headers");
        }
        head.write(b);
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).trim().split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }
  }

  String host(String appId) {
    return appId + ".apps.localhost:" + server.port();
  }

  @Test
  void servesTheTicketsVersionWithCspNosniffAndCaching() throws Exception {
    String appId = "tea-" + System.nanoTime();
    var installed = install.install(appId, MERCHANT, null,
        zip(tea("\"https://api.tea.example.com\"")), "operator");
    assertThat(installed.created()).isTrue();
    String ticket = tickets.issue(USER, appId, installed.version().version(), EnvVersion.RELEASE);

    Reply page = get(host(appId), "/~" + ticket + "/pages/index/index.html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<head><script src=\"/__hutong/my.js\"></script><title>");
    String csp = page.headers().get("content-security-policy");
    assertThat(csp).contains("connect-src https://api.tea.example.com;")
        .contains("frame-ancestors " + SHELL + " http://localhost:8080;")
        .contains("sandbox allow-scripts allow-forms").doesNotContain("allow-same-origin")
        .contains("default-src 'none'");
    assertThat(page.headers()).containsEntry("x-content-type-options", "nosniff")
        .containsEntry("referrer-policy", "no-referrer").containsEntry("cache-control", "no-store");

    Reply css = get(host(appId), "/~" + ticket + "/app.css");
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.body()).isEqualTo("body { color: green }");
    assertThat(css.headers().get("cache-control")).contains("immutable");
    assertThat(css.headers().get("content-type")).startsWith("text/css");
    assertThat(css.headers().get("content-security-policy")).isEqualTo(csp);

    Reply bridge = get(host(appId), AppOriginRoutes.BRIDGE_PATH);
    assertThat(bridge.status()).isEqualTo(200);
    assertThat(bridge.body()).contains("var SHELL_ORIGINS = [\"" + SHELL + "\"")
        .doesNotContain("__HUTONG_SHELL_ORIGINS__");
  }

  @Test
  void refusesMissingForeignTamperedAndExpiredTickets() throws Exception {
    String appId = "tea-" + System.nanoTime();
    String other = "other-" + System.nanoTime();
    SemVer v = install.install(appId, MERCHANT, null, zip(tea("")), "op").version().version();
    install.install(other, MERCHANT, null, zip(tea("")), "op");
    String ticket = tickets.issue(USER, appId, v, EnvVersion.RELEASE);

    assertThat(get(host(appId), "/pages/index/index.html").status()).isEqualTo(404);
    // A ticket for app A opens nothing on app B's origin.
    assertThat(get(host(other), "/~" + ticket + "/pages/index/index.html").status())
        .isEqualTo(403);
    String forged = ticket.substring(0, ticket.length() - 2) + "AA";
    assertThat(get(host(appId), "/~" + forged + "/pages/index/index.html").status())
        .isEqualTo(403);
    LaunchTickets past = new LaunchTickets(KEY, Clock.fixed(Instant.now().minus(
        LaunchTickets.TTL).minusSeconds(5), ZoneOffset.UTC));
    String expired = past.issue(USER, appId, v, EnvVersion.RELEASE);
    assertThat(get(host(appId), "/~" + expired + "/pages/index/index.html").status())
        .isEqualTo(403);
    // An open page's assets keep loading after the ticket's page lifetime.
    assertThat(get(host(appId), "/~" + expired + "/app.css").status()).isEqualTo(200);
    Reply traversal = get(host(appId), "/~" + ticket + "/../app.json");
    assertThat(traversal.status()).isIn(400, 404);
    Reply missing = get(host(appId), "/~" + ticket + "/nothing.js");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.headers().get("content-security-policy")).contains("connect-src 'none'");
    // The shell's own host is not an app: the request goes on to the shell's routes.
    assertThat(get("127.0.0.1:" + server.port(), "/shell-page").body()).isEqualTo("the shell");
    assertThat(get(host(appId), "/shell-page").status()).isEqualTo(404);
  }

  @Test
  void installingTheSameFilesAgainChangesNothingNewFilesMakeTheNextVersion() throws Exception {
    String appId = "tea-" + System.nanoTime();
    var first = install.install(appId, MERCHANT, null, zip(tea("")), "op");
    var again = install.install(appId, MERCHANT, null, zip(tea("")), "op");
    assertThat(again.created()).isFalse();
    assertThat(again.version().version()).isEqualTo(first.version().version());
    Map<String, String> changed = tea("");
    changed.put("app.css", "body { color: red }");
    var next = install.install(appId, MERCHANT, null, zip(changed), "op");
    assertThat(next.created()).isTrue();
    assertThat(next.version().version()).isEqualTo(SemVer.parse("1.0.1"));
    assertThat(versions.online(appId).orElseThrow().version()).isEqualTo(SemVer.parse("1.0.1"));
    assertThat(versions.get(appId, SemVer.parse("1.0.0")).state().name()).isEqualTo("OFFLINE");
  }

  @Test
  void aPreviewTicketServesOnlyItsVersionAndOnlyWhileItIsUnderReview() throws Exception {
    String appId = "tea-" + System.nanoTime();
    SemVer online = install.install(appId, MERCHANT, null, zip(tea("")), "op").version()
        .version();
    Map<String, String> next = tea("");
    next.put("pages/index/index.html", "<!doctype html><p>the new tea menu</p>");
    SemVer pending = SemVer.parse("9.0.0");
    versions.upload(appId, pending, new java.io.ByteArrayInputStream(zip(next)), "dev");
    UUID operator = UUID.randomUUID();
    // Still in development: a preview ticket opens nothing.
    String early = tickets.issuePreview(operator, appId, pending);
    assertThat(get(host(appId), "/~" + early + "/pages/index/index.html").status())
        .isEqualTo(403);
    versions.submitAudit(appId, pending, new dev.hutong.miniapp.AuditSubmission("new menu",
        "food", List.of()), "dev");

    String preview = tickets.issuePreview(operator, appId, pending);
    Reply page = get(host(appId), "/~" + preview + "/pages/index/index.html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("the new tea menu");
    assertThat(page.headers().get("content-security-policy"))
        .contains("sandbox allow-scripts allow-forms").doesNotContain("allow-same-origin");
    // Bound to its version: the version online is not reachable with it (no other version is).
    String ofOnline = tickets.issuePreview(operator, appId, online);
    assertThat(get(host(appId), "/~" + ofOnline + "/pages/index/index.html").status())
        .isEqualTo(403);
    LaunchTickets past = new LaunchTickets(KEY, Clock.fixed(Instant.now().minus(
        LaunchTickets.PREVIEW_TTL).minusSeconds(5), ZoneOffset.UTC));
    String expired = past.issuePreview(operator, appId, pending);
    assertThat(get(host(appId), "/~" + expired + "/pages/index/index.html").status())
        .isEqualTo(403);

    // Decided: the preview ends, even for its assets.
    versions.reject(appId, pending, "op", List.of(new dev.hutong.miniapp.Finding("(app)",
        "review", "no")));
    assertThat(get(host(appId), "/~" + preview + "/pages/index/index.html").status())
        .isEqualTo(403);
    assertThat(get(host(appId), "/~" + preview + "/app.css").status()).isEqualTo(403);
  }

  @Test
  void hostsAreParsedStrictly() {
    AppHosts hosts = AppHosts.forShell("https://pay.example.com", "Apps.Example.com");
    assertThat(hosts.originOf("2024")).isEqualTo("https://2024.apps.example.com");
    assertThat(hosts.appIdOf("2024.apps.example.com")).contains("2024");
    assertThat(hosts.appIdOf("2024.APPS.example.com:443")).contains("2024");
    assertThat(hosts.appIdOf("a.b.apps.example.com")).isEmpty();
    assertThat(hosts.appIdOf("apps.example.com")).isEmpty();
    assertThat(hosts.appIdOf("x.apps.example.com.evil.com")).isEmpty();
    assertThat(hosts.appIdOf("pay.example.com")).isEmpty();
    assertThat(hosts.shellOrigins()).containsExactly("https://pay.example.com");
    assertThat(List.of("", "no_dots", "a..b", "-x.com")).allSatisfy(d ->
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppHosts.requireDomain(d))
            .isInstanceOf(IllegalArgumentException.class));
    assertThat(Duration.ofMinutes(30)).isEqualTo(LaunchTickets.TTL);
    assertThat(Files.exists(data)).isTrue();
  }
}
