package dev.hutong.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.hutong.booking.BookingError;
import dev.hutong.booking.BookingException;
import dev.hutong.booking.Escrow;
import dev.hutong.booking.Inventory;
import dev.hutong.booking.InventoryEdits;
import dev.hutong.booking.Reservation;
import dev.hutong.booking.Reservations;
import dev.hutong.booking.Sessions;
import dev.hutong.booking.Venue;
import dev.hutong.booking.VenueKind;
import dev.hutong.booking.VenueDesk;
import dev.hutong.booking.Venues;
import dev.hutong.miniapp.QrCodes;
import dev.hutong.pay.Amounts;
import dev.hutong.pay.TradeError;
import dev.hutong.pay.TradeException;
import dev.hutong.server.web.Routes;
import dev.hutong.server.web.WebException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The booking API of the three template apps, under {@code /api/booking/<appId>/...}, and the
 * merchant's inventory API under {@code /api/booking/merchant/<appId>/...} (docs/booking.md).
 *
 * <p>Apps authenticate as the user with a per-app session: the page gets a one-time code from the
 * bridge ({@code my.getAuthCode}), posts it to {@code /session}, and sends the returned token as
 * {@code Authorization: Bearer}. Never a merchant secret in a page. Reads of inventory are public.
 * CORS admits the app's own origin ({@code http://<appId>.apps.localhost[:port]}) and the opaque
 * origin {@code null} of a sandboxed frame: no cookies are involved, so a foreign page gains
 * nothing without the token.
 *
 * <p>Merchant endpoints are for the staff of the merchant that owns the app, with the merchant
 * portal's session cookie and CSRF token, or for the operator with the operator token as Bearer
 * ({@link BookingMerchantAccess}: 401 without either, 403 for another merchant's app or a cashier
 * changing inventory, 404 for an unknown app). The portal's booking screens
 * ({@code web/merchant/bookings.js}) use them; docs/booking.md "Merchant screens".
 */
final class BookingRoutes implements Routes {
  static final String PREFIX = "/api/booking";
  static final int BODY_BYTES_MAX = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(BookingRoutes.class);
  private static final Pattern APP_ID = Pattern.compile("[0-9a-zA-Z_-]{1,64}");
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  /** What the routes call; built by the composition root. */
  record Services(Venues venues, Reservations reservations, Escrow escrow, Sessions sessions,
      BiFunction<String, String, Optional<UUID>> redeemAuthCode,
      BookingMerchantAccess merchantAccess, VenueDesk desk,
      Function<UUID, Optional<String>> customerPhone, InventoryEdits edits) {}

  private record Reply(Status status, Object body) {}

  @FunctionalInterface
  private interface Handler {
    Reply handle(Call call);
  }

  /**
   * One request: its app, its body, and the session's user (user endpoints) or the merchant-side
   * caller (merchant endpoints).
   */
  private record Call(ServerRequest request, String appId, JsonNode body, UUID userId,
      BookingMerchantAccess.Actor actor) {
    String path(String name) {
      return request.path().pathParameters().get(name);
    }

    String query(String name) {
      return request.query().contains(name) ? request.query().get(name) : null;
    }
  }

  private final Services s;
  private final ObjectMapper mapper;

  BookingRoutes(Services services, ObjectMapper mapper) {
    this.s = services;
    // Times as ISO-8601 strings (2026-11-25T11:30:00Z), the one format the apps parse.
    this.mapper = mapper.copy().registerModule(new SimpleModule()
        .addSerializer(Instant.class, ToStringSerializer.instance));
  }

