package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.booking.BookingInvariants;
import dev.hutong.db.Pools;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL during a stream of seat holds over HTTP. A hold, its claims and its trade are one
 * commit, so the database the killed server leaves — read before any recovery — has no hold
 * without its trade and no trade without its hold, and every hold a client was answered 201 for
 * is there with the trade number it was told. After a restart (recovery at start) they are all
 * still held and every booking invariant holds.
 */
@Tag("db")
class BookingCrashTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int CLIENTS = 4;
  private static final String ROW = "SSSSSSSSSSSSSSSSSSSSSSSSS_SSSSSSSSSSSSSSSSSSSSSSSSS"; // 50 seats
  private static final int ROWS = 40;

  @TempDir Path data;

  /** A hold the client was answered 201 for: its reservation id and trade number. */
  private record Acknowledged(String reservationId, String tradeNo) {}

  @Test
  void everyAcknowledgedHoldHasItsTradeAndNoTradeIsLeftWithoutItsHold() throws Exception {
    String databaseUrl = TestDatabases.createDatabase("booking_crash");
    Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
    Process first = CrashableHutong.startChild(data, databaseUrl, "booking-first", 1.0);
    try {
      int port = CrashableHutong.awaitStarted(data, first, "booking-first");
      AdminApi admin = new AdminApi(port, data);
      String operator = Files.readString(data.resolve(OperatorToken.FILE_NAME)).trim();
      String appId = cinema(port, admin, operator);
      List<String> seats = seats(port, appId);
      AtomicBoolean down = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        String token = session(port, admin, appId, c);
        List<String> mine = new ArrayList<>();
        for (int i = c; i < seats.size(); i += CLIENTS) {
          mine.add(seats.get(i));
        }
        int client = c;
        clients.add(Thread.ofPlatform().name("hold-client-" + c).start(() ->
            hold(port, appId, token, client, mine, acknowledged, down)));
      }
      Thread.sleep(800 + new Random().nextInt(1500));
      first.destroyForcibly(); // SIGKILL, holds in flight
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      down.set(true);
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
    } finally {
      first.destroyForcibly();
    }
    assertThat(acknowledged).as("holds answered before the kill").isNotEmpty();

    try (HikariDataSource ds = Pools.open(databaseUrl, "booking-crash-check", 2)) {
      Jdbi jdbi = Jdbi.create(ds);
      // As the kill left it, before any recovery could repair anything.
      assertThat(BookingInvariants.violations(ds)).isEmpty();
      assertHeld(jdbi, acknowledged);
      int heldAtKill = held(jdbi);

      Process second = CrashableHutong.startChild(data, databaseUrl, "booking-second", 1.0);
      try {
        CrashableHutong.awaitStarted(data, second, "booking-second");
        assertHeld(jdbi, acknowledged);
        assertThat(held(jdbi)).isEqualTo(heldAtKill);
        assertThat(BookingInvariants.violations(ds)).isEmpty();
        System.out.printf("booking crash test: %d holds acknowledged before the kill, %d in the"
            + " database (the rest committed unanswered)%n", acknowledged.size(), heldAtKill);
      } finally {
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static void assertHeld(Jdbi jdbi, Map<String, Acknowledged> acknowledged) {
    for (Acknowledged a : acknowledged.values()) {
      Map<String, Object> row = jdbi.withHandle(h -> h.createQuery("SELECT r.status, r.trade_no,"
              + " t.status AS trade_status FROM booking_reservation r"
              + " JOIN pay_trade t ON t.trade_no = r.trade_no WHERE r.id = CAST(:id AS uuid)")
          .bind("id", a.reservationId()).mapToMap().one());
      assertThat(row).as(a.reservationId()).containsEntry("status", "HELD")
          .containsEntry("trade_no", a.tradeNo()).containsEntry("trade_status", "WAIT_BUYER_PAY");
    }
  }

  private static int held(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM booking_reservation"
        + " WHERE status = 'HELD'").mapTo(Integer.class).one());
  }

  /** Holds its seats one by one until the kill; every fifth attempt asks again for one of its
   * earlier seats under a new request id (refused: the claim is taken). */
  private static void hold(int port, String appId, String token, int client, List<String> mine,
      Map<String, Acknowledged> acknowledged, AtomicBoolean down) {
    Random random = new Random(client);
    for (int i = 0; i < mine.size() && !down.get(); i++) {
      String seat = i % 5 == 4 ? mine.get(random.nextInt(i)) : mine.get(i);
      try {
        HttpResponse<String> r = send(port, "POST", "/api/booking/" + appId + "/holds", token,
            Map.of("request_id", "c" + client + "-" + i, "seats", List.of(seat)));
        if (r.statusCode() == 201) {
          JsonNode body = MAPPER.readTree(r.body());
          acknowledged.put(seat, new Acknowledged(body.path("id").asText(),
              body.path("trade_no").asText()));
        }
      } catch (Exception e) {
        return; // the server went away mid-call: the outcome is unknown, so it is not counted
      }
    }
  }

  private static String cinema(int port, AdminApi admin, String operator) throws Exception {
    String merchant = admin.merchant("Crash Cinema", "0.006");
    String appId = admin.app(merchant, KeyPairs.publicKeyBase64(KeyPairs.generateRsa2048()
        .getPublic()), null).appId();
    String m = "/api/booking/merchant/" + appId;
    expect(send(port, "PUT", m + "/venue", operator, Map.of("merchant_id", merchant, "kind",
        "CINEMA", "name", "Crash Cinema")), 200);
    String hall = MAPPER.readTree(expect(send(port, "POST", m + "/halls", operator, Map.of(
        "name", "Big", "rows", Collections.nCopies(ROWS, ROW), "classes", Map.of("S",
        "Standard"))), 201).body()).path("hall_id").asText();
    ZoneId zone = ZoneId.of("Asia/Shanghai");
    String starts = LocalDate.now(zone).plusDays(1).atTime(20, 0).atZone(zone).toInstant()
        .toString();
    expect(send(port, "POST", m + "/showtimes", operator, Map.of("hall_id", hall, "film",
        "Premiere", "minutes", 120, "starts_at", starts, "prices", Map.of("S", "40.00"))), 201);
    return appId;
  }

  private static List<String> seats(int port, String appId) throws Exception {
    String base = "/api/booking/" + appId + "/showtimes";
    String showtime = MAPPER.readTree(expect(send(port, "GET", base, null, null), 200).body())
        .get(0).path("id").asText();
    List<String> ids = new ArrayList<>();
    MAPPER.readTree(expect(send(port, "GET", base + "/" + showtime + "/seats", null, null), 200)
        .body()).path("seats").forEach(s -> ids.add(s.path("id").asText()));
    assertThat(ids).hasSize(ROWS * 50);
    return ids;
  }

  private static String session(int port, AdminApi admin, String appId, int client)
      throws Exception {
    String user = admin.user("1371000000" + client, "112233", "1000.00");
    String code = admin.post("/admin/oauth/codes", "user_id", user, "app_id", appId, "scopes",
        "auth_base").path("auth_code").asText();
    return MAPPER.readTree(expect(send(port, "POST", "/api/booking/" + appId + "/session", null,
        Map.of("auth_code", code)), 201).body()).path("token").asText();
  }

  private static HttpResponse<String> send(int port, String method, String path, String bearer,
      Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)))
        .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> expect(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r;
  }
}
