package dev.hutong.booking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Venues and their inventory: halls with seat maps and showtimes, restaurant tables and time
 * slots, property listings and agents' viewing slots. Everything bookable becomes a unit
 * (booking_unit); creating inventory twice is harmless (units are unique per resource and start).
 */
public final class Venues {
  public static final int HALL_ROWS_MAX = 40;
  public static final int HALL_ROW_CHARS_MAX = 60;
  public static final int SLOT_DAYS_MAX = 31;
  public static final int LIST_MAX = 200;
  static final ObjectMapper JSON = new ObjectMapper();

  static final int VENUE_CACHE_MAX = 10_000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final java.util.concurrent.ConcurrentHashMap<String, Venue> byApp =
      new java.util.concurrent.ConcurrentHashMap<>();

  public Venues(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Creates the app's venue, or returns it when it exists (the settings of the first call stay). */
  public Venue create(Venue v) {
    v.validate();
    Optional<Venue> existing = byApp(v.appId());
    if (existing.isPresent()) {
      return existing.get();
    }
    UUID id = UUID.randomUUID();
    Sql.tx(jdbi, h -> h.createUpdate("""
        INSERT INTO booking_venue (id, app_id, merchant_id, kind, name, cancel_free_hours,
          cancel_fee_percent, hold_minutes, prepay_per_person, party_min, party_max, days_ahead,
          deposit_days, created_at)
        VALUES (:id, :app, :merchant, :kind, :name, :free, :fee, :hold, :prepay, :pmin, :pmax,
          :ahead, :depdays, :now) ON CONFLICT (app_id) DO NOTHING""")
        .bind("id", Sql.id(id)).bind("app", v.appId()).bind("merchant", Sql.id(v.merchantId()))
        .bind("kind", v.kind().name()).bind("name", v.name().strip())
        .bind("free", v.cancelFreeHours()).bind("fee", v.cancelFeePercent())
        .bind("hold", v.holdMinutes()).bind("prepay", v.prepayPerPerson())
        .bind("pmin", v.partyMin()).bind("pmax", v.partyMax()).bind("ahead", v.daysAhead())
        .bind("depdays", v.depositDays()).bind("now", Sql.at(clock.instant())).execute());
    return byApp(v.appId()).orElseThrow();
  }

  /**
   * The app's venue. Cached once found: a venue's row never changes after creation (create
   * returns the existing one), and every booking request needs it.
   */
  public Optional<Venue> byApp(String appId) {
    Venue cached = byApp.get(appId);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Venue> found = load(appId);
    found.ifPresent(v -> {
      if (byApp.size() < VENUE_CACHE_MAX) {
        byApp.put(appId, v);
      }
    });
    return found;
  }

  private Optional<Venue> load(String appId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM booking_venue WHERE app_id = :a")
        .bind("a", appId).map((rs, ctx) -> venue(rs)).findOne());
  }

  public Venue requireByApp(String appId) {
    return byApp(appId).orElseThrow(() -> BookingException.notFound("app " + appId
        + " has no booking venue; the merchant sets it up first"));
  }