  @Override
  public void register(HttpRouting.Builder r) {
    String m = PREFIX + "/merchant/{appId}";
    r.get(PREFIX + "/merchant/venues", this::merchantVenues)
        .put(m + "/venue", inventory(this::createVenue))
        .post(m + "/halls", inventory(this::addHall))
        .post(m + "/showtimes", inventory(this::addShowtime))
        .post(m + "/resources", inventory(this::addResource))
        .post(m + "/slots", inventory(this::openSlots))
        .post(m + "/listings", inventory(this::addListing))
        .post(m + "/showtimes/{id}/remove", inventory(this::removeShowtime))
        .post(m + "/showtimes/{id}/prices", inventory(this::changePrices))
        .post(m + "/slots/close", inventory(this::closeSlots))
        .post(m + "/listings/{id}/withdraw", inventory(c -> withdraw(c, true)))
        .post(m + "/listings/{id}/relist", inventory(c -> withdraw(c, false)))
        .get(m + "/venue", merchant(c -> ok(venueView(venue(c)))))
        .get(m + "/halls", merchant(c -> ok(s.desk().halls(venue(c)))))
        .get(m + "/showtimes", merchant(this::merchantShowtimes))
        .get(m + "/showtimes/{id}/seats", merchant(c -> ok(seatMap(s.venues().seatMap(venue(c),
            id(c.path("id"), "showtime"))))))
        .get(m + "/resources", merchant(c -> ok(s.desk().resources(venue(c)))))
        .get(m + "/slots", merchant(this::merchantSlots))
        .get(m + "/listings", merchant(c -> ok(s.venues().listings(venue(c),
            new Inventory.ListingFilter(null, null, null, null, null), true).stream()
            .map(BookingRoutes::listing).toList())))
        .get(m + "/reservations", merchant(this::merchantReservations))
        .post(m + "/reservations/{id}/complete", merchant(c -> ok(reservation(
            s.reservations().complete(venue(c), id(c.path("id"), "id"))))))
        .post(m + "/reservations/{id}/cancel", merchant(this::merchantCancel))
        .post(m + "/reservations/{id}/move-in", merchant(c -> ok(reservation(
            s.escrow().confirmMoveIn(venue(c), id(c.path("id"), "id"))))));
    String a = PREFIX + "/{appId}";
    r.options(a + "/*", this::preflight)
        .post(a + "/session", open(this::session))
        .get(a + "/venue", open(c -> ok(venueView(venue(c)))))
        .get(a + "/showtimes", open(this::showtimes))
        .get(a + "/showtimes/{id}/seats", open(c -> ok(seatMap(s.venues().seatMap(venue(c),
            id(c.path("id"), "showtime"))))))
        .get(a + "/tables", open(this::tables))
        .get(a + "/listings", open(this::listings))
        .get(a + "/listings/{id}", open(c -> ok(listing(s.venues().listing(venue(c),
            id(c.path("id"), "listing"))))))
        .get(a + "/viewings", open(c -> ok(s.venues().viewingSlots(venue(c), Instant.now(),
            Instant.now().plus(Duration.ofDays(14))).stream().map(v -> Map.of("unit_id",
                v.unitId(), "agent", v.agent(), "starts_at", v.startsAt(), "minutes", v.minutes(),
                "taken", v.taken())).toList())))
        .post(a + "/holds", user(this::holdSeats))
        .post(a + "/tables", user(this::reserveTable))
        .post(a + "/viewings", user(this::bookViewing))
        .post(a + "/deposits", user(this::placeDeposit))
        .get(a + "/reservations", user(c -> ok(s.reservations().listMine(c.appId(), c.userId())
            .stream().map(x -> reservation(s.escrow().settle(x))).toList())))
        // settle: a deposit just paid is put in escrow before the app is answered
        .get(a + "/reservations/{id}", user(c -> ok(reservation(s.escrow().settle(
            s.reservations().mine(c.appId(), c.userId(), id(c.path("id"), "reservation")))))))
        .get(a + "/reservations/{id}/qr", user(this::ticketQr))
        .post(a + "/reservations/{id}/cancel", user(this::cancel));
  }

  // ------------------------------------------------------------------ user endpoints

  private Reply session(Call c) {
    String code = text(c.body(), "auth_code", 128, true);
    UUID user = s.redeemAuthCode().apply(c.appId(), code).orElseThrow(() -> new BookingException(
        BookingError.NOT_FOUND, "the auth code is not valid for this app (used, expired or"
            + " another app's): get a new one with my.getAuthCode"));
    String token = s.sessions().issue(c.appId(), user);
    return new Reply(Status.CREATED_201, Map.of("token", token,
        "expires_in", Sessions.TTL.toSeconds()));
  }

  private Reply showtimes(Call c) {
    int days = (int) intParam(c.query("days"), "days", 1, 14, 7);
    Instant from = Instant.now();
    return ok(s.venues().showtimes(venue(c), from, from.plus(Duration.ofDays(days))).stream()
        .map(BookingRoutes::showtime).toList());
  }

