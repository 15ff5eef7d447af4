package dev.hutong.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.db.TestDatabases;
import dev.hutong.miniapp.PackageValidator;
import dev.hutong.server.HutongServer;
import dev.hutong.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hutong miniapp ...} run in-process: offline commands, and the rest against a real server. */
class MiniappCommandsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir static Path data;
  @TempDir Path work;
  private static HutongServer server;
  private static String merchant;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() throws Exception {
    server = HutongServer.start(new ServerConfig(0, data,
        Optional.of(TestDatabases.createDatabase("miniapp_cli")), false));
    StringWriter created = new StringWriter();
    CommandLine hutong = Main.commandLine(Map.of());
    hutong.setOut(new PrintWriter(created, true));
    assertThat(hutong.execute("admin", "merchant", "create", "--name", "Red Star Cinemas",
        "--server", url(), "--data-dir", data.toString())).isZero();
    merchant = MAPPER.readTree(created.toString()).path("merchant_id").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String url() {
    return "http://127.0.0.1:" + server.port();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine hutong = Main.commandLine(Map.of());
    hutong.setOut(new PrintWriter(out, true));
    hutong.setErr(new PrintWriter(err, true));
    return hutong.execute(args);
  }

  /** With --server and --data-dir of the test server appended. */
  private int server(String... args) {
    List<String> all = new ArrayList<>(List.of("miniapp"));
    all.addAll(List.of(args));
    all.addAll(List.of("--server", url(), "--data-dir", data.toString()));
    return run(all.toArray(String[]::new));
  }

  @Test
  void initWritesStartersThatPassTheServersChecks() throws Exception {
    for (String starter : List.of("blank", "shop")) {
      Path dir = work.resolve(starter);
      assertThat(run("miniapp", "init", dir.toString(), "--template", starter)).as(err.toString())
          .isZero();
      assertThat(dir.resolve("app.json")).exists();
      assertThat(run("miniapp", "pack", dir.toString())).as(out + " " + err).isZero();
      Path zip = work.resolve(starter + ".zip");
      assertThat(out.toString()).contains("passes every check", "wrote " + zip);
      assertThat(new PackageValidator().problems(Files.readAllBytes(zip))).isEmpty();
    }
    String js = Files.readString(work.resolve("blank/pages/index/index.js"));
    assertThat(js).contains("my.getAuthCode", "my.setStorage", "my.tradePay");
    assertThat(Files.readString(work.resolve("shop/pages/index/index.js")))
        .contains("my.getExtConfig");
    // Never over something that is there.
    assertThat(run("miniapp", "init", work.resolve("blank").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("not an empty directory");
    assertThat(run("miniapp", "init", work.resolve("x").toString(), "--template", "nope"))
        .isEqualTo(1);
  }

  @Test
  void packPrintsEveryProblemAndWritesNothing() throws Exception {
    Path dir = work.resolve("broken");
    Files.createDirectories(dir.resolve("pages/index"));
    Files.writeString(dir.resolve("app.json"), "{\"pages\":[\"pages/index/index\"],"
        + "\"window\":{\"titleBarColor\":\"red\"}}");
    Files.writeString(dir.resolve("tool.exe"), "MZ");
    assertThat(run("miniapp", "pack", dir.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("tool.exe: [file-type]");
    assertThat(err.toString()).contains("the server would refuse it");
    assertThat(work.resolve("broken.zip")).doesNotExist();

    Files.delete(dir.resolve("tool.exe"));
    assertThat(run("miniapp", "pack", dir.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("app.json: [app-json-schema] /window/titleBarColor");
  }

  @Test
  void uploadSubmitReleaseRollbackAndPreviewAgainstTheServer() throws Exception {
    Path dir = work.resolve("cinema");
    assertThat(run("miniapp", "init", dir.toString())).isZero();
    assertThat(server("create", "--merchant", merchant, "--app-id", "cinema", "--name",
        "Red Star Cinema", "--category", "movies")).as(out + " " + err).isZero();
    assertThat(MAPPER.readTree(out.toString()).path("app_id").asText()).isEqualTo("cinema");

    for (String version : List.of("1.0.0", "1.1.0")) {
      assertThat(server("upload", dir.toString(), "--app", "cinema", "--version", version))
          .as(out + " " + err).isZero();
      assertThat(out.toString()).contains("packing", "uploading", "uploaded cinema " + version
          + ": DEVELOP, 4 files");
      assertThat(server("submit", "--app", "cinema", "--version", version, "--description",
          "tickets", "--category", "movies")).as(err.toString()).isZero();
      assertThat(out.toString()).contains("AUDITING");
      assertThat(server("review")).isZero();
      assertThat(out.toString()).contains("cinema " + version + "  Red Star Cinema (Red Star"
          + " Cinemas)", "tickets");
      if (version.equals("1.1.0")) {
        // Rejected first, with a finding; fixed, resubmitted.
        assertThat(server("reject", "--app", "cinema", "--version", version, "--finding",
            "pages/index/index.js:prices:show prices with their currency")).as(err.toString())
            .isZero();
        assertThat(out.toString()).contains("REJECTED with 1 finding(s)");
        admin("/admin/miniapps/cinema/versions/" + version + "/develop");
        assertThat(server("submit", "--app", "cinema", "--version", version, "--description",
            "prices fixed")).isZero();
        assertThat(server("reject", "--app", "cinema", "--version", version, "--finding",
            "no-colons")).isEqualTo(1);
      }
      assertThat(server("approve", "--app", "cinema", "--version", version)).isZero();
      assertThat(out.toString()).contains("APPROVED");
    }
    assertThat(server("release", "--app", "cinema", "--version", "1.0.0")).isZero();
    assertThat(out.toString()).contains("cinema 1.0.0: ONLINE");
    assertThat(server("release", "--app", "cinema", "--version", "1.1.0", "--gray", "20"))
        .isZero();
    assertThat(out.toString()).contains("GRAY to 20% of users");
    assertThat(server("release", "--app", "cinema", "--version", "1.1.0")).isZero();
    assertThat(server("rollback", "--app", "cinema")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("cinema: 1.0.0 is ONLINE again");

    assertThat(server("preview", "--app", "cinema", "--page", "pages/index/index")).isZero();
    String printed = out.toString();
    assertThat(printed).startsWith(url() + "/launch/cinema?page=pages/index/index\n");
    assertThat(printed).contains("█", "▀");

    // The server's refusal, in one line.
    assertThat(server("release", "--app", "cinema", "--version", "9.0.0")).isEqualTo(1);
    assertThat(err.toString()).contains("has no version 9.0.0");
  }

  @Test
  void devUploadsAgainWhenAFileChanges() throws Exception {
    Path dir = work.resolve("dev");
    assertThat(run("miniapp", "init", dir.toString())).isZero();
    assertThat(server("create", "--merchant", merchant, "--app-id", "devapp", "--name",
        "Dev App")).isZero();
    String tester = user();
    StringWriter devOut = new StringWriter();
    CompletableFuture<Integer> dev = CompletableFuture.supplyAsync(() -> {
      CommandLine hutong = Main.commandLine(Map.of());
      hutong.setOut(new PrintWriter(devOut, true));
      hutong.setErr(new PrintWriter(devOut, true));
      return hutong.execute("miniapp", "dev", dir.toString(), "--app", "devapp", "--tester",
          tester, "--uploads", "2", "--server", url(), "--data-dir", data.toString());
    });
    awaitOutput(devOut, "watching");
    Files.writeString(dir.resolve("pages/index/extra.css"), "p { color: red }");
    assertThat(dev.get(30, TimeUnit.SECONDS)).as(devOut.toString()).isZero();
    assertThat(devOut.toString()).contains("uploaded devapp 0.0.1 (TRIAL, 4 files)",
        "uploaded devapp 0.0.1 (TRIAL, 5 files)", url() + "/launch/devapp");
    JsonNode version = admin("/admin/miniapps/devapp/versions/0.0.1", null);
    assertThat(version.path("state").asText()).isEqualTo("TRIAL");
    assertThat(version.path("files").asInt()).isEqualTo(5);
  }

  @Test
  void everyCommandsHelpPrintsCleanly() {
    for (String command : List.of("init", "pack", "create", "upload", "submit", "review",
        "approve", "reject", "release", "rollback", "preview", "dev")) {
      assertThat(run("miniapp", command, "--help")).isZero();
      assertThat(err.toString()).as(command).isEmpty();
      assertThat(out.toString()).as(command).startsWith("Usage: hutong miniapp " + command);
    }
  }

  @Test
  void benchSearchPrintsItsResultLine() {
    // The benchmarks print to the process's stdout, as they run from the launcher.
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(run("bench", "search", "--apps", "2000", "--queries", "200", "--warmup", "50"))
          .isZero();
    } finally {
      System.setOut(stdout);
    }
    List<String> lines = printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
        .toList();
    assertThat(lines.getLast()).matches("RESULT bench=search apps=2000 build_s=[0-9.]+"
        + " p50_ms=[0-9.]+ p99_ms=[0-9.]+ heap_mb=[0-9]+");
    assertThat(run("bench", "search", "--apps", "0")).isEqualTo(2);
  }

  // ------------------------------------------------------------------ helpers

  private static void awaitOutput(StringWriter w, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!w.toString().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in: " + w);
      }
      Thread.sleep(20);
    }
  }

  private String user() throws Exception {
    StringWriter created = new StringWriter();
    CommandLine hutong = Main.commandLine(Map.of());
    hutong.setOut(new PrintWriter(created, true));
    assertThat(hutong.execute("admin", "user", "create", "--phone", "13800000042",
        "--password", "secret-pw", "--pin", "123456", "--server", url(), "--data-dir",
        data.toString())).isZero();
    return MAPPER.readTree(created.toString()).path("user_id").asText();
  }

  private static JsonNode admin(String path) throws Exception {
    return admin(path, "{}");
  }

  /** A POST of {@code json}, or a GET when it is null. */
  private static JsonNode admin(String path, String json) throws Exception {
    String token = Files.readString(data.resolve("operator.token")).trim();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
        .header("Authorization", "Bearer " + token);
    if (json != null) {
      request.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json));
    }
    HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isLessThan(300);
    return MAPPER.readTree(r.body());
  }
}
