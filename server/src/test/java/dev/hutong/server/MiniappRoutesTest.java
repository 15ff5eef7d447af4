package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.hutong.db.TestDatabases;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mini-program routes on a real server and database: the operator's lifecycle and review
 * API, search following the lifecycle, launch links and their QR codes, and the index surviving
 * a restart.
 */
@Tag("db")
class MiniappRoutesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path data;
  private static String databaseUrl;
  private static HutongServer server;
  private static AdminApi admin;
  private static String merchant;

  @BeforeAll
  static void start() throws Exception {
    databaseUrl = TestDatabases.createDatabase("miniapp_routes");
    server = startServer();
    admin = new AdminApi(server.port(), data);
    merchant = admin.merchant("Red Star Cinemas", "0.006");
  }

  private static HutongServer startServer() {
    return HutongServer.start(new ServerConfig(0, data, Optional.of(databaseUrl), false,
        Optional.empty(), 1.0));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void lifecycleThroughTheAdminApiDrivesSearchAndLaunch() throws Exception {
    createApp("redstar", "Red Star Cinema", "movies");
    JsonNode uploaded = upload("redstar", "1.0.0", MiniappPackages.hello("one"));
    assertThat(uploaded.path("state").asText()).isEqualTo("DEVELOP");
    assertThat(uploaded.path("files").asInt()).isEqualTo(2);

    admin.post(version("redstar", "1.0.0") + "/submit", "description", "first release",
        "category", "movies");
    JsonNode pending = admin.get("/admin/review?limit=10").path("pending");
    assertThat(pending).hasSize(1);
    assertThat(pending.get(0).path("app_id").asText()).isEqualTo("redstar");
    assertThat(pending.get(0).path("diff").path("files_added").toString())
        .contains("app.json", "pages/index/index.html");

    admin.post(version("redstar", "1.0.0") + "/approve", "note", "fine");
    JsonNode released = admin.post(version("redstar", "1.0.0") + "/release");
    assertThat(released.path("state").asText()).isEqualTo("ONLINE");
    // A retried release (the answer was lost) is not an error and changes nothing.
    JsonNode again = admin.post(version("redstar", "1.0.0") + "/release");
    assertThat(again.path("unchanged").asText()).isEqualTo("true");

    JsonNode found = awaitSearch("/api/search?q=film", 1);
    assertThat(new String(get("/api/search?q=film").body())).startsWith("{\"results\":[{"
        + "\"app_id\":\"redstar\",\"name\":\"Red Star Cinema\"");
    assertThat(found.path("results").get(0).path("app_id").asText()).isEqualTo("redstar");
    assertThat(found.path("results").get(0).path("category").asText()).isEqualTo("movies");
    assertThat(awaitSearch("/api/search?q=cinema&category=food", 0).path("total").asLong())
        .isZero();

    HttpResponse<byte[]> launch = get("/launch/redstar?page=pages/index/index&query=seat%3D5");
    assertThat(launch.statusCode()).isEqualTo(302);
    assertThat(launch.headers().firstValue("Location")).hasValue(
        "/#/app/redstar?page=pages%2Findex%2Findex&query=seat%3D5&scene=link");

    HttpResponse<byte[]> png = get("/launch/redstar/qr.png?page=pages/index/index&size=256");
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(decodeQr(png.body())).isEqualTo("http://127.0.0.1:" + server.port()
        + "/launch/redstar?page=pages/index/index&scene=qr");
    HttpResponse<byte[]> svg = get("/launch/redstar/qr.svg");
    assertThat(new String(svg.body())).startsWith("<svg").contains("<path");

    admin.post(version("redstar", "1.0.0") + "/offline");
    awaitSearch("/api/search?q=film", 0);
  }

  @Test
  void rejectionCarriesFindingsAndRollbackRestoresThePreviousVersion() throws Exception {
    createApp("noodles", "Lanzhou Noodles", "food");
    upload("noodles", "1.0.0", MiniappPackages.hello("v1"));
    admin.post(version("noodles", "1.0.0") + "/submit", "description", "menu", "category",
        "food");
    admin.post(version("noodles", "1.0.0") + "/approve");
    admin.post(version("noodles", "1.0.0") + "/release");

    upload("noodles", "1.1.0", MiniappPackages.hello("v2"));
    admin.post(version("noodles", "1.1.0") + "/submit", "description", "new menu", "category",
        "food");
    JsonNode rejected = postJson(version("noodles", "1.1.0") + "/reject",
        "{\"findings\":[{\"file\":\"pages/index/index.html\",\"rule\":\"content\","
            + "\"reason\":\"show prices with their currency\"}]}");
    assertThat(rejected.path("state").asText()).isEqualTo("REJECTED");
    assertThat(rejected.path("findings").get(0).path("reason").asText())
        .isEqualTo("show prices with their currency");

    admin.post(version("noodles", "1.1.0") + "/develop");
    admin.post(version("noodles", "1.1.0") + "/submit", "description", "prices fixed",
        "category", "food");
    admin.post(version("noodles", "1.1.0") + "/approve");
    JsonNode gray = admin.post(version("noodles", "1.1.0") + "/gray", "percent", "10");
    assertThat(gray.path("gray_percent").asInt()).isEqualTo(10);
    assertThat(admin.post(version("noodles", "1.1.0") + "/gray", "percent", "30")
        .path("gray_percent").asInt()).isEqualTo(30);
    admin.post(version("noodles", "1.1.0") + "/release");
    JsonNode restored = admin.post("/admin/miniapps/noodles/rollback");
    assertThat(restored.path("version").asText()).isEqualTo("1.0.0");
    assertThat(restored.path("state").asText()).isEqualTo("ONLINE");
    JsonNode versions = admin.get("/admin/miniapps/noodles/versions").path("versions");
    assertThat(versions.get(0).path("state").asText()).isEqualTo("ROLLBACK");
  }

  @Test
  void badRequestsAreRefusedWithWhatToDo() throws Exception {
    createApp("badpkg", "Bad Package", "general");
    HttpResponse<byte[]> bad = send(HttpRequest.newBuilder(uri(version("badpkg", "1.0.0")
            + "/package")).header("Authorization", "Bearer " + token())
        .header("Content-Type", "application/zip")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(MiniappPackages.zip(java.util.Map.of(
            "app.json", "{\"pages\":[\"pages/a/a\"]}", "tool.exe", "x")))));
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonNode error = MAPPER.readTree(bad.body());
    assertThat(error.path("sub_code").asText()).isEqualTo("MINIAPP.PACKAGE_INVALID");
    assertThat(error.path("details").toString()).contains("tool.exe: [file-type]");

    HttpResponse<byte[]> missing = send(HttpRequest.newBuilder(uri(version("badpkg", "1.0.0")
            + "/release")).header("Authorization", "Bearer " + token())
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(missing.statusCode()).isEqualTo(404);

    assertThat(get("/api/search?q=" + "x".repeat(201)).statusCode()).isEqualTo(400);
    assertThat(get("/api/search?page=0").statusCode()).isEqualTo(400);
    assertThat(get("/api/search?page=30&size=50").statusCode()).isEqualTo(400);
    assertThat(get("/api/search?category=spaceships").statusCode()).isEqualTo(400);
    assertThat(get("/api/search?q=a&q=b").statusCode()).isEqualTo(400);
    assertThat(get("/api/search?qq=a").statusCode()).isEqualTo(400);
    assertThat(get("/launch/nosuchapp").statusCode()).isEqualTo(404);
    assertThat(get("/launch/badpkg?page=../../etc").statusCode()).isEqualTo(400);
    assertThat(get("/launch/badpkg/qr.png?size=5").statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(get("/api/categories").body()).path("categories").toString())
        .contains("\"slug\":\"movies\"");
  }

  @Test
  void theIndexSurvivesARestart() throws Exception {
    createApp("teahouse", "Old Tree Teahouse", "food");
    upload("teahouse", "1.0.0", MiniappPackages.hello("tea"));
    admin.post(version("teahouse", "1.0.0") + "/submit", "description", "tea", "category",
        "food");
    admin.post(version("teahouse", "1.0.0") + "/approve");
    admin.post(version("teahouse", "1.0.0") + "/release");
    awaitSearch("/api/search?q=teahouse", 1);
    server.close();
    assertThat(Files.exists(data.resolve("search").resolve(Miniapps.CLEAN_MARKER))).isTrue();
    server = startServer();
    admin = new AdminApi(server.port(), data);
    awaitSearch("/api/search?q=teahouse", 1);

    // A lost index is rebuilt from the database at the next start.
    server.close();
    deleteTree(data.resolve("search"));
    server = startServer();
    admin = new AdminApi(server.port(), data);
    awaitSearch("/api/search?q=teahouse", 1);
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void createApp(String appId, String name, String category) throws Exception {
    admin.post("/admin/miniapps", "merchant_id", merchant, "app_id", appId, "name", name,
        "category", category, "keywords", "tickets, seats");
  }

  private static String version(String appId, String version) {
    return "/admin/miniapps/" + appId + "/versions/" + version;
  }

  private static JsonNode upload(String appId, String version, byte[] zip) throws Exception {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(version(appId, version)
            + "/package")).header("Authorization", "Bearer " + token())
        .header("Content-Type", "application/zip").PUT(HttpRequest.BodyPublishers
            .ofByteArray(zip)));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
    return MAPPER.readTree(r.body());
  }

  private static JsonNode postJson(String path, String json) throws Exception {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(path))
        .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    return MAPPER.readTree(r.body());
  }

  /** Search is near-real-time (changes show within about a second): poll for the count. */
  private static JsonNode awaitSearch(String path, int total) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode body;
    do {
      body = MAPPER.readTree(get(path).body());
      if (body.path("total").asInt() == total) {
        return body;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(path + " still answers " + body + ", expected total " + total);
  }

  private static String decodeQr(byte[] png) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0,
        image.getWidth());
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
        new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();
  }

  private static String token() throws Exception {
    return Files.readString(data.resolve(OperatorToken.FILE_NAME)).trim();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