  private Reply tables(Call c) {
    LocalDate date = date(c.query("date"));
    int party = (int) intParam(c.query("party"), "party", 1, 50, 2);
    Instant from = date.atStartOfDay(ZONE).toInstant();
    return ok(s.venues().tableSlots(venue(c), from, from.plus(Duration.ofDays(1)), party).stream()
        .map(t -> Map.of("starts_at", t.startsAt(), "minutes", t.minutes(), "free_tables",
            t.freeTables())).toList());
  }

  private Reply listings(Call c) {
    String price = c.query("price_max");
    String bedrooms = c.query("bedrooms_min");
    return ok(s.venues().listings(venue(c), new Inventory.ListingFilter(c.query("q"),
        emptyToNull(c.query("district")), emptyToNull(c.query("deal")),
        price == null || price.isEmpty() ? null : Amounts.parse("price_max", price),
        bedrooms == null || bedrooms.isEmpty() ? null
            : (int) intParam(bedrooms, "bedrooms_min", 0, 50, 0))).stream()
        .map(BookingRoutes::listing).toList());
  }

  private Reply holdSeats(Call c) {
    List<UUID> seats = new ArrayList<>();
    JsonNode list = c.body().path("seats");
    if (!list.isArray() || list.size() > Reservations.SEATS_PER_HOLD_MAX) {
      throw invalid("seats is a list of 1-" + Reservations.SEATS_PER_HOLD_MAX + " seat ids");
    }
    list.forEach(n -> seats.add(id(n.asText(), "seat")));
    return created(s.reservations().holdSeats(c.appId(), c.userId(), requestId(c), seats));
  }

  private Reply reserveTable(Call c) {
    Instant at = instant(text(c.body(), "time", 40, true));
    int party = (int) intParam(text(c.body(), "party", 3, true), "party", 1, 50, 2);
    return created(s.reservations().reserveTable(c.appId(), c.userId(), requestId(c), at, party));
  }

  private Reply bookViewing(Call c) {
    return created(s.reservations().bookViewing(c.appId(), c.userId(), requestId(c),
        id(text(c.body(), "slot", 40, true), "slot"),
        id(text(c.body(), "listing", 40, true), "listing")));
  }

  private Reply placeDeposit(Call c) {
    return created(s.escrow().place(c.appId(), c.userId(), requestId(c),
        id(text(c.body(), "listing", 40, true), "listing")));
  }

  /** The e-ticket's QR code as SVG markup (the app inserts it; its CSP allows no foreign images). */
  private Reply ticketQr(Call c) {
    Reservation r = s.reservations().mine(c.appId(), c.userId(), id(c.path("id"), "reservation"));
    if (r.status() != Reservation.Status.CONFIRMED) {
      throw new BookingException(BookingError.WRONG_STATE, "only a confirmed booking has a ticket");
    }
    return ok(Map.of("code", r.outTradeNo(), "svg", QrCodes.svg(r.outTradeNo())));
  }

  private Reply cancel(Call c) {
    UUID id = id(c.path("id"), "reservation");
    Reservation r = s.reservations().mine(c.appId(), c.userId(), id);
    return ok(reservation(r.kind() == Reservation.Kind.DEPOSIT
        ? s.escrow().cancel(c.appId(), c.userId(), id)
        : s.reservations().cancel(c.appId(), c.userId(), id)));
  }

  // ------------------------------------------------------------------ merchant endpoints

  private Reply createVenue(Call c) {
    JsonNode b = c.body();
    VenueKind kind;
    try {
      kind = VenueKind.valueOf(text(b, "kind", 16, true));
    } catch (IllegalArgumentException e) {
      throw invalid("kind is CINEMA, RESTAURANT or PROPERTY");
    }
    Venue v = s.venues().create(new Venue(null, c.appId(), venueMerchant(c), kind,
        text(b, "name", 64, true), b.path("cancel_free_hours").asInt(24),
        b.path("cancel_fee_percent").asInt(0), b.path("hold_minutes").asInt(15),
        b.hasNonNull("prepay_per_person") ? Amounts.parse("prepay_per_person",
            b.get("prepay_per_person").asText()) : 0,
        b.path("party_min").asInt(1), b.path("party_max").asInt(kind == VenueKind.RESTAURANT
            ? 8 : 1), b.path("days_ahead").asInt(14), b.path("deposit_days").asInt(14)));
    return ok(venueView(v));
  }

