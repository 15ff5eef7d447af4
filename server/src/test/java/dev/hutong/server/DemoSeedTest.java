package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.db.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo seed on a fresh data directory: three online template instances with inventory. */
class DemoSeedTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir static Path data;
  private static HutongServer server;

  @BeforeAll
  static void start() {
    server = HutongServer.start(new ServerConfig(0, data, Optional.of(
        TestDatabases.createDatabase("demo_seed")), false, Optional.empty(), 1.0));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return MAPPER.readTree(r.body());
  }

  @Test
  void aFreshDataDirectoryGetsTheDemoOnceWithAWeekOfInventory() throws Exception {
    List<String> lines = server.demo.seedOnce();
    assertThat(lines).anyMatch(l -> l.contains("user 13800000001"))
        .anyMatch(l -> l.contains("user 13800000002"))
        .anyMatch(l -> l.contains("Red Star Cinema"));
    String marker = Files.readString(data.resolve(DemoSeed.MARKER));
    assertThat(server.demo.seedOnce()).isEqualTo(lines);
    assertThat(Files.readString(data.resolve(DemoSeed.MARKER))).isEqualTo(marker);

    JsonNode apps = MAPPER.readTree(marker).path("apps");
    assertThat(apps).hasSize(3);
    String cinema = apps.get(0).path("app_id").asText();
    String restaurant = apps.get(1).path("app_id").asText();
    String agency = apps.get(2).path("app_id").asText();
    assertThat(get("/api/booking/" + cinema + "/showtimes?days=7").size()).isGreaterThan(10);
    assertThat(get("/api/booking/" + restaurant + "/venue").path("prepay_per_person").asText())
        .isEqualTo("20.00");
    String tomorrow = java.time.LocalDate.now(DemoSeed.ZONE).plusDays(1).toString();
    assertThat(get("/api/booking/" + restaurant + "/tables?date=" + tomorrow + "&party=4").size())
        .isGreaterThan(4);
    assertThat(get("/api/booking/" + agency + "/listings")).hasSize(4);
    assertThat(get("/api/booking/" + agency + "/listings?district=Dongcheng&deal=RENT"))
        .hasSize(1);
    assertThat(get("/api/booking/" + agency + "/viewings").size()).isGreaterThan(4);
  }
}
