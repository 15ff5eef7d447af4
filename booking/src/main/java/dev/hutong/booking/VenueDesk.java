package dev.hutong.booking;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * What a venue's own staff read behind the counter (the merchant portal's booking screens): its
 * halls with their layouts, its tables or agents, every open slot with whether it is taken, and
 * its bookings filtered by status and day. Read-only; every list is bounded.
 */
public final class VenueDesk {
  public static final int LIST_MAX = 200;
  /** A week of a restaurant with 30 tables and 8 slots a day is 1,680 units. */
  public static final int SLOTS_MAX = 2_000;

  /** A cinema hall: rows front first, one capital letter (seat class) per seat, '_' an aisle. */
  public record Hall(UUID id, String name, List<String> rows, Map<String, String> classes,
      int seats) {}

  /** A restaurant table (TABLE) or an estate agent (AGENT). */
  public record Resource(UUID id, String kind, String label, int capacity) {}

  /** One bookable slot of a table or an agent, taken when a hold or booking claims it. */
  public record Slot(UUID unitId, String resource, int capacity, Instant startsAt, int minutes,
      boolean taken) {}

  private final Jdbi jdbi;

  public VenueDesk(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public List<Hall> halls(Venue venue) {
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT hl.id, hl.name, hl.layout,
               (SELECT count(*) FROM booking_resource r WHERE r.hall_id = hl.id) AS seats
          FROM booking_hall hl WHERE hl.venue_id = :v ORDER BY hl.name LIMIT\s""" + LIST_MAX)
        .bind("v", Sql.id(venue.id()))
        .map((rs, ctx) -> {
          Map<String, Object> layout = Venues.read(rs.getString("layout"),
              new TypeReference<Map<String, Object>>() { });
          @SuppressWarnings("unchecked")
          List<String> rows = (List<String>) layout.get("rows");
          @SuppressWarnings("unchecked")
          Map<String, String> classes = (Map<String, String>) layout.get("classes");
          return new Hall(Sql.uuid(rs, "id"), rs.getString("name"), rows, classes,
              rs.getInt("seats"));
        }).list());
  }

  public List<Resource> resources(Venue venue) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, kind, label, capacity FROM"
            + " booking_resource WHERE venue_id = :v AND kind <> 'SEAT' ORDER BY label LIMIT "
            + LIST_MAX)
        .bind("v", Sql.id(venue.id()))
        .map((rs, ctx) -> new Resource(Sql.uuid(rs, "id"), rs.getString("kind"),
            rs.getString("label"), rs.getInt("capacity"))).list());
  }

  /** The tables' or agents' slots starting in [from, to), earliest first. */
  public List<Slot> slots(Venue venue, Instant from, Instant to) {
    if (venue.kind() == VenueKind.CINEMA) {
      throw BookingException.invalid("a cinema sells showtimes, not slots");
    }
    return jdbi.withHandle(h -> h.createQuery("""
        SELECT u.id, r.label, r.capacity, u.starts_at, u.minutes,
               EXISTS (SELECT 1 FROM booking_claim c WHERE c.unit_id = u.id) AS taken
          FROM booking_unit u JOIN booking_resource r ON r.id = u.resource_id
         WHERE u.venue_id = :v AND u.starts_at >= :from AND u.starts_at < :to
           AND r.kind <> 'SEAT' AND u.closed_at IS NULL
         ORDER BY u.starts_at, r.label LIMIT\s""" + SLOTS_MAX)
        .bind("v", Sql.id(venue.id())).bind("from", Sql.at(from)).bind("to", Sql.at(to))
        .map((rs, ctx) -> new Slot(Sql.uuid(rs, "id"), rs.getString("label"),
            rs.getInt("capacity"), Sql.instant(rs, "starts_at"), rs.getInt("minutes"),
            rs.getBoolean("taken"))).list());
  }

  /**
   * The venue's reservations, newest first: of one status when {@code status} is given, starting
   * in [from, to) when both are given.
   */
  public List<Reservation> bookings(Venue venue, Reservation.Status status, Instant from,
      Instant to) {
    String sql = "SELECT * FROM booking_reservation WHERE venue_id = :v"
        + (status == null ? "" : " AND status = :status")
        + (from == null ? "" : " AND starts_at >= :from AND starts_at < :to")
        + " ORDER BY created_at DESC LIMIT " + LIST_MAX;
    return jdbi.withHandle(h -> {
      var q = h.createQuery(sql).bind("v", Sql.id(venue.id()));
      if (status != null) {
        q.bind("status", status.name());
      }
      if (from != null) {
        q.bind("from", Sql.at(from)).bind("to", Sql.at(to));
      }
      return q.map((rs, ctx) -> ReservationStore.row(rs)).list();
    });
  }
}