  /** The operator names the merchant; staff create venues for their own merchant only. */
  private static UUID venueMerchant(Call c) {
    String named = text(c.body(), "merchant_id", 40, c.actor().isOperator());
    if (c.actor().isOperator()) {
      return id(named, "merchant_id");
    }
    if (named != null && !named.equals(c.actor().merchantId().toString())) {
      throw new BookingException(BookingError.INVALID_ARGUMENT, "merchant_id is your own"
          + " merchant's id (or leave it out)");
    }
    return c.actor().merchantId();
  }

  private Reply addHall(Call c) {
    List<String> rows = new ArrayList<>();
    c.body().path("rows").forEach(n -> rows.add(n.asText()));
    Map<String, String> classes = new LinkedHashMap<>();
    c.body().path("classes").fields().forEachRemaining(e -> classes.put(e.getKey(),
        e.getValue().asText()));
    UUID hall = s.venues().addHall(venue(c), text(c.body(), "name", 64, true), rows, classes);
    return new Reply(Status.CREATED_201, Map.of("hall_id", hall));
  }

  private Reply addShowtime(Call c) {
    Map<String, Long> prices = prices(c.body().path("prices"));
    Instant starts = instant(text(c.body(), "starts_at", 40, true));
    if (!starts.isAfter(Instant.now())) {
      throw invalid("starts_at is in the past: a showtime is added before it starts");
    }
    UUID id = s.venues().addShowtime(venue(c), id(text(c.body(), "hall_id", 40, true), "hall_id"),
        text(c.body(), "film", 128, true), (int) number(c.body(), "minutes", 1, 600), starts,
        prices);
    return new Reply(Status.CREATED_201, Map.of("showtime_id", id));
  }

  /** {"S": "45.00", ...}: at most 26 seat classes, each an amount. */
  private static Map<String, Long> prices(JsonNode given) {
    Map<String, Long> prices = new LinkedHashMap<>();
    if (!given.isObject() || given.size() > 26) {
      throw invalid("prices is an object of seat class -> price, like {\"S\": \"45.00\"}");
    }
    given.fields().forEachRemaining(e -> prices.put(e.getKey(),
        amount("price of class " + e.getKey(), e.getValue().asText())));
    return prices;
  }

  private Reply addResource(Call c) {
    UUID id = s.venues().addResource(venue(c), text(c.body(), "label", 64, true),
        c.body().hasNonNull("capacity") ? (int) number(c.body(), "capacity", 1, 50) : 1);
    return new Reply(Status.CREATED_201, Map.of("resource_id", id));
  }

  private Reply openSlots(Call c) {
    JsonNode b = c.body();
    try {
      int added = s.venues().openSlots(venue(c), date(text(b, "first_day", 10, true)),
          (int) number(b, "days", 1, Venues.SLOT_DAYS_MAX),
          LocalTime.parse(text(b, "opens", 5, true)), LocalTime.parse(text(b, "closes", 5, true)),
          (int) number(b, "slot_minutes", 15, 240), ZONE);
      return new Reply(Status.CREATED_201, Map.of("units_added", added));
    } catch (DateTimeParseException e) {
      throw invalid("opens and closes are HH:mm");
    }
  }

  private Reply addListing(Call c) {
    JsonNode b = c.body();
    List<String> features = strings(b, "features");
    List<String> photos = strings(b, "photos");
    Venue v = venue(c);
    Venues.NewListing l = new Venues.NewListing(text(b, "title", 128, true),
        text(b, "address", 200, true), text(b, "district", 64, true), text(b, "deal", 16, true),
        amount("price", text(b, "price", 20, true)), (int) number(b, "area_m2", 1, 100_000),
        b.hasNonNull("bedrooms") ? (int) number(b, "bedrooms", 0, 50) : 0, features, photos,
        b.hasNonNull("deposit") ? amount("deposit", b.get("deposit").asText()) : 0);
    // Idempotent by its natural key: the same title at the same address again (a retried or
    // double-clicked form) answers the listing the first request made.
    String title = l.title().strip();
    Optional<Inventory.Listing> same = s.venues().listings(v, new Inventory.ListingFilter(
        title.substring(0, Math.min(64, title.length())), null, null, null, null), true).stream()
        .filter(x -> x.title().equals(title) && x.address().equals(l.address().strip()))
        .findFirst();
    if (same.isPresent()) {
      return ok(Map.of("listing_id", same.get().id()));
    }
    return new Reply(Status.CREATED_201, Map.of("listing_id", s.venues().addListing(v, l)));
  }

