package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.db.TestDatabases;
import dev.hutong.openapi.gateway.KeyPairs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The booking API over HTTP, as a template app and its merchant use it, on a real server. */
class BookingApiTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PIN = "246810";
  @TempDir static Path data;
  private static HutongServer server;
  private static AdminApi admin;
  private static String operatorToken;

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  @BeforeAll
  static void start() throws Exception {
    server = HutongServer.start(new ServerConfig(0, data, Optional.of(
        TestDatabases.createDatabase("booking_api")), false, Optional.empty(), 1.0));
    admin = new AdminApi(server.port(), data);
    operatorToken = Files.readString(data.resolve(OperatorToken.FILE_NAME)).trim();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Answer call(String method, String path, String bearer, Object body, String origin)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)))
        .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? null : MAPPER.readTree(r.body()), r);
  }

  /** A merchant with an Open API app, and a cinema venue with one hall and a showtime. */
  static String cinemaApp() throws Exception {
    String merchant = admin.merchant("Red Star Cinema", "0.006");
    String appId = admin.app(merchant, KeyPairs.publicKeyBase64(KeyPairs.generateRsa2048()
        .getPublic()), null).appId();
    String m = "/api/booking/merchant/" + appId;
    assertThat(call("PUT", m + "/venue", operatorToken, Map.of("merchant_id", merchant, "kind",
        "CINEMA", "name", "Red Star", "cancel_free_hours", 24, "cancel_fee_percent", 20), null)
        .status()).isEqualTo(200);
    String hall = call("POST", m + "/halls", operatorToken, Map.of("name", "Hall 1", "rows",
        List.of("SSS_SSS", "VVV_VVV"), "classes", Map.of("S", "Standard", "V", "VIP")), null)
        .body().path("hall_id").asText();
    String starts = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(2).atTime(19, 30)
        .atZone(ZoneId.of("Asia/Shanghai")).toInstant().toString();
    Answer st = call("POST", m + "/showtimes", operatorToken, Map.of("hall_id", hall, "film",
        "The Hutong", "minutes", 110, "starts_at", starts, "prices", Map.of("S", "45.00", "V",
        "65.00")), null);
    assertThat(st.status()).as(String.valueOf(st.body())).isEqualTo(201);
    return appId;
  }

  static String session(String appId, String userId) throws Exception {
    String code = admin.post("/admin/oauth/codes", "user_id", userId, "app_id", appId, "scopes",
        "auth_base").path("auth_code").asText();
    Answer s = call("POST", "/api/booking/" + appId + "/session", null, Map.of("auth_code", code),
        null);
    assertThat(s.status()).as(String.valueOf(s.body())).isEqualTo(201);
    // a code works once
    assertThat(call("POST", "/api/booking/" + appId + "/session", null, Map.of("auth_code", code),
        null).status()).isEqualTo(404);
    return s.body().path("token").asText();
  }

  @Test
  void anAppHoldsSeatsPaysAndSeesItsTicket() throws Exception {
    String appId = cinemaApp();
    String user = admin.user("13700000001", PIN, "500.00");
    String token = session(appId, user);
    String a = "/api/booking/" + appId;
    String origin = "http://" + appId + ".apps.localhost:" + server.port();

    JsonNode showtimes = call("GET", a + "/showtimes", null, null, origin).body();
    assertThat(showtimes).hasSize(1);
    assertThat(showtimes.get(0).path("prices").path("V").asText()).isEqualTo("65.00");
    String showtime = showtimes.get(0).path("id").asText();
    JsonNode seats = call("GET", a + "/showtimes/" + showtime + "/seats", null, null, origin)
        .body().path("seats");
    assertThat(seats).hasSize(12);
    String seat = seats.get(0).path("id").asText();

    assertThat(call("POST", a + "/holds", null, Map.of("request_id", "x", "seats",
        List.of(seat)), origin).status()).isEqualTo(401);
    Answer hold = call("POST", a + "/holds", token, Map.of("request_id", "h1", "seats",
        List.of(seat)), origin);
    assertThat(hold.status()).as(String.valueOf(hold.body())).isEqualTo(201);
    assertThat(hold.raw().headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
    assertThat(hold.body().path("status").asText()).isEqualTo("HELD");
    assertThat(hold.body().path("amount").asText()).isEqualTo("45.00");

    String other = session(appId, admin.user("13700000002", PIN, "500.00"));
    Answer lost = call("POST", a + "/holds", other, Map.of("request_id", "h1", "seats",
        List.of(seat)), origin);
    assertThat(lost.status()).isEqualTo(409);
    assertThat(lost.body().path("error").asText()).isEqualTo("unavailable");

    admin.cashierPay(hold.body().path("trade_no").asText(), user, PIN);
    JsonNode booked = call("GET", a + "/reservations/" + hold.body().path("id").asText(), token,
        null, origin).body();
    assertThat(booked.path("status").asText()).isEqualTo("CONFIRMED");
    assertThat(booked.path("ticket_code").asText()).startsWith("BK");
    assertThat(admin.userBalance(user)).isEqualTo("455.00");
    // another user's token does not see it
    assertThat(call("GET", a + "/reservations/" + hold.body().path("id").asText(), other, null,
        origin).status()).isEqualTo(404);
  }

  @Test
  void corsAdmitsOnlyTheAppsOwnOriginAndSandboxedFrames() throws Exception {
    String a = "/api/booking/some-app/showtimes";
    Answer preflight = call("OPTIONS", a, null, null, "http://some-app.apps.localhost:8080");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.raw().headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://some-app.apps.localhost:8080");
    assertThat(call("OPTIONS", a, null, null, "http://other.apps.localhost:8080").raw().headers()
        .firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(call("OPTIONS", a, null, null, "null").raw().headers()
        .firstValue("Access-Control-Allow-Origin")).hasValue("null");
    assertThat(call("GET", a, null, null, "https://evil.example").raw().headers()
        .firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void merchantEndpointsNeedTheOperatorToken() throws Exception {
    Answer refused = call("GET", "/api/booking/merchant/any/reservations", "wrong", null, null);
    assertThat(refused.status()).isEqualTo(401);
    Answer bad = call("POST", "/api/booking/some-app/session", null, Map.of("auth_code",
        "nonsense"), null);
    assertThat(bad.status()).isEqualTo(404);
  }
}
