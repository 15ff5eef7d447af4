package dev.hutong.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.server.browser.ServerFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The merchant side of the booking API ({@code /api/booking/merchant/...}) as the portal calls
 * it, with the demo seed's merchants logged in: their own venues only; every endpoint refused
 * without a session, with a user's session, with a wrong Bearer, as another merchant, without the
 * CSRF token and (inventory) as a cashier; bad input refused with a specific message and nothing
 * written; a booking made by a user seen (customer masked) and completed.
 */
@Tag("db")
class BookingMerchantApiTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static ServerFixture server;
  static String cinema;
  static String restaurant;
  static String agency;

  @BeforeAll
  static void start() throws IOException {
    server = ServerFixture.start("bookmerch_api");
    server.server().seedDemo();
    JsonNode seed = MAPPER.readTree(Files.readString(server.dataDirectory()
        .resolve("demo-seed.json")));
    Map<String, String> apps = new LinkedHashMap<>();
    seed.path("apps").forEach(a -> apps.put(a.path("template").asText(),
        a.path("app_id").asText()));
    cinema = apps.get("cinema");
    restaurant = apps.get("restaurant");
    agency = apps.get("property");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A demo merchant's owner logged into the portal (DemoSeed's logins). */
  static ShellClient staff(String login) throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    ShellClient.Reply r = c.post("/merchant/api/login", "phone", login, "password", "demo-pass");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    assertThat(c.get("/merchant/api/me").status()).isEqualTo(200);
    return c;
  }

  static String m(String appId) {
    return "/api/booking/merchant/" + appId;
  }

  static String tomorrowAt(int hour) {
    return LocalDate.now(ZONE).plusDays(1).atTime(hour, 5).atZone(ZONE).toInstant().toString();
  }

  @Test
  void demoMerchantsSeeTheirOwnVenueAndNobodyElseGetsIn() throws Exception {
    ShellClient redStar = staff("13900000001");
    JsonNode venues = redStar.get("/api/booking/merchant/venues").json();
    assertThat(venues).hasSize(1);
    assertThat(venues.get(0).path("app_id").asText()).isEqualTo(cinema);
    assertThat(venues.get(0).path("kind").asText()).isEqualTo("CINEMA");
    JsonNode halls = redStar.get(m(cinema) + "/halls").json();
    assertThat(halls).hasSize(2);
    assertThat(halls.get(0).path("rows").get(0).asText()).isEqualTo("SSSSS_SSSSSS_SSSSS");
    assertThat(halls.get(0).path("seats").asInt()).isEqualTo(6 * 16);
    assertThat(redStar.get(m(cinema) + "/showtimes?days=7").json().size()).isGreaterThan(5);

    // no session, a wrong Bearer, a shell user's session: 401
    ShellClient nobody = new ShellClient(server.baseUrl());
    assertThat(nobody.get(m(cinema) + "/reservations").status()).isEqualTo(401);
    assertThat(nobody.get("/api/booking/merchant/venues").status()).isEqualTo(401);
    assertThat(bearer("GET", m(cinema) + "/reservations", "not-the-operator-token", null)
        .status()).isEqualTo(401);
    ShellClient user = new ShellClient(server.baseUrl());
    assertThat(user.post("/api/signup", "phone", "13711110001", "password", "secret-pw", "pin",
        "123456").status()).isEqualTo(201);
    assertThat(user.get(m(cinema) + "/reservations").status()).isEqualTo(401);
    assertThat(user.postJson(m(cinema) + "/showtimes", null, Map.of()).status()).isEqualTo(401);

    // another merchant's staff: 403 on every endpoint; an unknown app: 404
    ShellClient noodles = staff("13900000002");
    assertThat(noodles.get(m(cinema) + "/reservations").status()).isEqualTo(403);
    assertThat(noodles.get(m(cinema) + "/halls").status()).isEqualTo(403);
    ShellClient.Reply foreign = noodles.postJson(m(cinema) + "/showtimes", null, showtime(
        halls.get(0).path("id").asText(), "Stolen Film", tomorrowAt(10)));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.json().path("message").asText()).contains("another merchant");
    assertThat(noodles.postJson(m(cinema) + "/reservations/" + java.util.UUID.randomUUID()
        + "/complete", null, Map.of()).status()).isEqualTo(403);
    assertThat(noodles.get(m("no-such-app") + "/reservations").status()).isEqualTo(404);
    assertThat(redStar.get(m(cinema) + "/showtimes?days=7").json().toString())
        .doesNotContain("Stolen Film");

    // the operator token still works (admin tools, benchmarks)
    String token = Files.readString(server.server().operatorTokenFile()).trim();
    assertThat(bearer("GET", m(cinema) + "/halls", token, null).status()).isEqualTo(200);
  }

  @Test
  void showtimesAreAddedOnlyWithGoodInputTheCsrfTokenAndByTheOwner() throws Exception {
    ShellClient redStar = staff("13900000001");
    String hall = redStar.get(m(cinema) + "/halls").json().get(1).path("id").asText();
    int before = redStar.get(m(cinema) + "/showtimes?days=7").json().size();
    Map<String, Object> good = showtime(hall, "Night Bus", tomorrowAt(9));

    Map<String, Map<String, Object>> refusals = new LinkedHashMap<>();
    refusals.put("film is required", with(good, "film", ""));
    refusals.put("minutes is between 1 and 600", with(good, "minutes", 0));
    refusals.put("minutes is a whole number", with(good, "minutes", "ninety"));
    refusals.put("times are ISO-8601", with(good, "starts_at", "tomorrow 9pm"));
    refusals.put("starts_at is in the past", with(good, "starts_at", "2020-01-01T10:00:00Z"));
    refusals.put("price of class S is an amount", with(good, "prices", Map.of("S", "cheap")));
    refusals.put("no price for seat class S", with(good, "prices", Map.of("X", "10.00")));
    refusals.put("hall_id is an id", with(good, "hall_id", "hall-2"));
    for (var e : refusals.entrySet()) {
      ShellClient.Reply r = redStar.postJson(m(cinema) + "/showtimes", null, e.getValue());
      assertThat(r.status()).as(e.getKey() + ": " + r.json()).isEqualTo(400);
      assertThat(r.json().path("message").asText()).as(e.getKey()).contains(e.getKey());
    }
    String otherHall = java.util.UUID.randomUUID().toString();
    assertThat(redStar.postJson(m(cinema) + "/showtimes", null, with(good, "hall_id", otherHall))
        .status()).isEqualTo(404);

    // without the CSRF token, or from another origin: refused
    String csrf = redStar.csrfToken;
    redStar.csrfToken = null;
    ShellClient.Reply forged = redStar.postJson(m(cinema) + "/showtimes", null, good);
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.json().path("error").asText()).isEqualTo("csrf_token");
    redStar.csrfToken = csrf;
    redStar.origin = "http://evil.example";
    assertThat(redStar.postJson(m(cinema) + "/showtimes", null, good).status()).isEqualTo(403);
    redStar.origin = server.baseUrl();
    assertThat(redStar.get(m(cinema) + "/showtimes?days=7").json()).hasSize(before);

    // a cashier sees the showtimes but may not add one
    assertThat(redStar.post("/merchant/api/staff", "phone", "13911110001", "password",
        "till-pass-1").status()).isEqualTo(201);
    ShellClient cashier = new ShellClient(server.baseUrl());
    assertThat(cashier.post("/merchant/api/login", "phone", "13911110001", "password",
        "till-pass-1").status()).isEqualTo(200);
    assertThat(cashier.get(m(cinema) + "/showtimes?days=7").status()).isEqualTo(200);
    ShellClient.Reply till = cashier.postJson(m(cinema) + "/showtimes", null, good);
    assertThat(till.status()).isEqualTo(403);
    assertThat(till.json().path("error").asText()).isEqualTo("owner_only");
    assertThat(redStar.get(m(cinema) + "/showtimes?days=7").json()).hasSize(before);

    ShellClient.Reply added = redStar.postJson(m(cinema) + "/showtimes", null, good);
    assertThat(added.status()).as(added.json().toString()).isEqualTo(201);
    // the same showtime again (a retried form) is the same showtime
    assertThat(redStar.postJson(m(cinema) + "/showtimes", null, good).json()
        .path("showtime_id")).isEqualTo(added.json().path("showtime_id"));
    JsonNode after = redStar.get(m(cinema) + "/showtimes?days=7").json();
    assertThat(after).hasSize(before + 1);
    assertThat(after.toString()).contains("Night Bus");
  }

  @Test
  void anAgencyAddsAListingAndAnOpensViewingSlotsWithSpecificRefusals() throws Exception {
    ShellClient homes = staff("13900000003");
    int before = homes.get(m(agency) + "/listings").json().size();
    Map<String, Object> good = new LinkedHashMap<>(Map.of("title", "Loft by the canal",
        "address", "7 Yuhe Lane", "district", "Dongcheng", "deal", "RENT", "price", "5200.00",
        "area_m2", 45, "bedrooms", 1, "features", List.of("canal view", "lift"),
        "deposit", "2000.00"));
    Map<String, Map<String, Object>> refusals = new LinkedHashMap<>();
    refusals.put("deal is RENT or SALE", with(good, "deal", "LEASE"));
    refusals.put("price is an amount", with(good, "price", "5,200"));
    refusals.put("area_m2 is between 1 and 100000", with(good, "area_m2", 0));
    refusals.put("bedrooms is a whole number", with(good, "bedrooms", 1.5));
    refusals.put("title is required", with(good, "title", " "));
    refusals.put("features is a list", with(good, "features", "lift"));
    for (var e : refusals.entrySet()) {
      ShellClient.Reply r = homes.postJson(m(agency) + "/listings", null, e.getValue());
      assertThat(r.status()).as(e.getKey() + ": " + r.json()).isEqualTo(400);
      assertThat(r.json().path("message").asText()).as(e.getKey()).contains(e.getKey());
    }
    assertThat(homes.get(m(agency) + "/listings").json()).hasSize(before);
    ShellClient.Reply added = homes.postJson(m(agency) + "/listings", null, good);
    assertThat(added.status()).as(added.json().toString()).isEqualTo(201);
    ShellClient.Reply again = homes.postJson(m(agency) + "/listings", null, good);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("listing_id")).isEqualTo(added.json().path("listing_id"));
    assertThat(homes.get(m(agency) + "/listings").json()).hasSize(before + 1);

    JsonNode agents = homes.get(m(agency) + "/resources").json();
    assertThat(agents.findValuesAsText("label")).containsExactly("Agent Li", "Agent Zhao");
    String day = LocalDate.now(ZONE).plusDays(10).toString();
    assertThat(homes.get(m(agency) + "/slots?date=" + day).json()).isEmpty();
    ShellClient.Reply bad = homes.postJson(m(agency) + "/slots", null, Map.of("first_day", day,
        "days", 1, "opens", "18:00", "closes", "10:00", "slot_minutes", 60));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("message").asText()).contains("opens must be before closes");
    assertThat(homes.postJson(m(agency) + "/slots", null, Map.of("first_day", day, "days", 1,
        "opens", "10:00", "closes", "12:00", "slot_minutes", 60)).json().path("units_added")
        .asInt()).isEqualTo(4);
    JsonNode slots = homes.get(m(agency) + "/slots?date=" + day).json();
    assertThat(slots).hasSize(4);
    assertThat(slots.get(0).path("taken").asBoolean()).isFalse();
    assertThat(homes.get(m(agency) + "/reservations?status=LOST").json().path("message").asText())
        .contains("status is HELD, CONFIRMED");
  }

  @Test
  void aRestaurantSeesABookingWithTheCustomerMaskedAndCompletesIt() throws Exception {
    String userId = server.admin("/admin/users", "phone", "13712345678", "password",
        "password-1", "pin", "246810", "top_up", "500.00").path("user_id").asText();
    String code = server.admin("/admin/oauth/codes", "user_id", userId, "app_id", restaurant,
        "scopes", "auth_base").path("auth_code").asText();
    String token = bearer("POST", "/api/booking/" + restaurant + "/session", null,
        Map.of("auth_code", code)).json().path("token").asText();
    Answer booked = bearer("POST", "/api/booking/" + restaurant + "/tables", token, Map.of(
        "request_id", "dinner-1", "time", LocalDate.now(ZONE).plusDays(2).atTime(18, 30)
            .atZone(ZONE).toInstant().toString(), "party", "2"));
    assertThat(booked.status()).as(booked.json().toString()).isEqualTo(201);
    server.admin("/admin/cashier/pay", "trade_no", booked.json().path("trade_no").asText(),
        "user_id", userId, "pin", "246810");
    String id = booked.json().path("id").asText();
    bearer("GET", "/api/booking/" + restaurant + "/reservations/" + id, token, null);

    ShellClient noodles = staff("13900000002");
    JsonNode confirmed = noodles.get(m(restaurant) + "/reservations?status=CONFIRMED").json();
    assertThat(confirmed).hasSize(1);
    assertThat(confirmed.get(0).path("customer").asText()).isEqualTo("137****5678");
    assertThat(confirmed.get(0).path("amount").asText()).isEqualTo("40.00");
    assertThat(confirmed.get(0).path("summary").asText()).startsWith("Table ");
    String day = LocalDate.now(ZONE).plusDays(2).toString();
    assertThat(noodles.get(m(restaurant) + "/reservations?date=" + day).json()).hasSize(1);
    assertThat(noodles.get(m(restaurant) + "/reservations?date="
        + LocalDate.now(ZONE).plusDays(3)).json()).isEmpty();
    JsonNode slots = noodles.get(m(restaurant) + "/slots?date=" + day).json();
    assertThat(slots.findValuesAsText("taken")).contains("true");

    // tables: specific refusals, nothing written; the same label again is the same table
    int tables = noodles.get(m(restaurant) + "/resources").json().size();
    ShellClient.Reply tooBig = noodles.postJson(m(restaurant) + "/resources", null,
        Map.of("label", "Banquet", "capacity", 60));
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(tooBig.json().path("message").asText()).contains("capacity is between 1 and 50");
    assertThat(noodles.get(m(restaurant) + "/resources").json()).hasSize(tables);
    JsonNode t9 = noodles.postJson(m(restaurant) + "/resources", null, Map.of("label", "T9",
        "capacity", 4)).json();
    assertThat(noodles.postJson(m(restaurant) + "/resources", null, Map.of("label", "T9",
        "capacity", 4)).json()).isEqualTo(t9);
    assertThat(noodles.get(m(restaurant) + "/resources").json()).hasSize(tables + 1);

    ShellClient.Reply done = noodles.postJson(m(restaurant) + "/reservations/" + id
        + "/complete", null, Map.of());
    assertThat(done.status()).as(done.json().toString()).isEqualTo(200);
    assertThat(done.json().path("status").asText()).isEqualTo("COMPLETED");
    ShellClient.Reply twice = noodles.postJson(m(restaurant) + "/reservations/" + id
        + "/cancel", null, Map.of());
    assertThat(twice.status()).isEqualTo(409);
    assertThat(noodles.get(m(restaurant) + "/reservations?status=COMPLETED").json())
        .hasSize(1);
  }

  /** A shell user's booking-app session token for {@code appId} (an OAuth code redeemed). */
  static String appToken(String appId, String phone) throws Exception {
    String userId = server.admin("/admin/users", "phone", phone, "password", "password-1", "pin",
        "246810", "top_up", "500.00").path("user_id").asText();
    String code = server.admin("/admin/oauth/codes", "user_id", userId, "app_id", appId,
        "scopes", "auth_base").path("auth_code").asText();
    return bearer("POST", "/api/booking/" + appId + "/session", null,
        Map.of("auth_code", code)).json().path("token").asText();
  }

  @Test
  void aCinemaRemovesAnUnbookedShowtimeAndChangesPricesButNotABookedOnesSeats() throws Exception {
    ShellClient redStar = staff("13900000001");
    String hall = redStar.get(m(cinema) + "/halls").json().get(1).path("id").asText();
    String empty = redStar.postJson(m(cinema) + "/showtimes", null, showtime(hall, "Gone Soon",
        tomorrowAt(7))).json().path("showtime_id").asText();
    String booked = redStar.postJson(m(cinema) + "/showtimes", null, showtime(hall, "Full House",
        tomorrowAt(8))).json().path("showtime_id").asText();
    String token = appToken(cinema, "13712340001");
    JsonNode seats = bearer("GET", "/api/booking/" + cinema + "/showtimes/" + booked + "/seats",
        null, null).json().path("seats");
    Answer hold = bearer("POST", "/api/booking/" + cinema + "/holds", token, Map.of(
        "request_id", "h1", "seats", List.of(seats.get(0).path("id").asText())));
    assertThat(hold.status()).as(hold.json().toString()).isEqualTo(201);

    // refused: another merchant, a cashier, no CSRF token; nothing removed
    ShellClient noodles = staff("13900000002");
    assertThat(noodles.postJson(m(cinema) + "/showtimes/" + empty + "/remove", null, Map.of())
        .status()).isEqualTo(403);
    assertThat(redStar.post("/merchant/api/staff", "phone", "13911110002", "password",
        "till-pass-2").status()).isEqualTo(201);
    ShellClient cashier = new ShellClient(server.baseUrl());
    cashier.post("/merchant/api/login", "phone", "13911110002", "password", "till-pass-2");
    ShellClient.Reply till = cashier.postJson(m(cinema) + "/showtimes/" + empty + "/remove",
        null, Map.of());
    assertThat(till.json().path("error").asText()).isEqualTo("owner_only");
    String csrf = redStar.csrfToken;
    redStar.csrfToken = null;
    assertThat(redStar.postJson(m(cinema) + "/showtimes/" + empty + "/remove", null, Map.of())
        .status()).isEqualTo(403);
    redStar.csrfToken = csrf;
    assertThat(redStar.get(m(cinema) + "/showtimes?days=7").json().findValuesAsText("id"))
        .contains(empty, booked);

    ShellClient.Reply removed = redStar.postJson(m(cinema) + "/showtimes/" + empty + "/remove",
        null, Map.of());
    assertThat(removed.status()).as(removed.json().toString()).isEqualTo(200);
    assertThat(redStar.postJson(m(cinema) + "/showtimes/" + empty + "/remove", null, Map.of())
        .json()).isEqualTo(removed.json()); // a repeat answers the same
    assertThat(bearer("GET", "/api/booking/" + cinema + "/showtimes?days=7", null, null).json()
        .findValuesAsText("id")).doesNotContain(empty).contains(booked);
    ShellClient.Reply refused = redStar.postJson(m(cinema) + "/showtimes/" + booked + "/remove",
        null, Map.of());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("message").asText())
        .isEqualTo("1 booking holds seats on this showtime; cancel it first");
    assertThat(redStar.postJson(m(cinema) + "/showtimes/" + java.util.UUID.randomUUID()
        + "/remove", null, Map.of()).status()).isEqualTo(404);

    // prices: refused with the field, then changed for new holds only
    ShellClient.Reply bad = redStar.postJson(m(cinema) + "/showtimes/" + booked + "/prices",
        null, Map.of("prices", Map.of("S", "4O.00")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("message").asText()).contains("price of class S is an amount");
    assertThat(noodles.postJson(m(cinema) + "/showtimes/" + booked + "/prices", null,
        Map.of("prices", Map.of("S", "50.00"))).status()).isEqualTo(403);
    ShellClient.Reply priced = redStar.postJson(m(cinema) + "/showtimes/" + booked + "/prices",
        null, Map.of("prices", Map.of("S", "50.00")));
    assertThat(priced.status()).as(priced.json().toString()).isEqualTo(200);
    assertThat(priced.json().path("prices").path("S").asText()).isEqualTo("50.00");
    String held = hold.json().path("id").asText();
    assertThat(bearer("GET", "/api/booking/" + cinema + "/reservations/" + held, token, null)
        .json().path("amount").asText()).isEqualTo("39.00");
    Answer later = bearer("POST", "/api/booking/" + cinema + "/holds", token, Map.of(
        "request_id", "h2", "seats", List.of(seats.get(1).path("id").asText())));
    assertThat(later.json().path("amount").asText()).isEqualTo("50.00");
  }

  @Test
  void aRestaurantClosesADaysSlotsAndKeepsTheBookedOne() throws Exception {
    ShellClient noodles = staff("13900000002");
    LocalDate day = LocalDate.now(ZONE).plusDays(4);
    String token = appToken(restaurant, "13712340002");
    Answer booked = bearer("POST", "/api/booking/" + restaurant + "/tables", token, Map.of(
        "request_id", "lunch-1", "time", day.atTime(12, 30).atZone(ZONE).toInstant().toString(),
        "party", "2"));
    assertThat(booked.status()).as(booked.json().toString()).isEqualTo(201);
    int open = noodles.get(m(restaurant) + "/slots?date=" + day).json().size();
    Map<String, Object> range = Map.of("from", day.atStartOfDay(ZONE).toInstant().toString(),
        "to", day.plusDays(1).atStartOfDay(ZONE).toInstant().toString());

    assertThat(staff("13900000003").postJson(m(restaurant) + "/slots/close", null, range)
        .status()).isEqualTo(403);
    ShellClient.Reply backwards = noodles.postJson(m(restaurant) + "/slots/close", null,
        Map.of("from", range.get("to"), "to", range.get("from")));
    assertThat(backwards.status()).isEqualTo(400);
    assertThat(backwards.json().path("message").asText()).contains("from must be before to");
    assertThat(noodles.get(m(restaurant) + "/slots?date=" + day).json()).hasSize(open);

    ShellClient.Reply closed = noodles.postJson(m(restaurant) + "/slots/close", null, range);
    assertThat(closed.status()).as(closed.json().toString()).isEqualTo(200);
    assertThat(closed.json().path("closed").asInt()).isEqualTo(open - 1);
    assertThat(closed.json().path("kept")).hasSize(1);
    assertThat(closed.json().path("kept").get(0).path("status").asText()).isEqualTo("HELD");
    assertThat(noodles.postJson(m(restaurant) + "/slots/close", null, range).json())
        .isEqualTo(closed.json()); // a repeat answers the same
    JsonNode left = noodles.get(m(restaurant) + "/slots?date=" + day).json();
    assertThat(left).hasSize(1);
    assertThat(left.get(0).path("taken").asBoolean()).isTrue();
  }

  @Test
  void anAgencyWithdrawsAListingAndClosesAnAgentsViewings() throws Exception {
    ShellClient homes = staff("13900000003");
    String listing = homes.postJson(m(agency) + "/listings", null, Map.of("title", "Attic room",
        "address", "3 Bell Lane", "district", "Xicheng", "deal", "RENT", "price", "2100.00",
        "area_m2", 18, "deposit", "500.00")).json().path("listing_id").asText();
    String app = "/api/booking/" + agency;
    assertThat(bearer("GET", app + "/listings", null, null).json().findValuesAsText("id"))
        .contains(listing);
    assertThat(staff("13900000001").postJson(m(agency) + "/listings/" + listing + "/withdraw",
        null, Map.of()).status()).isEqualTo(403);

    ShellClient.Reply withdrawn = homes.postJson(m(agency) + "/listings/" + listing + "/withdraw",
        null, Map.of());
    assertThat(withdrawn.status()).as(withdrawn.json().toString()).isEqualTo(200);
    assertThat(withdrawn.json().path("withdrawn").asBoolean()).isTrue();
    assertThat(homes.postJson(m(agency) + "/listings/" + listing + "/withdraw", null, Map.of())
        .json()).isEqualTo(withdrawn.json());
    assertThat(bearer("GET", app + "/listings", null, null).json().findValuesAsText("id"))
        .doesNotContain(listing);
    assertThat(homes.get(m(agency) + "/listings").json().findValuesAsText("id")).contains(listing);
    String token = appToken(agency, "13712340003");
    Answer deposit = bearer("POST", app + "/deposits", token, Map.of("request_id", "d1",
        "listing", listing));
    assertThat(deposit.status()).isEqualTo(409);
    assertThat(deposit.json().path("message").asText()).contains("withdrawn this listing");

    ShellClient.Reply relisted = homes.postJson(m(agency) + "/listings/" + listing + "/relist",
        null, Map.of());
    assertThat(relisted.json().path("withdrawn").asBoolean()).isFalse();
    assertThat(bearer("GET", app + "/listings", null, null).json().findValuesAsText("id"))
        .contains(listing);

    // one agent's viewing slots of a day closed, the other's stay
    LocalDate day = LocalDate.now(ZONE).plusDays(12);
    homes.postJson(m(agency) + "/slots", null, Map.of("first_day", day.toString(), "days", 1,
        "opens", "10:00", "closes", "12:00", "slot_minutes", 60));
    JsonNode agents = homes.get(m(agency) + "/resources").json();
    ShellClient.Reply closed = homes.postJson(m(agency) + "/slots/close", null, Map.of(
        "from", day.atStartOfDay(ZONE).toInstant().toString(),
        "to", day.plusDays(1).atStartOfDay(ZONE).toInstant().toString(),
        "resource_id", agents.get(0).path("id").asText()));
    assertThat(closed.json().path("closed").asInt()).as(closed.json().toString()).isEqualTo(2);
    assertThat(homes.get(m(agency) + "/slots?date=" + day).json().findValuesAsText("resource"))
        .containsOnly(agents.get(1).path("label").asText());
  }

  // ------------------------------------------------------------------ helpers

  static Map<String, Object> showtime(String hall, String film, String startsAt) {
    return new LinkedHashMap<>(Map.of("hall_id", hall, "film", film, "minutes", 95,
        "starts_at", startsAt, "prices", Map.of("S", "39.00")));
  }

  /** {@code base} with one field replaced. */
  static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(base);
    copy.put(field, value);
    return copy;
  }

  record Answer(int status, JsonNode json) {}

  /** A call with an optional Bearer token and no cookies (apps, the operator). */
  static Answer bearer(String method, String path, String token, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? MAPPER.createObjectNode()
        : MAPPER.readTree(r.body()));
  }
}