  // ------------------------------------------------------------------ changing inventory

  private Reply removeShowtime(Call c) {
    UUID id = id(c.path("id"), "showtime");
    s.edits().removeShowtime(venue(c), id);
    return ok(Map.of("showtime_id", id, "removed", true));
  }

  private Reply changePrices(Call c) {
    UUID id = id(c.path("id"), "showtime");
    Map<String, Long> prices = prices(c.body().path("prices"));
    Map<String, String> now = new LinkedHashMap<>();
    s.edits().changePrices(venue(c), id, prices).forEach((k, v) -> now.put(k, Amounts.format(v)));
    return ok(Map.of("showtime_id", id, "prices", now));
  }

  /** Closes slots starting in [from, to) (ISO instants) of one table/agent or of all. */
  private Reply closeSlots(Call c) {
    JsonNode b = c.body();
    String resource = text(b, "resource_id", 40, false);
    InventoryEdits.Closed closed = s.edits().closeSlots(venue(c),
        instant(text(b, "from", 40, true)), instant(text(b, "to", 40, true)),
        resource == null ? null : id(resource, "resource_id"));
    return ok(Map.of("closed", closed.closed(), "kept", closed.kept().stream()
        .map(k -> Map.of("unit_id", k.unitId(), "resource", k.resource(), "starts_at",
            k.startsAt(), "status", k.status())).toList()));
  }

  private Reply withdraw(Call c, boolean withdrawn) {
    Venue v = venue(c);
    UUID id = id(c.path("id"), "listing");
    s.edits().setWithdrawn(v, id, withdrawn);
    return ok(listing(s.venues().listing(v, id)));
  }

  // ------------------------------------------------------------------ merchant reads (portal)

  /** The logged-in staff member's booking venues: one per app of its merchant that has one. */
  private void merchantVenues(ServerRequest request, ServerResponse response) {
    Reply reply;
    try {
      UUID merchant = s.merchantAccess().staffMember(request).merchantId();
      reply = ok(s.merchantAccess().appsOf(merchant).stream()
          .map(app -> s.venues().byApp(app)).flatMap(Optional::stream)
          .filter(v -> v.merchantId().equals(merchant)).map(this::venueView).toList());
    } catch (WebException e) {
      reply = new Reply(e.status(), error(e.code(), e.getMessage()));
    }
    send(response, reply);
  }

  /** Showtimes of {@code days} days (1-31) from {@code from} (a day; default today). */
  private Reply merchantShowtimes(Call c) {
    Instant from = date(c.query("from")).atStartOfDay(ZONE).toInstant();
    int days = (int) intParam(c.query("days"), "days", 1, 31, 7);
    return ok(s.venues().showtimes(venue(c), from, from.plus(Duration.ofDays(days))).stream()
        .map(BookingRoutes::showtime).toList());
  }

  /** Tables' or agents' slots of {@code days} days (1-7) from {@code date} (default today). */
  private Reply merchantSlots(Call c) {
    Instant from = date(c.query("date")).atStartOfDay(ZONE).toInstant();
    int days = (int) intParam(c.query("days"), "days", 1, 7, 1);
    return ok(s.desk().slots(venue(c), from, from.plus(Duration.ofDays(days))).stream()
        .map(x -> Map.of("unit_id", x.unitId(), "resource", x.resource(), "capacity",
            x.capacity(), "starts_at", x.startsAt(), "minutes", x.minutes(), "taken", x.taken()))
        .toList());
  }