  public List<Venue> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM booking_venue ORDER BY created_at")
        .map((rs, ctx) -> venue(rs)).list());
  }

  static Venue venue(ResultSet rs) throws SQLException {
    return new Venue(Sql.uuid(rs, "id"), rs.getString("app_id"), Sql.uuid(rs, "merchant_id"),
        VenueKind.valueOf(rs.getString("kind")), rs.getString("name"),
        rs.getInt("cancel_free_hours"), rs.getInt("cancel_fee_percent"), rs.getInt("hold_minutes"),
        rs.getLong("prepay_per_person"), rs.getInt("party_min"), rs.getInt("party_max"),
        rs.getInt("days_ahead"), rs.getInt("deposit_days"));
  }

  // ------------------------------------------------------------------ cinema

  /**
   * Adds a hall. {@code rows}: one string per row, front first; each character a seat of that
   * seat class (a capital letter, a key of {@code classes}) or '_' for an aisle. Seats are
   * labelled by row letter and number (A1, A2, ... counting seats, not aisles).
   */
  public UUID addHall(Venue venue, String name, List<String> rows, Map<String, String> classes) {
    requireKind(venue, VenueKind.CINEMA);
    Check.text("hall name", name, 64);
    Check.range("hall rows", rows == null ? 0 : rows.size(), 1, HALL_ROWS_MAX);
    for (String row : rows) {
      if (row == null || !row.matches("[A-Z_]{1," + HALL_ROW_CHARS_MAX + "}")) {
        throw BookingException.invalid("each hall row is 1-" + HALL_ROW_CHARS_MAX
            + " capital letters (seat classes) or '_' (aisle), got " + row);
      }
      row.chars().filter(c -> c != '_').forEach(c -> {
        if (classes == null || !classes.containsKey(String.valueOf((char) c))) {
          throw BookingException.invalid("seat class " + (char) c + " has no name in classes");
        }
      });
    }
    UUID hallId = UUID.randomUUID();
    Sql.tx(jdbi, h -> {
      h.createUpdate("INSERT INTO booking_hall (id, venue_id, name, layout) VALUES (:id, :v, :n,"
              + " CAST(:l AS jsonb))")
          .bind("id", Sql.id(hallId)).bind("v", Sql.id(venue.id())).bind("n", name)
          .bind("l", write(Map.of("rows", rows, "classes", classes))).execute();
      var batch = h.prepareBatch("INSERT INTO booking_resource (id, venue_id, kind, hall_id,"
          + " label, seat_row, seat_col, seat_class) VALUES (:id, :v, 'SEAT', :hall, :label,"
          + " :row, :col, :cls)");
      for (int r = 0; r < rows.size(); r++) {
        int number = 0;
        for (int c = 0; c < rows.get(r).length(); c++) {
          char cls = rows.get(r).charAt(c);
          if (cls == '_') {
            continue;
          }
          number++;
          batch.bind("id", Sql.id(UUID.randomUUID())).bind("v", Sql.id(venue.id()))
              .bind("hall", Sql.id(hallId)).bind("label", rowName(r) + number).bind("row", r)
              .bind("col", c).bind("cls", String.valueOf(cls)).add();
        }
      }
      return batch.execute();
    });
    return hallId;
  }

  static String rowName(int row) {
    return row < 26 ? String.valueOf((char) ('A' + row)) : "A" + (char) ('A' + row - 26);
  }

  /** Adds a showtime with a unit per seat, priced by seat class (fen); idempotent per hall and start. */
  public UUID addShowtime(Venue venue, UUID hallId, String film, int minutes, Instant startsAt,
      Map<String, Long> pricesFen) {
    requireKind(venue, VenueKind.CINEMA);
    Check.text("film", film, 128);
    Check.range("minutes", minutes, 1, 600);
    if (startsAt == null || pricesFen == null || pricesFen.isEmpty()) {
      throw BookingException.invalid("starts_at and prices are required");
    }
    pricesFen.forEach((k, v) -> Check.range("price of class " + k, v, 1, 100_000_00L));
    UUID id = UUID.randomUUID();
    return Sql.tx(jdbi, h -> {
      Optional<UUID> existing = h.createQuery("SELECT id FROM booking_showtime WHERE hall_id = :h"
              + " AND starts_at = :t FOR UPDATE").bind("h", Sql.id(hallId))
          .bind("t", Sql.at(startsAt)).mapTo(UUID.class).findOne();
      if (existing.isPresent()) {
        restore(h, existing.get(), film, minutes, pricesFen);
        return existing.get();
      }
      int halls = h.createQuery("SELECT count(*) FROM booking_hall WHERE id = :h AND venue_id = :v")
          .bind("h", Sql.id(hallId)).bind("v", Sql.id(venue.id())).mapTo(Integer.class).one();
      if (halls == 0) {
        throw BookingException.notFound("no hall " + hallId + " in this venue");
      }
      List<String> classes = h.createQuery("SELECT DISTINCT seat_class FROM booking_resource"
          + " WHERE hall_id = :h").bind("h", Sql.id(hallId)).mapTo(String.class).list();
      for (String c : classes) {
        if (!pricesFen.containsKey(c)) {
          throw BookingException.invalid("prices has no price for seat class " + c);
        }
      }
      h.createUpdate("INSERT INTO booking_showtime (id, venue_id, hall_id, film, minutes,"
              + " starts_at, prices) VALUES (:id, :v, :h, :f, :m, :t, CAST(:p AS jsonb))")
          .bind("id", Sql.id(id)).bind("v", Sql.id(venue.id())).bind("h", Sql.id(hallId))
          .bind("f", film.strip()).bind("m", minutes).bind("t", Sql.at(startsAt))
          .bind("p", write(pricesFen)).execute();
      h.createUpdate("INSERT INTO booking_unit (id, venue_id, resource_id, showtime_id, starts_at,"
              + " minutes, price_fen) SELECT gen_random_uuid(), :v, r.id, :s, :t, :m,"
              + " (CAST(:p AS jsonb) ->> r.seat_class)::bigint FROM booking_resource r"
              + " WHERE r.hall_id = :h")
          .bind("v", Sql.id(venue.id())).bind("s", Sql.id(id)).bind("t", Sql.at(startsAt))
          .bind("m", minutes).bind("p", write(pricesFen)).bind("h", Sql.id(hallId)).execute();
      return id;
    });
  }

  /**
   * Adding a showtime the merchant removed (same hall and start) brings it back with the new
   * film, length and prices and its seats open again; nobody can have claimed a closed seat.
   */
  private static void restore(org.jdbi.v3.core.Handle h, UUID showtimeId, String film,
      int minutes, Map<String, Long> pricesFen) {
    int restored = h.createUpdate("UPDATE booking_showtime SET film = :f, minutes = :m,"
            + " prices = CAST(:p AS jsonb), removed_at = NULL WHERE id = :s"
            + " AND removed_at IS NOT NULL")
        .bind("f", film.strip()).bind("m", minutes).bind("p", write(pricesFen))
        .bind("s", Sql.id(showtimeId)).execute();
    if (restored == 1) {
      h.createUpdate("UPDATE booking_unit u SET closed_at = NULL, minutes = :m,"
              + " price_fen = (CAST(:p AS jsonb) ->> r.seat_class)::bigint"
              + " FROM booking_resource r WHERE r.id = u.resource_id AND u.showtime_id = :s")
          .bind("m", minutes).bind("p", write(pricesFen)).bind("s", Sql.id(showtimeId)).execute();
    }
  }

  public List<Inventory.Showtime> showtimes(Venue venue, Instant from, Instant to) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT s.*, hl.name AS hall_name,
          (SELECT count(*) FROM booking_unit u WHERE u.showtime_id = s.id) AS seats,
          (SELECT count(*) FROM booking_unit u WHERE u.showtime_id = s.id AND u.closed_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM booking_claim c WHERE c.unit_id = u.id)) AS free
          FROM booking_showtime s JOIN booking_hall hl ON hl.id = s.hall_id
         WHERE s.venue_id = :v AND s.starts_at >= :from AND s.starts_at < :to
           AND s.removed_at IS NULL
         ORDER BY s.starts_at, s.film LIMIT\s""" + LIST_MAX)
        .bind("v", Sql.id(venue.id())).bind("from", Sql.at(from)).bind("to", Sql.at(to))
        .map((rs, ctx) -> showtime(rs)).list());
  }

  private static Inventory.Showtime showtime(ResultSet rs) throws SQLException {
    return new Inventory.Showtime(Sql.uuid(rs, "id"), rs.getString("film"), rs.getInt("minutes"),
        Sql.instant(rs, "starts_at"), rs.getString("hall_name"),
        read(rs.getString("prices"), new TypeReference<LinkedHashMap<String, Long>>() { }),
        rs.getInt("seats"), rs.getInt("free"));
  }

  /** The showtime's seat map with which seats are taken (held or booked). */
  public Inventory.SeatMap seatMap(Venue venue, UUID showtimeId) {
    return jdbi.withHandle(h -> {
      Inventory.Showtime st = h.createQuery("""
          SELECT s.*, hl.name AS hall_name, 0 AS seats, 0 AS free FROM booking_showtime s
            JOIN booking_hall hl ON hl.id = s.hall_id WHERE s.id = :s AND s.venue_id = :v
             AND s.removed_at IS NULL""")
          .bind("s", Sql.id(showtimeId)).bind("v", Sql.id(venue.id()))
          .map((rs, ctx) -> showtime(rs)).findOne()
          .orElseThrow(() -> BookingException.notFound("no showtime " + showtimeId));
      Map<String, Object> layout = read(h.createQuery("SELECT hl.layout FROM booking_hall hl"
              + " JOIN booking_showtime s ON s.hall_id = hl.id WHERE s.id = :s")
          .bind("s", Sql.id(showtimeId)).mapTo(String.class).one(),
          new TypeReference<Map<String, Object>>() { });
      List<Inventory.Seat> seats = h.createQuery("""
          SELECT u.id, r.label, r.seat_row, r.seat_col, r.seat_class, u.price_fen,
                 EXISTS (SELECT 1 FROM booking_claim c WHERE c.unit_id = u.id) AS taken
            FROM booking_unit u JOIN booking_resource r ON r.id = u.resource_id
           WHERE u.showtime_id = :s ORDER BY r.seat_row, r.seat_col""")
          .bind("s", Sql.id(showtimeId))
          .map((rs, ctx) -> new Inventory.Seat(Sql.uuid(rs, "id"), rs.getString("label"),
              rs.getInt("seat_row"), rs.getInt("seat_col"), rs.getString("seat_class"),
              rs.getLong("price_fen"), rs.getBoolean("taken"))).list();
      int free = (int) seats.stream().filter(s -> !s.taken()).count();
      Inventory.Showtime counted = new Inventory.Showtime(st.id(), st.film(), st.minutes(),
          st.startsAt(), st.hall(), st.prices(), seats.size(), free);
      @SuppressWarnings("unchecked")
      List<String> rows = (List<String>) layout.get("rows");
      @SuppressWarnings("unchecked")
      Map<String, String> classes = (Map<String, String>) layout.get("classes");
      return new Inventory.SeatMap(counted, rows, classes, seats);
    });
  }

  // ------------------------------------------------------------------ restaurant and agents

  /** Adds a table (RESTAURANT) or an agent (PROPERTY, capacity 1); idempotent by label. */
  public UUID addResource(Venue venue, String label, int capacity) {
    if (venue.kind() == VenueKind.CINEMA) {
      throw BookingException.invalid("a cinema's seats come from its halls");
    }
    Check.text("label", label, 64);
    Check.range("capacity", capacity, 1, 50);
    String kind = venue.kind() == VenueKind.RESTAURANT ? "TABLE" : "AGENT";
    return Sql.tx(jdbi, h -> {
      h.createUpdate("INSERT INTO booking_resource (id, venue_id, kind, label, capacity)"
              + " VALUES (:id, :v, :k, :l, :c) ON CONFLICT DO NOTHING")
          .bind("id", Sql.id(UUID.randomUUID())).bind("v", Sql.id(venue.id())).bind("k", kind)
          .bind("l", label.strip()).bind("c", capacity).execute();
      return h.createQuery("SELECT id FROM booking_resource WHERE venue_id = :v AND kind = :k"
              + " AND label = :l").bind("v", Sql.id(venue.id())).bind("k", kind)
          .bind("l", label.strip()).mapTo(UUID.class).one();
    });
  }

  /**
   * Opens slots for every table (restaurant) or agent (property) of the venue: from {@code
   * firstDay} for {@code days} days, every {@code slotMinutes} from {@code opens} until the last
   * slot that ends by {@code closes}, in the venue's zone. Already open slots are kept.
   *
   * @return the number of units added
   */
  public int openSlots(Venue venue, LocalDate firstDay, int days, LocalTime opens,
      LocalTime closes, int slotMinutes, ZoneId zone) {
    if (venue.kind() == VenueKind.CINEMA) {
      throw BookingException.invalid("cinemas sell showtimes, not slots");
    }
    Check.range("days", days, 1, SLOT_DAYS_MAX);
    Check.range("slot_minutes", slotMinutes, 15, 240);
    if (opens == null || closes == null || !opens.isBefore(closes)) {
      throw BookingException.invalid("opens must be before closes");
    }
    List<Instant> starts = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      LocalDate day = firstDay.plusDays(d);
      for (LocalTime t = opens; !t.plusMinutes(slotMinutes).isAfter(closes)
          && !t.plusMinutes(slotMinutes).isBefore(t); t = t.plusMinutes(slotMinutes)) {
        starts.add(day.atTime(t).atZone(zone).toInstant());
      }
    }
    return Sql.tx(jdbi, h -> {
      var batch = h.prepareBatch("INSERT INTO booking_unit (id, venue_id, resource_id, starts_at,"
          + " minutes, price_fen) SELECT gen_random_uuid(), :v, r.id, :t, :m, 0"
          + " FROM booking_resource r WHERE r.venue_id = :v AND r.kind <> 'SEAT'"
          + " ON CONFLICT (resource_id, starts_at) DO UPDATE SET closed_at = NULL"
          + " WHERE booking_unit.closed_at IS NOT NULL"); // a closed slot opens again
      for (Instant t : starts) {
        batch.bind("v", Sql.id(venue.id())).bind("t", Sql.at(t)).bind("m", slotMinutes).add();
      }
      int added = 0;
      for (int n : batch.execute()) {
        added += n;
      }
      return added;
    });
  }

  /** The restaurant's slots on [from, to) with how many tables fitting {@code party} are free. */
  public List<Inventory.TableSlot> tableSlots(Venue venue, Instant from, Instant to, int party) {
    requireKind(venue, VenueKind.RESTAURANT);
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT u.starts_at, min(u.minutes) AS minutes,
               count(*) FILTER (WHERE NOT EXISTS
                 (SELECT 1 FROM booking_claim c WHERE c.unit_id = u.id)) AS free
          FROM booking_unit u JOIN booking_resource r ON r.id = u.resource_id
         WHERE u.venue_id = :v AND u.starts_at >= :from AND u.starts_at < :to
           AND r.capacity >= :party AND u.starts_at > :now AND u.closed_at IS NULL
         GROUP BY u.starts_at ORDER BY u.starts_at LIMIT\s""" + LIST_MAX)
        .bind("v", Sql.id(venue.id())).bind("from", Sql.at(from)).bind("to", Sql.at(to))
        .bind("party", party).bind("now", Sql.at(clock.instant()))
        .map((rs, ctx) -> new Inventory.TableSlot(Sql.instant(rs, "starts_at"),
            rs.getInt("minutes"), rs.getInt("free"))).list());
  }

  // ------------------------------------------------------------------ property

  public record NewListing(String title, String address, String district, String deal,
      long priceFen, int areaM2, int bedrooms, List<String> features, List<String> photos,
      long depositFen) {}

  public UUID addListing(Venue venue, NewListing l) {
    requireKind(venue, VenueKind.PROPERTY);
    Check.text("title", l.title(), 128);
    Check.text("address", l.address(), 200);
    Check.text("district", l.district(), 64);
    if (!"RENT".equals(l.deal()) && !"SALE".equals(l.deal())) {
      throw BookingException.invalid("deal is RENT or SALE");
    }
    Check.range("price", l.priceFen(), 1, 1_000_000_000_00L);
    Check.range("area_m2", l.areaM2(), 1, 100_000);
    Check.range("bedrooms", l.bedrooms(), 0, 50);
    Check.range("deposit", l.depositFen(), 0, 1_000_000_00L);
    List<String> features = l.features() == null ? List.of() : l.features();
    List<String> photos = l.photos() == null ? List.of() : l.photos();
    Check.range("features", features.size(), 0, 30);
    Check.range("photos", photos.size(), 0, 20);
    features.forEach(f -> Check.text("feature", f, 64));
    photos.forEach(p -> Check.text("photo", p, 512));
    UUID id = UUID.randomUUID();
    Sql.tx(jdbi, h -> h.createUpdate("""
        INSERT INTO booking_listing (id, venue_id, title, address, district, deal, price_fen,
          area_m2, bedrooms, features, photos, deposit_fen, created_at)
        VALUES (:id, :v, :title, :addr, :d, :deal, :price, :area, :bed, CAST(:f AS jsonb),
          CAST(:p AS jsonb), :dep, :now)""")
        .bind("id", Sql.id(id)).bind("v", Sql.id(venue.id())).bind("title", l.title().strip())
        .bind("addr", l.address().strip()).bind("d", l.district().strip()).bind("deal", l.deal())
        .bind("price", l.priceFen()).bind("area", l.areaM2()).bind("bed", l.bedrooms())
        .bind("f", write(features)).bind("p", write(photos)).bind("dep", l.depositFen())
        .bind("now", Sql.at(clock.instant())).execute());
    return id;
  }

  /** The listings users see: withdrawn ones left out. */
  public List<Inventory.Listing> listings(Venue venue, Inventory.ListingFilter f) {
    return listings(venue, f, false);
  }

  /** The listings, with the withdrawn ones when {@code withWithdrawn} (the agency's own list). */
  public List<Inventory.Listing> listings(Venue venue, Inventory.ListingFilter f,
      boolean withWithdrawn) {
    requireKind(venue, VenueKind.PROPERTY);
    String text = f.text() == null || f.text().isBlank() ? null
        : "%" + Check.text("q", f.text(), 64).replace("%", "").replace("_", "") + "%";
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT l.*, EXISTS (SELECT 1 FROM booking_reservation r WHERE r.listing_id = l.id
                 AND r.kind = 'DEPOSIT' AND r.status IN ('HELD', 'CONFIRMED')) AS taken
          FROM booking_listing l
         WHERE l.venue_id = :v AND (:all OR l.withdrawn_at IS NULL)
           AND (CAST(:q AS text) IS NULL OR l.title ILIKE :q OR l.address ILIKE :q
                OR CAST(l.features AS text) ILIKE :q)
           AND (CAST(:d AS text) IS NULL OR l.district = :d)
           AND (CAST(:deal AS text) IS NULL OR l.deal = :deal)
           AND (CAST(:pmax AS bigint) IS NULL OR l.price_fen <= :pmax)
           AND (CAST(:bmin AS int) IS NULL OR l.bedrooms >= :bmin)
         ORDER BY l.created_at, l.id LIMIT\s""" + LIST_MAX)
        .bind("v", Sql.id(venue.id())).bind("q", text).bind("d", f.district())
        .bind("deal", f.deal()).bind("pmax", f.priceMaxFen()).bind("bmin", f.bedroomsMin())
        .bind("all", withWithdrawn)
        .map((rs, ctx) -> listing(rs)).list());
  }

  public Inventory.Listing listing(Venue venue, UUID listingId) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT l.*, EXISTS (SELECT 1 FROM booking_reservation r WHERE r.listing_id = l.id
                 AND r.kind = 'DEPOSIT' AND r.status IN ('HELD', 'CONFIRMED')) AS taken
          FROM booking_listing l WHERE l.id = :id AND l.venue_id = :v""")
        .bind("id", Sql.id(listingId)).bind("v", Sql.id(venue.id()))
        .map((rs, ctx) -> listing(rs)).findOne())
        .orElseThrow(() -> BookingException.notFound("no listing " + listingId));
  }

  private static Inventory.Listing listing(ResultSet rs) throws SQLException {
    TypeReference<List<String>> strings = new TypeReference<>() { };
    return new Inventory.Listing(Sql.uuid(rs, "id"), rs.getString("title"),
        rs.getString("address"), rs.getString("district"), rs.getString("deal"),
        rs.getLong("price_fen"), rs.getInt("area_m2"), rs.getInt("bedrooms"),
        read(rs.getString("features"), strings), read(rs.getString("photos"), strings),
        rs.getLong("deposit_fen"), rs.getBoolean("taken"), rs.getTimestamp("withdrawn_at") != null);
  }

  /** The agents' viewing slots on [from, to), free or taken. */
  public List<Inventory.ViewingSlot> viewingSlots(Venue venue, Instant from, Instant to) {
    requireKind(venue, VenueKind.PROPERTY);
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT u.id, r.label, u.starts_at, u.minutes,
               EXISTS (SELECT 1 FROM booking_claim c WHERE c.unit_id = u.id) AS taken
          FROM booking_unit u JOIN booking_resource r ON r.id = u.resource_id
         WHERE u.venue_id = :v AND u.starts_at >= :from AND u.starts_at < :to
           AND u.starts_at > :now AND u.closed_at IS NULL
         ORDER BY u.starts_at, r.label LIMIT\s""" + LIST_MAX)
        .bind("v", Sql.id(venue.id())).bind("from", Sql.at(from)).bind("to", Sql.at(to))
        .bind("now", Sql.at(clock.instant()))
        .map((rs, ctx) -> new Inventory.ViewingSlot(Sql.uuid(rs, "id"), rs.getString("label"),
            Sql.instant(rs, "starts_at"), rs.getInt("minutes"), rs.getBoolean("taken"))).list());
  }

  /** A unit as a reservation needs it. */
  record UnitRow(UUID id, UUID showtimeId, Instant startsAt, int minutes, long priceFen,
      int capacity, String label, String film, boolean taken) {}

  /** The venue's units with these ids (ids of other venues are left out). */
  static List<UnitRow> units(org.jdbi.v3.core.Handle h, UUID venueId, UUID[] ids) {
    return h.createQuery("""
        SELECT u.id, u.showtime_id, u.starts_at, u.minutes, u.price_fen, r.capacity, r.label,
               s.film, EXISTS (SELECT 1 FROM booking_claim c WHERE c.unit_id = u.id) AS taken
          FROM booking_unit u JOIN booking_resource r ON r.id = u.resource_id
          LEFT JOIN booking_showtime s ON s.id = u.showtime_id
         WHERE u.venue_id = :v AND u.id = ANY(:ids) AND u.closed_at IS NULL ORDER BY r.seat_row, r.seat_col, r.label""")
        .bind("v", Sql.id(venueId)).bind("ids", Sql.ids(ids))
        .map((rs, ctx) -> new UnitRow(Sql.uuid(rs, "id"), Sql.uuid(rs, "showtime_id"),
            Sql.instant(rs, "starts_at"), rs.getInt("minutes"), rs.getLong("price_fen"),
            rs.getInt("capacity"), rs.getString("label"), rs.getString("film"),
            rs.getBoolean("taken"))).list();
  }

  // ------------------------------------------------------------------ helpers

  static void requireKind(Venue venue, VenueKind kind) {
    if (venue.kind() != kind) {
      throw BookingException.invalid("this is a " + venue.kind().name().toLowerCase()
          + " venue; the operation needs a " + kind.name().toLowerCase() + " venue");
    }
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plain maps and lists always serialise", e);
    }
  }

  static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the database holds JSON this module wrote", e);
    }
  }

}