  /** Bookings, newest first; {@code status}: a Reservation.Status; {@code date}: the start day. */
  private Reply merchantReservations(Call c) {
    String st = emptyToNull(c.query("status"));
    Reservation.Status status;
    try {
      status = st == null ? null : Reservation.Status.valueOf(st.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw invalid("status is HELD, CONFIRMED, COMPLETED, CANCELLED or RELEASED");
    }
    Instant from = emptyToNull(c.query("date")) == null ? null
        : date(c.query("date")).atStartOfDay(ZONE).toInstant();
    return ok(s.desk().bookings(venue(c), status, from,
        from == null ? null : from.plus(Duration.ofDays(1))).stream()
        .map(this::merchantReservation).toList());
  }

  /** A reservation as its venue's staff see it: the app's view plus the customer, masked. */
  private Map<String, Object> merchantReservation(Reservation r) {
    Map<String, Object> m = reservation(r);
    m.put("customer", s.customerPhone().apply(r.userId()).map(BookingRoutes::maskPhone)
        .orElse("unknown"));
    return m;
  }

  /** 13800001234 -> 138****1234: enough to tell customers apart at the counter, no more. */
  static String maskPhone(String stored) {
    // Stored normalised (+8613800001234); the counter knows mainland numbers without the prefix.
    String phone = stored.startsWith("+86") ? stored.substring(3) : stored;
    if (phone.length() < 8) {
      return "*".repeat(phone.length());
    }
    return phone.substring(0, 3) + "*".repeat(phone.length() - 7)
        + phone.substring(phone.length() - 4);
  }

  private Reply merchantCancel(Call c) {
    Venue v = venue(c);
    UUID id = id(c.path("id"), "id");
    Reservation r = s.reservations().ofVenue(v, id);
    return ok(reservation(r.kind() == Reservation.Kind.DEPOSIT
        ? s.escrow().cancelByAgency(v, id) : s.reservations().cancelByMerchant(v, id)));
  }

  // ------------------------------------------------------------------ views

  private static Map<String, Object> showtime(Inventory.Showtime t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("film", t.film());
    m.put("minutes", t.minutes());
    m.put("starts_at", t.startsAt());
    m.put("hall", t.hall());
    Map<String, String> prices = new LinkedHashMap<>();
    t.prices().forEach((k, v) -> prices.put(k, Amounts.format(v)));
    m.put("prices", prices);
    m.put("seats", t.seats());
    m.put("free", t.free());
    return m;
  }

  private static Map<String, Object> seatMap(Inventory.SeatMap map) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("showtime", showtime(map.showtime()));
    m.put("layout", map.layout());
    m.put("classes", map.classes());
    m.put("seats", map.seats().stream().map(seat -> Map.of("id", seat.unitId(), "label",
        seat.label(), "row", seat.row(), "col", seat.col(), "class", seat.seatClass(), "price",
        Amounts.format(seat.priceFen()), "taken", seat.taken())).toList());
    return m;
  }

  private static Map<String, Object> listing(Inventory.Listing l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", l.id());
    m.put("title", l.title());
    m.put("address", l.address());
    m.put("district", l.district());
    m.put("deal", l.deal());
    m.put("price", Amounts.format(l.priceFen()));
    m.put("area_m2", l.areaM2());
    m.put("bedrooms", l.bedrooms());
    m.put("features", l.features());
    m.put("photos", l.photos());
    m.put("deposit", Amounts.format(l.depositFen()));
    m.put("deposit_taken", l.depositTaken());
    m.put("withdrawn", l.withdrawn());
    return m;
  }

  private Map<String, Object> venueView(Venue v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("app_id", v.appId());
    m.put("kind", v.kind());
    m.put("name", v.name());
    m.put("cancel_free_hours", v.cancelFreeHours());
    m.put("cancel_fee_percent", v.cancelFeePercent());
    m.put("hold_minutes", v.holdMinutes());
    m.put("prepay_per_person", Amounts.format(v.prepayPerPerson()));
    m.put("party_min", v.partyMin());
    m.put("party_max", v.partyMax());
    m.put("days_ahead", v.daysAhead());
    m.put("deposit_days", v.depositDays());
    return m;
  }

  /** A reservation as apps see it: amounts as 2-decimal strings, no internal user id. */
  private Map<String, Object> reservation(Reservation r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("kind", r.kind());
    m.put("status", r.status());
    m.put("summary", r.summary());
    m.put("amount", Amounts.format(r.amountFen()));
    m.put("party_size", r.partySize());
    m.put("starts_at", r.startsAt());
    m.put("trade_no", r.tradeNo());
    m.put("expires_at", r.expiresAt());
    m.put("created_at", r.createdAt());
    m.put("confirmed_at", r.confirmedAt());
    m.put("ended_at", r.endedAt());
    m.put("end_reason", r.endReason());
    m.put("refund", Amounts.format(r.refundFen()));
    m.put("refund_status", r.refundStatus());
    m.put("listing_id", r.listingId());
    m.put("deposit_status", r.depositStatus());
    m.put("ticket_code", r.status() == Reservation.Status.CONFIRMED
        ? r.outTradeNo() : null);
    return m;
  }

  // ------------------------------------------------------------------ plumbing

  private io.helidon.webserver.http.Handler open(Handler h) {
    return wrap(h, false, false);
  }

  private io.helidon.webserver.http.Handler user(Handler h) {
    return wrap(h, true, false);
  }

  private io.helidon.webserver.http.Handler merchant(Handler h) {
    return wrap(h, false, true);
  }

  /** A merchant endpoint that changes the venue's inventory: the owner (or operator) only. */
  private io.helidon.webserver.http.Handler inventory(Handler h) {
    return wrap(c -> {
      if (!c.actor().mayChangeInventory()) {
        throw new WebException(Status.FORBIDDEN_403, "owner_only", "only the merchant's owner"
            + " may change the venue's inventory");
      }
      return h.handle(c);
    }, false, true);
  }

  private io.helidon.webserver.http.Handler wrap(Handler h, boolean asUser, boolean asMerchant) {
    return (request, response) -> {
      Reply reply;
      String appId = request.path().pathParameters().get("appId");
      try {
        if (!APP_ID.matcher(appId).matches()) {
          throw invalid("app id is 1-64 letters, digits, '-' or '_'");
        }
        if (!asMerchant) {
          cors(request, response, appId);
        }
        BookingMerchantAccess.Actor actor = asMerchant
            ? s.merchantAccess().forApp(request, appId) : null;
        UUID user = asUser ? s.sessions().resolve(appId, bearer(request))
            .map(Sessions.Session::userId).orElse(null) : null;
        if (asUser && user == null) {
          reply = new Reply(Status.UNAUTHORIZED_401, error("unauthorized", "sign in: get a code"
              + " with my.getAuthCode, POST it to " + PREFIX + "/" + appId + "/session and"
              + " send the token as 'Authorization: Bearer <token>'"));
        } else {
          reply = h.handle(new Call(request, appId, body(request), user, actor));
        }
      } catch (WebException e) {
        reply = new Reply(e.status(), error(e.code(), e.getMessage()));
      } catch (BookingException e) {
        reply = new Reply(statusOf(e.error()), error(e.error().name().toLowerCase(),
            e.getMessage()));
      } catch (TradeException e) {
        reply = new Reply(e.error().name().contains("SYSTEM") ? Status.SERVICE_UNAVAILABLE_503
            : e.error() == TradeError.INVALID_PARAMETER ? Status.BAD_REQUEST_400
            : Status.CONFLICT_409, error(e.subCode(), e.getMessage()));
      } catch (RuntimeException e) {
        String incident = UUID.randomUUID().toString().substring(0, 8);
        log.error("booking {} {} failed (incident {})", request.prologue().method().text(),
            request.path().rawPath(), incident, e);
        reply = new Reply(Status.INTERNAL_SERVER_ERROR_500, error("internal_error",
            "the server failed (incident " + incident + "); the details are in its log"));
      }
      send(response, reply);
    };
  }

  private void preflight(ServerRequest request, ServerResponse response) {
    String appId = request.path().pathParameters().get("appId");
    if (APP_ID.matcher(appId).matches()) {
      cors(request, response, appId);
    }
    response.header(HeaderNames.create("Access-Control-Allow-Methods"), "GET, POST");
    response.header(HeaderNames.create("Access-Control-Allow-Headers"),
        "Authorization, Content-Type");
    response.header(HeaderNames.create("Access-Control-Max-Age"), "600");
    response.status(Status.NO_CONTENT_204).send();
  }

  /** Allows the app's own origin (any port) and a sandboxed frame's opaque origin. */
  static boolean allowedOrigin(String origin, String appId) {
    if ("null".equals(origin)) {
      return true;
    }
    String own = "http://" + appId.toLowerCase() + ".apps.localhost";
    return origin.equals(own) || (origin.startsWith(own + ":")
        && origin.substring(own.length() + 1).matches("[0-9]{1,5}"));
  }

  private static void cors(ServerRequest request, ServerResponse response, String appId) {
    request.headers().first(HeaderNames.ORIGIN).filter(o -> allowedOrigin(o, appId))
        .ifPresent(o -> {
          response.header(HeaderNames.create("Access-Control-Allow-Origin"), o);
          response.header(HeaderNames.VARY, "Origin");
        });
  }

  private static String bearer(ServerRequest request) {
    String header = request.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  private JsonNode body(ServerRequest request) {
    if (request.prologue().method() == Method.GET || !request.content().hasEntity()) {
      return mapper.createObjectNode();
    }
    try (InputStream in = request.content().inputStream()) {
      byte[] bytes = in.readNBytes(BODY_BYTES_MAX + 1);
      if (bytes.length > BODY_BYTES_MAX) {
        throw invalid("request bodies are at most " + BODY_BYTES_MAX + " bytes");
      }
      if (bytes.length == 0) {
        return mapper.createObjectNode();
      }
      JsonNode node = mapper.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw invalid("the body is a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not read the request body", e);
    }
  }

  private void send(ServerResponse response, Reply reply) {
    try {
      byte[] bytes = mapper.writeValueAsBytes(reply.body());
      response.status(reply.status());
      response.header(HeaderNames.CONTENT_TYPE, "application/json");
      response.send(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("our own views always serialise", e);
    }
  }

  private static Status statusOf(BookingError e) {
    return switch (e) {
      case INVALID_ARGUMENT -> Status.BAD_REQUEST_400;
      case NOT_FOUND -> Status.NOT_FOUND_404;
      case UNAVAILABLE, WRONG_STATE -> Status.CONFLICT_409;
      case BALANCE_NOT_ENOUGH -> Status.PAYMENT_REQUIRED_402;
      case PIN_REJECTED -> Status.FORBIDDEN_403;
      case UNAVAILABLE_BACKEND -> Status.SERVICE_UNAVAILABLE_503;
    };
  }

  private ObjectNode error(String code, String message) {
    return mapper.createObjectNode().put("error", code).put("message", message);
  }

  private Reply ok(Object body) {
    return new Reply(Status.OK_200, body);
  }

  private Reply created(Reservation r) {
    return new Reply(Status.CREATED_201, reservation(r));
  }

  private Venue venue(Call c) {
    return s.venues().requireByApp(c.appId());
  }

  private static String requestId(Call c) {
    return text(c.body(), "request_id", 64, true);
  }

  private static String text(JsonNode body, String field, int max, boolean required) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull() || n.asText().isEmpty()) {
      if (required) {
        throw invalid(field + " is required");
      }
      return null;
    }
    if (!n.isValueNode() || n.asText().length() > max) {
      throw invalid(field + " is a value of at most " + max + " characters");
    }
    return n.asText();
  }

  private static UUID id(String text, String field) {
    try {
      if (text == null || text.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw invalid(field + " is an id like 0193a5c2-...");
    }
  }

  private static long intParam(String text, String field, long min, long max, long dflt) {
    if (text == null || text.isEmpty()) {
      return dflt;
    }
    if (!text.matches("-?[0-9]{1,9}")) {
      throw invalid(field + " is a whole number");
    }
    long v = Long.parseLong(text);
    if (v < min || v > max) {
      throw invalid(field + " is between " + min + " and " + max);
    }
    return v;
  }

  private static LocalDate date(String text) {
    try {
      return text == null ? LocalDate.now(ZONE) : LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid("dates are yyyy-MM-dd");
    }
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid("times are ISO-8601 instants like 2026-11-25T11:30:00Z");
    }
  }

  /** A whole number given as a JSON number or a string of digits, within [min, max]. */
  private static long number(JsonNode body, String field, long min, long max) {
    JsonNode n = body.get(field);
    String text = n == null || n.isNull() ? "" : n.isIntegralNumber() ? String.valueOf(n.asLong())
        : n.isTextual() ? n.asText().strip() : "not a number";
    if (text.isEmpty()) {
      throw invalid(field + " is required: a whole number from " + min + " to " + max);
    }
    return intParam(text, field, min, max, 0);
  }

  /** An amount as a 2-decimal string (0.01 and up), in fen. */
  private static long amount(String field, String text) {
    try {
      return Amounts.parse(field, text);
    } catch (TradeException e) {
      throw invalid(field + " is an amount like 45.00 (at most 2 decimals), got " + text);
    }
  }

  /** An optional list of at most 30 short strings. */
  private static List<String> strings(JsonNode body, String field) {
    JsonNode n = body.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    if (!n.isArray() || n.size() > 30) {
      throw invalid(field + " is a list of at most 30 texts");
    }
    List<String> out = new ArrayList<>();
    n.forEach(x -> {
      if (!x.isValueNode()) {
        throw invalid(field + " is a list of texts");
      }
      out.add(x.asText());
    });
    return out;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static BookingException invalid(String message) {
    return new BookingException(BookingError.INVALID_ARGUMENT, message);
  }
}
